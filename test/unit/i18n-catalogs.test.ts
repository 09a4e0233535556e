/**
 * The window's catalogs (src/renderer/i18n/icu/<lang>.json): one per supported language, each
 * with English's keys and placeholders, compiling, with every plural form the language needs;
 * and the check catches each kind of mistake, as the build plugin does a malformed message.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGE_TAGS } from '../../src/shared/languages';
import { catalogProblems, type Catalog } from '../../scripts/catalog-check';
import { compileCatalog } from '../../scripts/icu-plugin';

const DIR = join(import.meta.dirname, '../../src/renderer/i18n/icu');
const catalogs: Record<string, Catalog> = Object.fromEntries(
  readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(DIR, f), 'utf8'))]),
);

describe('i18n catalogs', () => {
  it('has one catalog per supported language, and no other', () => {
    expect(Object.keys(catalogs).sort()).toEqual([...LANGUAGE_TAGS].sort());
  });

  it('every catalog matches English: keys, placeholders, plural forms, compiling', () => {
    expect(catalogProblems(catalogs)).toEqual([]);
  });

  it('translates: a non-English catalog differs from English beyond names like "SMS"', () => {
    const en = catalogs.en!;
    for (const lang of LANGUAGE_TAGS.filter((l) => l !== 'en')) {
      const same = Object.keys(en).filter((k) => catalogs[lang]![k] === en[k]);
      expect(
        same.every((k) => /^[ /]*$/.test(en[k]!.replace(/LDAP|SMS/g, ''))),
        lang,
      ).toBe(true);
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

  it('the build plugin refuses a malformed message, naming the file and the key', () => {
    expect(() => compileCatalog('icu/de.json', '{"nav.account": "Konto {n"}')).toThrow(
      /^icu\/de\.json: "nav\.account": /,
    );
    expect(compileCatalog('icu/de.json', '{"x": "Hallo {name}"}')).toEqual({
      x: ['Hallo ', ['name']],
    });
  });
});
