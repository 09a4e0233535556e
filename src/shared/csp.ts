/**
 * The window's Content Security Policy, in one place: main sends it as a header (dev server)
 * and the build writes it into index.html's meta tag (file:// loads). `frame-ancestors` only
 * works as a header, so the meta tag leaves it out.
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // No https: (nor any other origin): an <img> is a request to a URL of the page's choosing,
  // so a script injected into the page could leak a token in its query string. A tenant's
  // `picture` URL is therefore not shown (the initials are); inline data: pictures are.
  "img-src 'self' data:",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

export const CONTENT_SECURITY_POLICY = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ');
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');
