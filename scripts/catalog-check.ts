/**
 * The catalog check of issue 13 (ported from the m2 prototype's check-catalogs.mjs): every
 * language's ICU catalog must have exactly English's keys, the same placeholders per message,
 * messages that compile, and in each plural every form the language's `Intl.PluralRules`
 * uses (Arabic: zero, one, two, few, many, other). test/unit/i18n-catalogs.test.ts runs it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileMessageOrThrow, type CompiledMessage } from '@lingui/message-utils/compileMessage';

/** A catalog as written: `{ key: "ICU message" }`. */
export type Catalog = Record<string, string>;

/** Where the window's catalogs live: `<lang>/<area>.json`. */
export const CATALOG_DIR = join(import.meta.dirname, '../src/renderer/i18n/icu');
/** English's `errors` area: core's sentences, shared with the CLI (src/shared/error-text.ts). */
export const ENGLISH_ERRORS = join(import.meta.dirname, '../src/shared/error-text.en.json');

/** The areas of the window: English's files, and `errors`. */
export const catalogAreas = (): string[] => [
  ...readdirSync(join(CATALOG_DIR, 'en')).map((f) => f.replace(/\.json$/, '')),
  'errors',
];

/** Where `lang`'s `area` lives. */
export const catalogFile = (lang: string, area: string): string =>
  lang === 'en' && area === 'errors' ? ENGLISH_ERRORS : join(CATALOG_DIR, lang, `${area}.json`);

/** `lang`'s `area` as written. */
export const readArea = (lang: string, area: string): Catalog =>
  JSON.parse(readFileSync(catalogFile(lang, area), 'utf8')) as Catalog;

/** Every language's catalog, its areas merged: what the window loads. */
export function readCatalogs(): Record<string, Catalog> {
  const areas = catalogAreas();
  return Object.fromEntries(
    readdirSync(CATALOG_DIR).map((l) => [
      l,
      Object.assign({}, ...areas.map((a) => readArea(l, a))) as Catalog,
    ]),
  );
}

interface Shape {
  args: Set<string>;
  plurals: { name: string; forms: string[] }[];
  /** Each `select`'s argument → the keywords of its arms (English's are the ones core sends). */
  selects: Map<string, Set<string>>;
}

/** The argument names and the plurals (with their forms) of a compiled message. */
function shape(
  tokens: CompiledMessage,
  into: Shape = { args: new Set(), plurals: [], selects: new Map() },
): Shape {
  for (const token of tokens) {
    if (typeof token === 'string') continue;
    const [name, type, format] = token;
    into.args.add(name);
    if (!format || typeof format !== 'object') continue;
    const choices = Object.entries(format as Record<string, unknown>).filter(
      ([k]) => k !== 'offset',
    );
    if (type === 'plural') into.plurals.push({ name, forms: choices.map(([k]) => k) });
    if (type === 'select') {
      const arms = into.selects.get(name) ?? new Set<string>();
      for (const [k] of choices) arms.add(k);
      into.selects.set(name, arms);
    }
    if (type === 'plural' || type === 'select' || type === 'selectordinal')
      for (const [, sub] of choices) shape(sub as CompiledMessage, into);
  }
  return into;
}

/** Compiles `message`, or returns the parser's first line of complaint. */
function tryShape(message: string): Shape | string {
  try {
    return shape(compileMessageOrThrow(message));
  } catch (err) {
    return (err as Error).message.split('\n')[0] ?? 'does not compile';
  }
}

const sorted = (s: Set<string>) => [...s].sort().join(', ');

/**
 * The element tags of a message (`<0/>`, `<0>…</0>`, placed by src/renderer/i18n/rich.ts):
 * ICU keeps them as text, so a translation that loses one would silently drop its element.
 */
const tags = (message: string) => (message.match(/<\/?\w+\/?>/g) ?? []).sort().join(' ');

/**
 * Every problem of `catalogs` (language tag → catalog, `en` the reference), one sentence each
 * naming the language and the key; empty when all is well.
 */
export function catalogProblems(catalogs: Record<string, Catalog>): string[] {
  const en = catalogs.en;
  if (!en) return ['en: the English catalog is missing'];
  const problems: string[] = [];
  const reference = new Map<string, Shape>();
  for (const [lang, catalog] of Object.entries(catalogs)) {
    const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    for (const key of Object.keys(en))
      if (!Object.hasOwn(catalog, key)) problems.push(`${lang}: "${key}" is missing`);
    for (const [key, message] of Object.entries(catalog)) {
      if (!Object.hasOwn(en, key)) {
        problems.push(`${lang}: "${key}" is not in English`);
        continue;
      }
      const got = typeof message === 'string' ? tryShape(message) : 'not a string';
      if (typeof got === 'string') {
        problems.push(`${lang}: "${key}" does not compile: ${got}`);
        continue;
      }
      if (lang === 'en') reference.set(key, got);
      const want = lang === 'en' ? got : (reference.get(key) ?? tryShape(en[key]!));
      if (typeof want !== 'string' && sorted(want.args) !== sorted(got.args))
        problems.push(
          `${lang}: "${key}" has placeholders {${sorted(got.args)}}, English {${sorted(want.args)}}`,
        );
      if (typeof want !== 'string')
        for (const [name, arms] of want.selects) {
          const theirs = got.selects.get(name) ?? new Set<string>();
          if (sorted(theirs) !== sorted(arms))
            problems.push(
              `${lang}: "${key}" select {${name}} has ${sorted(theirs) || 'no arms'}, English ${sorted(arms)}`,
            );
        }
      if (tags(message as string) !== tags(en[key]!))
        problems.push(
          `${lang}: "${key}" has tags ${tags(message as string) || 'none'}, English ${tags(en[key]!) || 'none'}`,
        );
      for (const plural of got.plurals) {
        const lacking = needed.filter((form) => !plural.forms.includes(form));
        if (lacking.length)
          problems.push(`${lang}: "${key}" plural {${plural.name}} lacks ${lacking.join(', ')}`);
      }
    }
  }
  return problems;
}
