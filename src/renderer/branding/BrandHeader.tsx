import { useBranding } from './use-branding';

/**
 * The app's one heading: the company's logo and name beside "Signet" when IT set a branding
 * ("Acme Corp · Signet"), else "Signet". The logo is decorative (`alt=""`): the name says who.
 */
export function BrandHeader() {
  const branding = useBranding();
  const name = branding?.name ?? null;
  const logo = branding?.logo ?? null;
  return (
    <h1 className="brand-title">
      {logo && <img className="brand-logo" src={logo} alt="" />}
      {/* One run of text, so a long company name wraps between words, "· Signet" with it;
          names, not words to translate. */}
      <span className="brand-text" translate="no">
        {name ? (
          <>
            <span className="brand-name">{name}</span> · Signet
          </>
        ) : (
          'Signet'
        )}
      </span>
    </h1>
  );
}
