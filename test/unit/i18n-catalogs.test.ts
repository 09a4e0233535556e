/**
 * The window's catalogs (src/renderer/i18n/icu/<lang>/<area>.json): one folder per supported
 * language with English's area files, each with English's keys and placeholders, compiling,
 * with every plural form the language needs; a key in exactly one area; and the check catches
 * each kind of mistake, as the build plugin does a malformed message. English's `errors` area
 * is core's sentences file, src/shared/error-text.en.json (each sentence written once).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGE_TAGS } from '../../src/shared/languages';
import {
  CATALOG_DIR as DIR,
  catalogAreas,
  catalogFile as file,
  catalogProblems,
  readArea as read,
  readCatalogs,
} from '../../scripts/catalog-check';
import { compileCatalog } from '../../scripts/icu-plugin';

const langs = readdirSync(DIR);
const areas = catalogAreas();
/** Each language's areas merged: what the window loads. */
const catalogs = readCatalogs();

describe('i18n catalogs', () => {
  it("has one folder per supported language, and no other, each with English's area files", () => {
    expect([...langs].sort()).toEqual([...LANGUAGE_TAGS].sort());
    for (const lang of langs) {
      const own = areas.filter((a) => file(lang, a).startsWith(DIR));
      expect(readdirSync(join(DIR, lang)).sort(), lang).toEqual(own.map((a) => `${a}.json`).sort());
      for (const area of areas) expect(existsSync(file(lang, area)), `${lang} ${area}`).toBe(true);
    }
  });

  it('every area of every language matches English: keys, placeholders, plural forms, compiling', () => {
    for (const area of areas)
      expect(
        catalogProblems(Object.fromEntries(langs.map((l) => [l, read(l, area)]))),
        area,
      ).toEqual([]);
  });

  it('a key lives in one area only', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const area of areas)
      for (const key of Object.keys(read('en', area))) {
        if (seen.has(key)) twice.push(`${key} (${seen.get(key)}, ${area})`);
        seen.set(key, area);
      }
    expect(twice).toEqual([]);
  });

  it('translates: a non-English catalog differs from English beyond names like "SMS"', () => {
    const en = catalogs.en!;
    for (const lang of LANGUAGE_TAGS.filter((l) => l !== 'en')) {
      // The same as English only where there are no words: names, placeholders, punctuation.
      const same = Object.keys(en).filter((k) => catalogs[lang]![k] === en[k]);
      expect(
        same.filter((k) => !/^[ /()]*$/.test(en[k]!.replace(/LDAP|SMS|\{\w+\}/g, ''))),
        lang,
      ).toEqual([]);
    }
  });

  it('reports a missing key, an extra key, a changed placeholder, a bad message, a plural lacking forms', () => {
    const en = {
      'a.count': '{n, plural, one {# account} other {# accounts}}',
      'a.reason': 'Failed: {reason}',
      'a.plain': 'Hello',
    };
    const problems = catalogProblems({
      en,
      de: {
        'a.count': '{n, plural, other {# Konten}}',
        'a.reason': 'Fehler: {grund}',
        'a.extra': 'Extra',
      },
      ar: {
        'a.count': '{n, plural, one {حساب واحد} other {# حسابات}}',
        'a.reason': 'فشل: {reason',
        'a.plain': 'مرحبا',
      },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'de: "a.plain" is missing',
        'de: "a.extra" is not in English',
        'de: "a.reason" has placeholders {grund}, English {reason}',
        'de: "a.count" plural {n} lacks one',
        'ar: "a.count" plural {n} lacks few, many, two, zero',
        expect.stringMatching(/^ar: "a\.reason" does not compile: /),
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('reports a select whose arms differ from English’s (a keyword core sends would fall to other)', () => {
    const en = { 'a.which': '{which, select, managed {Managed file} other {User file}}' };
    expect(
      catalogProblems({
        en,
        de: { 'a.which': '{which, select, verwaltet {Verwaltete Datei} other {Benutzerdatei}}' },
        fr: { 'a.which': '{which, select, managed {Fichier géré} other {Fichier utilisateur}}' },
      }),
    ).toEqual(['de: "a.which" select {which} has other, verwaltet, English managed, other']);
  });

  it('the build plugin refuses a malformed message, naming the file and the key', () => {
    expect(() => compileCatalog('icu/de/shell.json', '{"nav.account": "Konto {n"}')).toThrow(
      /^icu\/de\/shell\.json: "nav\.account": /,
    );
    expect(compileCatalog('icu/de/shell.json', '{"x": "Hallo {name}"}')).toEqual({
      x: ['Hallo ', ['name']],
    });
  });
});
