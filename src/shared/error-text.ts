/**
 * The sentences of `SignInError`s, written once (issue 13). Each lives in
 * `error-text.en.json` as an ICU message under an `errors.…` key; that file is also the
 * window's English `errors` catalog area (src/renderer/i18n/index.ts compiles it through
 * scripts/icu-plugin.ts), and `icu/<lang>/errors.json` translate it. Core builds an error's
 * text with `errorText(key, values)`: `message` is the English sentence (the CLI, logs and
 * reports read it), `i18n` the key and values the window translates.
 *
 * Values are data (a host, a connection's name, an HTTP status, the tenant's description),
 * never English words: a sentence that varies by a word is a key per variant.
 *
 * Pure TypeScript, no parser dependency: the English messages use only `{name}`, `plural`
 * and `select`, which `formatEnglish` renders (test/unit/error-text.test.ts checks each
 * rendering against Lingui's). In the window's build the plugin compiles this same file to
 * Lingui's form, so one copy is both the English catalog and these factories' text: the
 * factories then read the compiled form (`formatCompiled`).
 */
import type { SignInError } from './errors.js';
import TEXT from './error-text.en.json' with { type: 'json' };

/** A key of an error sentence (or of the window's labels around one). */
export type ErrorTextKey = keyof typeof TEXT;

/** The placeholders' values of a sentence. */
export type TextValues = Record<string, string | number>;

/** An error's user-facing text: the English sentence (and hint) with their keys. */
export type ErrorText = Pick<SignInError, 'message' | 'hint'> & {
  i18n: NonNullable<SignInError['i18n']>;
};

/** Lingui's compiled form of a message: text, `[name]`, or `[name, plural|select, arms]`. */
type Compiled = (string | [string, string?, Record<string, Compiled>?])[];

/** ICU text under Node (core, CLI, tests); compiled in the window's build. */
const english: Readonly<Record<string, string | Compiled>> = TEXT;

/** Whether `key` is one of the error sentences' keys. */
export const isErrorTextKey = (key: string): key is ErrorTextKey => Object.hasOwn(english, key);

/** The English rendering of `key` with `values`. */
export function englishText(key: ErrorTextKey, values: TextValues = {}): string {
  return formatStored(english[key]!, values);
}

/** Renders a message as stored: ICU text, or Lingui's compiled form. */
export function formatStored(message: string | Compiled, values: TextValues): string {
  return typeof message === 'string'
    ? formatEnglish(message, values)
    : formatCompiled(message, values);
}

/**
 * The text of an error: `message` (and `hint` when `hintKey` is given) in English, and the
 * keys and values the window shows in the user's language. Spread it into a `SignInError`.
 */
export function errorText(
  key: ErrorTextKey,
  values?: TextValues,
  hintKey?: ErrorTextKey,
): ErrorText {
  const i18n: ErrorText['i18n'] = { key };
  if (hintKey) i18n.hintKey = hintKey;
  if (values && Object.keys(values).length) i18n.values = values;
  return {
    message: englishText(key, values),
    ...(hintKey ? { hint: englishText(hintKey, values) } : {}),
    i18n,
  };
}

/** The index of the `}` closing the `{` at `open`. */
function closing(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src[i] === '{') depth++;
    else if (src[i] === '}' && --depth === 0) return i;
  }
  throw new Error(`unclosed { in: ${src}`);
}

const plural = new Intl.PluralRules('en');
const number = new Intl.NumberFormat('en');

/** One `{…}` argument: a plain `{name}`, or `{name, plural|select, arm {…} …}`. */
function argument(body: string, values: TextValues): string {
  const [name = '', type, ...rest] = body.split(',');
  const value = values[name.trim()];
  if (type === undefined) return value === undefined ? `{${body}}` : String(value);
  const arms = new Map<string, string>();
  const spec = rest.join(',');
  for (let i = 0; i < spec.length;) {
    const open = spec.indexOf('{', i);
    if (open < 0) break;
    const end = closing(spec, open);
    arms.set(spec.slice(i, open).trim(), spec.slice(open + 1, end));
    i = end + 1;
  }
  if (type.trim() === 'plural') {
    const n = Number(value);
    const arm = arms.get(`=${n}`) ?? arms.get(plural.select(n)) ?? arms.get('other') ?? '';
    return formatEnglish(arm, values, number.format(n));
  }
  return formatEnglish(arms.get(String(value)) ?? arms.get('other') ?? '', values);
}

/** Renders an English ICU message of the subset above; `hash` is a plural's `#`. */
export function formatEnglish(src: string, values: TextValues, hash?: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '{') {
      const end = closing(src, i);
      out += argument(src.slice(i + 1, end), values);
      i = end;
    } else out += c === '#' && hash !== undefined ? hash : c;
  }
  return out;
}

/** Renders Lingui's compiled form of an English message; `hash` is a plural's `#`. */
function formatCompiled(tokens: Compiled, values: TextValues, hash?: string): string {
  let out = '';
  for (const token of tokens) {
    if (typeof token === 'string') {
      out += token === '#' && hash !== undefined ? hash : token;
      continue;
    }
    const [name, type, arms = {}] = token;
    const value = values[name];
    if (!type) out += value === undefined ? `{${name}}` : String(value);
    else if (type === 'plural') {
      const n = Number(value);
      const arm = arms[`=${n}`] ?? arms[plural.select(n)] ?? arms.other ?? [];
      out += formatCompiled(arm, values, number.format(n));
    } else out += formatCompiled(arms[String(value)] ?? arms.other ?? [], values);
  }
  return out;
}
