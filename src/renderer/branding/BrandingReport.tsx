import { useT } from '../i18n';
import { useBranding } from './use-branding';

/**
 * Diagnostics' "Branding" section: each field of the managed branding that could not be used
 * (Signet shows its own look for it) and each colour the contrast check changed. Nothing when
 * there is nothing to say. The problems and adjustments are main's sentences for IT (with the
 * field names, colours and ratios of the managed file), shown as sent, in English, like the
 * exported report; the section's own words are translated.
 */
export function BrandingReport() {
  const t = useT();
  const branding = useBranding();
  if (!branding || (branding.problems.length === 0 && branding.adjustments.length === 0))
    return null;
  return (
    <section className="branding-report" aria-labelledby="branding-heading">
      <h3 id="branding-heading">{t('diagnostics.branding.heading')}</h3>
      {branding.problems.length > 0 && (
        <>
          <p className="muted">{t('diagnostics.branding.problems')}</p>
          <ul translate="no" lang="en" dir="ltr">
            {branding.problems.map((p, i) => (
              <li key={i}>
                <code>{p.field}</code>: {p.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {branding.adjustments.length > 0 && (
        <ul aria-label={t('diagnostics.branding.adjusted')} translate="no" lang="en" dir="ltr">
          {branding.adjustments.map((a, i) => (
            <li key={i}>{a}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
