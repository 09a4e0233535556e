/**
 * The "untranslated text" detector of the every-screen walk (test/e2e/i18n-walk.spec.ts,
 * issue 13): what an employee sees on a screen (`collectShownText`, run in the page), and which
 * of it came out untranslated in a non-English language (`untranslatedIn`): a catalog key shown
 * as-is, an English catalog message where the language has its own, or — a separate, looser
 * rule — text that reads as English (`englishLooking`). Text inside `[translate="no"]` is data
 * (names, codes, URLs, tokens) and is never collected.
 *
 * Kept apart from the spec so test/unit/untranslated.test.ts can prove each rule fires and
 * each exclusion holds. No DOM types here: the collector is written against the few node
 * fields it reads, so this file also compiles in the Node program of the unit test.
 */

/** One language's messages, every area merged: key → ICU message. */
export type Catalog = Record<string, string>;

/** Every language's catalog, its areas merged (what the window loads). */
export { readCatalogs } from '../../scripts/catalog-check';

/** A piece of text on the screen, and where it sits: a text node, or an attribute's name. */
export interface ShownText {
  text: string;
  /** `text`, or the attribute it was read from (`aria-label`, `title`, `placeholder`…). */
  where: string;
}

/** The few fields of a DOM node the collector reads (a real DOM node has them all). */
interface WalkNode {
  nodeType: number;
  nodeValue: string | null;
  childNodes: ArrayLike<WalkNode>;
}
interface WalkElement extends WalkNode {
  tagName: string;
  getAttribute(name: string): string | null;
  checkVisibility?(options?: Record<string, boolean>): boolean;
  options?: ArrayLike<WalkElement & { text: string }>;
}

/**
 * The text an employee sees (or hears, from a screen reader) on the page: each visible text
 * node, the options of each visible `<select>`, and the `aria-label`, `aria-description`,
 * `aria-roledescription`, `aria-valuetext`, `title`, `placeholder` and `alt` of each visible
 * element, whitespace collapsed, without duplicates. Skipped: every subtree under
 * `translate="no"` (data, as browser translators skip it), invisible elements
 * (`checkVisibility()`: `display: none`, `hidden`, a closed `<details>`, `visibility: hidden`),
 * what is typed into fields (`<input>`/`<textarea>` values), scripts and styles, and text
 * without a letter. Visually hidden text (`.visually-hidden`) is
 * kept: a screen reader reads it.
 *
 * Self-contained (no reference outside its body), so `page.evaluate(collectShownText)` ships it
 * to the page as it is.
 */
export function collectShownText(): ShownText[] {
  const ATTRIBUTES = [
    'aria-label',
    'aria-description',
    'aria-roledescription',
    'aria-valuetext',
    'title',
    'placeholder',
    'alt',
  ];
  const SKIP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'TEXTAREA']);
  const seen = new Set<string>();
  const out: { text: string; where: string }[] = [];
  const add = (raw: string | null, where: string) => {
    const text = (raw ?? '').replace(/\s+/g, ' ').trim();
    if (!/\p{L}/u.test(text) || seen.has(`${where}\n${text}`)) return;
    seen.add(`${where}\n${text}`);
    out.push({ text, where });
  };
  const page = globalThis as unknown as {
    document: { body: WalkElement };
    getComputedStyle?(el: WalkElement): { display: string };
  };
  // An element with `display: contents` has no box of its own, but its children do.
  const visible = (el: WalkElement) =>
    !el.checkVisibility ||
    el.checkVisibility({ checkVisibilityCSS: true, visibilityProperty: true }) ||
    page.getComputedStyle?.(el).display === 'contents';
  const walk = (el: WalkElement) => {
    const tag = el.tagName.toUpperCase();
    const translate = el.getAttribute('translate');
    if (translate !== null && translate.toLowerCase() === 'no') return;
    if (SKIP.has(tag) || !visible(el)) return;
    for (const name of ATTRIBUTES) add(el.getAttribute(name), name);
    const type = (el.getAttribute('type') ?? '').toLowerCase();
    if (tag === 'INPUT' && ['submit', 'button', 'reset'].includes(type))
      add(el.getAttribute('value'), 'value');
    if (tag === 'SELECT') {
      // Options have no box of their own: a visible select shows them all when opened.
      for (const option of Array.from(el.options ?? [])) {
        const t = option.getAttribute('translate');
        if (t === null || t.toLowerCase() !== 'no') add(option.text, 'option');
      }
      return;
    }
    for (const child of Array.from(el.childNodes)) {
      if (child.nodeType === 3) add(child.nodeValue, 'text');
      else if (child.nodeType === 1) walk(child as WalkElement);
    }
  };
  walk(page.document.body);
  return out;
}

