/** Which language the window speaks: the choice, else the OS locale by BCP 47, else English. */
import { describe, expect, it } from 'vitest';
import {
  LANGUAGE_TAGS,
  languageDirection,
  matchLocale,
  resolveLanguage,
} from '../../src/shared/languages';

describe('languages', () => {
  it('lists the eight languages, Arabic right-to-left', () => {
    expect(LANGUAGE_TAGS).toEqual(['en', 'de', 'fr', 'es', 'pt-BR', 'ja', 'zh-CN', 'ar']);
    expect(LANGUAGE_TAGS.filter((t) => languageDirection(t) === 'rtl')).toEqual(['ar']);
  });

  it.each([
    ['de-AT', 'de'],
    ['de', 'de'],
    ['fr-CA', 'fr'],
    ['es-419', 'es'],
    ['en-GB', 'en'],
    ['ja-JP', 'ja'],
    ['ar-EG', 'ar'],
    ['pt', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['pt-BR', 'pt-BR'],
    ['zh', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['zh-SG', 'zh-CN'],
    ['zh-Hans-HK', 'zh-CN'],
    ['de_AT.UTF-8', 'de'],
    ['DE-at', 'de'],
  ])('the OS locale %s gives %s', (locale, tag) => {
    expect(matchLocale(locale)).toBe(tag);
    expect(resolveLanguage(undefined, locale)).toBe(tag);
  });

  it.each(['zh-TW', 'zh-Hant', 'zh-HK', 'zh-Hant-CN', 'ko-KR', 'nl', 'C', '', 'x', 'english'])(
    'the OS locale %j matches no language, so the window speaks English',
    (locale) => {
      expect(matchLocale(locale)).toBeUndefined();
      expect(resolveLanguage(undefined, locale)).toBe('en');
    },
  );

  it('an explicit choice wins over the OS locale', () => {
    expect(resolveLanguage('ar', 'de-DE')).toBe('ar');
    expect(resolveLanguage('ja', null)).toBe('ja');
    expect(resolveLanguage(null, null)).toBe('en');
  });
});
