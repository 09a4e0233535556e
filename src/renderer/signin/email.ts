/**
 * Email addresses as the window reads them: one rule (`EMAIL`, shared with core) for "looks
 * like an email", and one way to treat a domain typed in Unicode (IDN): its ASCII (punycode)
 * form, lower case, without a trailing dot, the same for home-realm discovery, sign-in,
 * sign-up and reset, so `ada@bücher.example` is one address wherever it is typed.
 */
import { EMAIL } from '../../shared/auth0-protocol';

/**
 * The key of the field error of an email field (sign-up, reset) whose text is not an address by `EMAIL`.
 * Those fields are `type="text" inputMode="email"`, not `type="email"`: Chromium's own check
 * would speak its English bubble instead of Signet's field error and turn a Unicode domain
 * into punycode in the field itself; here the rule is `EMAIL` and the domain is normalised
 * (`normalEmail`) when sent, as for sign-in.
 */
export const EMAIL_FIELD_ERROR = 'signin.email.error';

/** Whether typed text is worth treating as an email address (sign-up's and reset's prefill). */
export function looksLikeEmail(s: string): boolean {
  const parts = emailParts(s);
  return parts !== null && EMAIL.test(`${parts.local}@${parts.domain}`);
}

/** Characters that would make the URL parser read a different host than the one typed. */
const NOT_A_HOST = /[/?#:@\\[\]%\s]/;

/**
 * The local part and the normalised domain of an address with exactly one `@` and something
 * on each side, else null. The domain goes through the WHATWG URL host parser (what Chromium's
 * `type=email` does): lower case, Unicode to punycode; a trailing dot is dropped.
 */
export function emailParts(text: string): { local: string; domain: string } | null {
  const m = /^([^@\s]+)@([^@\s]+)$/.exec(text.trim());
  if (!m?.[1] || !m[2] || NOT_A_HOST.test(m[2])) return null;
  let host: string;
  try {
    host = new URL(`http://${m[2]}`).hostname;
  } catch {
    return null;
  }
  const domain = host.replace(/\.$/, '');
  return domain ? { local: m[1], domain } : null;
}

/** The address to send for typed text that is an email (domain normalised), else the text trimmed. */
export function normalEmail(text: string): string {
  const parts = emailParts(text);
  return parts ? `${parts.local}@${parts.domain}` : text.trim();
}