/** Text the walk flags, the rule that fired, and the catalog key it matched (if any). */
export interface Offender extends ShownText {
  rule: 'key' | 'english-message' | 'english-looking';
  key?: string;
}

/** How `untranslatedIn` recognises one English message on the screen. */
interface EnglishMessage {
  key: string;
  /** The message as shown (no placeholders), or a pattern with one wildcard per placeholder. */
  match: string | RegExp;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** ICU's quoting: `''` is one apostrophe (Signet's messages use ’, so nothing else is quoted). */
const unquote = (s: string) => s.replace(/''/g, "'");

/**
 * How an English message shows on screen: the text itself, a pattern where each simple `{x}`
 * matches any text, or undefined for what cannot be told from data — plural/select messages
 * (their shown form varies), and messages with fewer than 3 letters of their own (`{n} s`).
 */
export function shownForm(message: string): string | RegExp | undefined {
  if (/\{\s*\w+\s*,/.test(message)) return undefined; // plural, select, selectordinal, number…
  const parts = message.split(/\{\s*\w+\s*\}/);
  const letters = parts.join('').match(/\p{L}/gu)?.length ?? 0;
  if (letters < 3) return undefined;
  if (parts.length === 1) return collapse(unquote(message));
  return new RegExp(`^${parts.map((p) => escapeRegExp(collapse(unquote(p)))).join('(.+?)')}$`, 's');
}

/** A message's fixed text between its simple placeholders, trimmed of spaces and punctuation. */
function fragments(message: string): string[] {
  if (/\{\s*\w+\s*,/.test(message)) return [];
  return message
    .split(/\{\s*\w+\s*\}/)
    .map((p) => collapse(unquote(p)).replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, ''))
    .filter(Boolean);
}

/**
 * A checker for `lang`: flags shown text equal to any English key (rule a), or equal to — or,
 * for a message with placeholders, shaped like — an English message whose translation in `lang`
 * differs or is missing (rule b). A message rendered around an element (`Continue as
 * <bdi>{name}</bdi>`) shows its fixed text as a node of its own: that fragment is flagged too
 * when it has two words and six letters or more. Text that is one of the language's own
 * messages (or fragments) is never flagged (an English word a language keeps, like "SMS").
 */
export function untranslatedIn(
  en: Catalog,
  own: Catalog,
): (shown: readonly ShownText[]) => Offender[] {
  const keys = new Set(Object.keys(en));
  const ownTexts = new Set(
    Object.values(own).flatMap((m) => [collapse(unquote(m)), ...fragments(m)]),
  );
  const english: EnglishMessage[] = [];
  for (const [key, message] of Object.entries(en)) {
    if (own[key] !== undefined && own[key] === message) continue;
    const match = shownForm(message);
    if (match === undefined) continue;
    english.push({ key, match });
    if (typeof match === 'string') continue;
    for (const fragment of fragments(message))
      if (fragment.includes(' ') && (fragment.match(/\p{L}/gu)?.length ?? 0) >= 6)
        english.push({ key, match: fragment });
  }
  return (shown) => {
    const found: Offender[] = [];
    for (const s of shown) {
      if (keys.has(s.text)) {
        found.push({ ...s, rule: 'key', key: s.text });
        continue;
      }
      if (ownTexts.has(s.text)) continue;
      const bare = s.text.replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');
      const hit = english.find((m) =>
        typeof m.match === 'string' ? m.match === s.text || m.match === bare : m.match.test(s.text),
      );
      if (hit) found.push({ ...s, rule: 'english-message', key: hit.key });
    }
    return found;
  };
}

/** The words rule (c) looks for (the list). */
const ENGLISH_MARKERS = /\b(the|and|your|you|sign|password|settings|code|with)\b/i;
/**
 * Common English words of Signet's screens that German, French, Spanish and Portuguese do not
 * write (so not "in", "an", "a", "on", "as", "no", "was", "use", "Details", "Token", "Code"
 * counts once): two of them in one text make it English-looking. "Code senden" is German.
 */
const ENGLISH_WORDS = new Set(
  (
    'the and your you sign signed signing password passwords settings code codes with send ' +
    'resend sent to of for is are this that not or at by from show hide copy copied reveal ' +
    'account accounts connection connections save saved check run request requests username ' +
    'phone number enter back more instead again will can could be been have it its out up ' +
    'here there when which what who only never none nothing cancelled remove add reload ' +
    'download verify verified expires expired keep me my share allow last welcome continue ' +
    'forgot remember create device language automatic system signout signin try please ' +
    'set by left right hidden new'
  ).split(' '),
);

/**
 * A token that is data, not prose: with `_`, `/`, `\\`, `@`, `=`, a digit, a dot inside
 * (`report.json`, `corp.example`), or two hyphens (`signet-connection-report-…`); such text
 * belongs in `translate="no"`, but an attribute (a download link's label naming its file) can
 * only mix it in.
 */
const DATA_TOKEN = /\S*(?:[_/\\@=\d]|\.\w|-\S*-)\S*/g;

/**
 * Words of Signet's screens a language written in another script (Japanese, Chinese, Arabic)
 * would not show in Latin letters, beyond ENGLISH_WORDS: there one of them makes a label English.
 */
const ENGLISH_LABEL_WORDS = new Set(
  (
    'details email token tokens name note export report description status expect database ' +
    'directory country digit loading optional claims groups user profile raw refresh tenant ' +
    'search browse choose result results match matches'
  ).split(' '),
);

/**
 * Rule (c), a heuristic for English no catalog knows (a sentence still hard-coded in a
 * component): text of two words or more, matching the marker words, with at least two
 * different English words (a key like `settings.save` is data: rule (a) reports it). For a
 * language not written in Latin letters (`latinScript` false), also any text all in Latin
 * letters with one English word of the screens ("Password", "Details"): a label left in English.
 */
export function englishLooking(shown: readonly ShownText[], latinScript = true): Offender[] {
  return shown
    .filter((s) => {
      // Words of data are no English: file names, identifiers, addresses, paths, versions.
      const prose = s.text.replace(DATA_TOKEN, ' ');
      const words = prose.toLowerCase().match(/[a-z]+/g) ?? [];
      const english = (set: Set<string>) => new Set(words.filter((w) => set.has(w))).size;
      if (!latinScript) {
        const letters = prose.match(/\p{L}/gu) ?? [];
        const allLatin = letters.every((l) => /[a-z]/i.test(l));
        if (allLatin && english(ENGLISH_WORDS) + english(ENGLISH_LABEL_WORDS) >= 1) return true;
      }
      return ENGLISH_MARKERS.test(prose) && words.length >= 2 && english(ENGLISH_WORDS) >= 2;
    })
    .map((s) => ({ ...s, rule: 'english-looking' as const }));
}

/**
 * One assertion message for a screen's offenders, one per line:
 * `de / Settings: "Save settings" (settings.save)`; attributes named after the key.
 */
export function describeOffenders(where: string, offenders: readonly Offender[]): string {
  return offenders
    .map((o) => {
      const why = o.key ?? (o.rule === 'english-looking' ? 'English-looking' : o.rule);
      const attr = o.where === 'text' ? '' : ` [${o.where}]`;
      return `${where}: "${o.text}" (${why})${attr}`;
    })
    .join('\n');
}
