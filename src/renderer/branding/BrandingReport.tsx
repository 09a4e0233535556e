import { useT } from '../i18n';
import { useErrorText } from '../i18n/error-text';
import { useBranding } from './use-branding';

/**
 * Diagnostics' "Branding" section: each field of the managed branding that could not be used
 * (Signet shows its own look for it) and each colour the contrast check changed. Nothing when
 * there is nothing to say. The problems and adjustments are main's sentences for IT, shown in
 * the window's language from their keys (the exported report keeps them in English); the field
 * names, paths, colours and ratios of the managed file inside them stay as written.
 */
export function BrandingReport() {
  const t = useT();
  const text = useErrorText();
  const branding = useBranding();
  if (!branding || (branding.problems.length === 0 && branding.adjustments.length === 0))
    return null;
  return (
    <section className="branding-report" aria-labelledby="branding-heading">
      <h3 id="branding-heading">{t('diagnostics.branding.heading')}</h3>
      {branding.problems.length > 0 && (
        <>
          <p className="muted">{t('diagnostics.branding.problems')}</p>
          <ul>
            {branding.problems.map((p, i) => (
              <li key={i}>
                <code translate="no" dir="ltr">
                  {p.field}
                </code>
                : {text(p).message}
              </li>
            ))}
          </ul>
        </>
      )}
      {branding.adjustments.length > 0 && (
        <ul aria-label={t('diagnostics.branding.adjusted')}>
          {branding.adjustments.map((a, i) => (
            <li key={i}>{text(a).message}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
