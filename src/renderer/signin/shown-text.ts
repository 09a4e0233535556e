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
