import { useBranding } from './use-branding';

/**
 * Diagnostics' "Branding" section: each field of the managed branding that could not be used
 * (Signet shows its own look for it) and each colour the contrast check changed. Nothing when
 * there is nothing to say.
 */
export function BrandingReport() {
  const branding = useBranding();
  if (!branding || (branding.problems.length === 0 && branding.adjustments.length === 0))
    return null;
  return (
    <section className="branding-report" aria-labelledby="branding-heading">
      <h3 id="branding-heading">Branding</h3>
      {branding.problems.length > 0 && (
        <>
          <p className="muted">
            Signet shows its own look for these fields of the managed branding:
          </p>
          <ul>
            {branding.problems.map((p, i) => (
              <li key={i}>
                <code>{p.field}</code>: {p.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {branding.adjustments.length > 0 && (
        <ul aria-label="Colours adjusted for contrast">
          {branding.adjustments.map((a, i) => (
            <li key={i}>{a}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
