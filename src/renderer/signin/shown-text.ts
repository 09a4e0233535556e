import type { LastLogin } from '../../shared/ipc';
import { terminalLine } from '../../shared/untrusted-text';

/**
 * What `terminalLine` keeps but a label should not: soft hyphen, the Arabic letter mark, the
 * Mongolian vowel separator, zero-width spaces and joiners, the left-to-right and
 * right-to-left marks, invisible operators and the byte-order mark.
 */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u2060-\u2064\ufeff]/g;

/**
 * Text from the tenant (a name, an email, a sentence, a rule) as the window shows it: one
 * line, without control, bidi-override or invisible characters (so a name cannot reorder or
 * hide the words around it), white space collapsed, at most `max` characters. React escapes
 * it; this keeps it from steering how it reads.
 */
export function shownText(s: string | undefined, max = 120): string {
  if (!s) return '';
  const line = terminalLine(s).replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line;
}

/**
 * Who "Continue as…" names: the name from the last id_token (else the email, else what was
 * typed), then the email or username in brackets when it says more. Tenant text, made safe by
 * `shownText` (no control, bidi or invisible characters) and shown in `<bdi>` so a
 * right-to-left name keeps to its place.
 */
export function lastLoginNames(last: LastLogin): { name: string; detail: string } {
  const username = shownText(last.username, 80);
  const email = shownText(last.email, 80);
  const name = shownText(last.name, 80) || email || username;
  const detail = email || username;
  return { name, detail: detail === name ? '' : detail };
}
