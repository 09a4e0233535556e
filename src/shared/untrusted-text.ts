/**
 * Text that came from a tenant or a user (names, claims, error descriptions, labels, scope),
 * made safe for where it is shown. A tenant may put terminal escape sequences in a claim
 * (ESC ] 0 ; … BEL sets the window title, ESC [ 2 J clears the screen, OSC 52 writes the
 * clipboard, U+009B is an 8-bit CSI) or Markdown and HTML in an error description (a forged
 * table row, `<img onerror>`, a `javascript:` link). Each output has one choke point that
 * runs every string through one of these functions: the CLI's print functions
 * (src/cli/output.ts) and the Markdown exports' cell formatter (report-format.ts,
 * main/diagnostics-report.ts). Pure: no Node, no DOM.
 */

/**
 * Characters that steer a terminal or hide text: C0 controls, DEL, C1 controls, the Unicode
 * line/paragraph separators and the bidirectional overrides and isolates ("Trojan Source").
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, except tab and line feed (which a JSON consumer may keep). */
const CONTROLS_BUT_TAB_LF =
  // eslint-disable-next-line no-control-regex -- as above
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029\t]/g;

/**
 * One line for a terminal: line breaks and tabs become a space (so a value cannot start a
 * forged line of output), every other control character is removed.
 */
export function terminalLine(s: string): string {
  return s.replace(LINE_BREAKS, ' ').replace(CONTROLS, '');
}

/**
 * A string value for a JSON document: every control character removed except tab and line
 * feed. JSON.stringify alone would escape C0 (`\u001b`) but pass C1 (U+009B) and DEL through
 * raw, and a script printing the value (`jq -r`) would still hand ESC to its terminal.
 */
export function jsonSafeString(s: string): string {
  return s.replace(CONTROLS_BUT_TAB_LF, '');
}

/** A deep copy of a JSON-able value with every string (keys included) through `jsonSafeString`. */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === 'string') return jsonSafeString(value);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === 'object') {
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [jsonSafeString(k), jsonSafe(v)]),
    );
  }
  return value;
}

/**
 * What can give inline Markdown structure: code spans and emphasis (`` ` `` `*` `~`), links
 * and images (`[` `]`; without them `(…)` is plain text), raw HTML and entities (`<` `>` `&`),
 * table cells (`|`) and the escape itself. Each gets a backslash, which CommonMark and GitHub
 * render as the plain character. (`_` and `(` stay as they are: error codes and AD meanings
 * read better, and neither can open a link, HTML or a cell.)
 */
const MARKDOWN_SPECIALS = /[\\`*~[\]<>&|]/g;

/**
 * What GitHub's Markdown turns into a link with no brackets at all (GFM's autolink extension):
 * `http://`, `https://`, `mailto:`/`xmpp:` and `www.` runs, and bare email addresses (`ftp://`
 * too, which other renderers link).
 * Each such run is shown in a code span, where nothing is ever a link. A run stops at white
 * space, `|`, a backtick, `<` and `>`, which are escaped outside it as usual.
 */
const AUTOLINKS =
  /(?:(?:https?|ftp):\/\/|(?:mailto|xmpp):|www\.)[^\s|`<>]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gi;

/**
 * A value for inline Markdown (a table cell, a list item, a heading): one line, no control
 * character, every Markdown/HTML special escaped and every would-be autolink in a code span,
 * so it renders as the text it is and can neither add a row or column, nor become a link, an
 * image or raw HTML.
 */
export function markdownText(s: string): string {
  const line = terminalLine(s);
  const escape = (text: string) => text.replace(MARKDOWN_SPECIALS, (c) => `\\${c}`);
  let out = '';
  let at = 0;
  for (const m of line.matchAll(AUTOLINKS)) {
    out += `${escape(line.slice(at, m.index))}\`${m[0]}\``;
    at = m.index + m[0].length;
  }
  return out + escape(line.slice(at));
}

/**
 * A fenced code block whose fence is longer than any run of backticks inside `body`, so the
 * body (a tenant's JSON answer) cannot close it early; control characters other than line
 * feed and tab are removed.
 */
export function markdownFence(body: string, info = ''): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${jsonSafeString(body)}\n${fence}`;
}

/** Whether `s` holds a control, line-separator or text-direction character (a name must not). */
export function hasHiddenControls(s: string): boolean {
  return s.search(CONTROLS) !== -1;
}
