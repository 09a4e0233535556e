/**
 * The first bytes of an answer Signet could not use, for IT — with every secret masked.
 *
 * An unusable answer can still be a token answer (a 200 labelled `text/plain`, a token JSON
 * cut off part-way), and `detail` travels to the renderer, the CLI's `--json` and stderr. So
 * the excerpt is never the raw bytes: values of token-like fields (`"access_token":"…"`,
 * `refresh_token=…`), anything shaped like a JWT (`eyJ…`) and, outside HTML, any long opaque
 * run are replaced by `[redacted: N chars]`. What remains is what IT needs: an HTML page from a
 * proxy, field names, the place where a body was cut.
 */

/**
 * Field names whose values are secrets: tokens, passwords, one-time codes, keys, sessions.
 * (Bounded name length keeps matching linear on a hostile body.)
 */
const SECRET_NAME = String.raw`[\w.-]{0,40}(?:token|secret|password|passwd|assertion|otp|ticket|cookie|session|key)[\w.-]{0,40}`;

/** Names that match `SECRET_NAME` but hold no secret. */
const HARMLESS = new Set(['token_type']);

/** `"name": "value` in JSON; the closing quote is missing when the body was cut inside it. */
const JSON_SECRET = new RegExp(String.raw`("(${SECRET_NAME})"\s*:\s*)"((?:[^"\\]|\\.)*)"?`, 'gi');

/** `name=value` in a form or query string. */
const FORM_SECRET = new RegExp(String.raw`(\b(${SECRET_NAME})=)([^&\s"'<>]+)`, 'gi');

/** A JWT, whole or cut (its header always starts `eyJ`, base64url of `{"`). */
const JWT = /eyJ[\w-]*(?:\.[\w-]*){0,2}/g;

/** An opaque run long enough to be a token (base64, base64url, hex). */
const OPAQUE = /[\w+/=~.-]{32,}/g;

/** How much of a body is looked at: masking needs a little more than is shown. */
const SCAN_BYTES = 8 * 1024;

const masked = (n: number) => `[redacted: ${n} chars]`;

/** True when an answer is an HTML page (content type, or a body that starts like one). */
export function looksLikeHtml(contentType: string | undefined, body: Buffer): boolean {
  return (
    /html/i.test(contentType ?? '') || /^\s*<(!doctype|html)/i.test(body.toString('utf8', 0, 64))
  );
}

/** Masks every secret-looking value of `text` (see the module comment). */
export function maskSecrets(text: string, opts: { html?: boolean } = {}): string {
  let out = text
    .replace(JSON_SECRET, (m, head: string, name: string, value: string) =>
      HARMLESS.has(name.toLowerCase()) ? m : `${head}"${masked(value.length)}"`,
    )
    .replace(FORM_SECRET, (m, head: string, name: string, value: string) =>
      HARMLESS.has(name.toLowerCase()) ? m : `${head}${masked(value.length)}`,
    )
    .replace(JWT, (jwt) => masked(jwt.length));
  // An HTML page's long runs are mostly URLs and class names IT wants to read; a token inside
  // one would sit in a form or query field, masked above.
  if (!opts.html) out = out.replace(OPAQUE, (run) => masked(run.length));
  return out;
}

/**
 * The first `max` characters of a body as one line of text, secrets masked: enough to
 * recognise an HTML proxy page or see where a body was cut, never a token.
 */
export function safeExcerpt(body: Buffer, contentType?: string, max = 200): string {
  const text = body.subarray(0, SCAN_BYTES).toString('utf8');
  return maskSecrets(text, { html: looksLikeHtml(contentType, body) })
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}
