/**
 * The languages Signet's window speaks: one list, with each language's own name (what the
 * Settings picker shows) and its writing direction, and the rule that picks one from the
 * user's choice (Settings, or IT's managed `language`) and the operating system's locale.
 * Pure: no Node, no DOM; main resolves, the renderer shows.
 */

/** Every supported language as a BCP 47 tag, with its native name and direction. */
export const LANGUAGES = {
  en: { name: 'English', dir: 'ltr' },
  de: { name: 'Deutsch', dir: 'ltr' },
  fr: { name: 'Français', dir: 'ltr' },
  es: { name: 'Español', dir: 'ltr' },
  'pt-BR': { name: 'Português (Brasil)', dir: 'ltr' },
  ja: { name: '日本語', dir: 'ltr' },
  'zh-CN': { name: '简体中文', dir: 'ltr' },
  ar: { name: 'العربية', dir: 'rtl' },
} as const satisfies Record<string, { name: string; dir: 'ltr' | 'rtl' }>;

export type LanguageTag = keyof typeof LANGUAGES;

/** The tags in the order the Settings picker lists them. */
export const LANGUAGE_TAGS = Object.keys(LANGUAGES) as LanguageTag[];

/** What the window speaks when neither the user, IT nor the OS names a supported language. */
export const DEFAULT_LANGUAGE: LanguageTag = 'en';

/** Whether `tag` is one of the supported tags, exactly as listed (`pt-BR`, not `pt-br`). */
export function isLanguageTag(tag: unknown): tag is LanguageTag {
  return typeof tag === 'string' && Object.hasOwn(LANGUAGES, tag);
}

/** The writing direction of a supported language (`rtl` for Arabic). */
export const languageDirection = (tag: LanguageTag): 'ltr' | 'rtl' => LANGUAGES[tag].dir;

/**
 * Chinese written in Traditional characters: never answered with Simplified Chinese (a
 * Taiwanese or Hong Kong employee reads English rather than the other script).
 */
const TRADITIONAL_CHINESE_REGIONS = new Set(['TW', 'HK', 'MO']);

/**
 * The supported language for an OS locale (`de-AT`, `pt_PT`, `zh-Hans-SG`, `en-US.UTF-8`),
 * matched the BCP 47 way: by primary language, then script for Chinese. Portuguese of any
 * region is served Brazilian Portuguese (the only Portuguese catalog); Chinese is served
 * Simplified Chinese unless the script is Traditional (`zh-Hant`) or, with no script, the
 * region writes Traditional (`zh-TW`). Undefined when no supported language fits.
 */
export function matchLocale(locale: string | null | undefined): LanguageTag | undefined {
  if (!locale) return undefined;
  // POSIX forms (`de_AT.UTF-8@euro`) → BCP 47 subtags.
  const subtags = locale
    .trim()
    .replace(/[.@].*$/, '')
    .split(/[-_]/)
    .filter(Boolean);
  const primary = subtags[0]?.toLowerCase();
  if (!primary || !/^[a-z]{2,3}$/.test(primary)) return undefined;
  const rest = subtags.slice(1);
  const script = rest.find((s) => /^[a-z]{4}$/i.test(s))?.toLowerCase();
  const region = rest.find((s) => /^([a-z]{2}|\d{3})$/i.test(s))?.toUpperCase();
  switch (primary) {
    case 'pt':
      return 'pt-BR';
    case 'zh':
      if (script === 'hant') return undefined;
      if (script === 'hans') return 'zh-CN';
      return region && TRADITIONAL_CHINESE_REGIONS.has(region) ? undefined : 'zh-CN';
    default:
      return isLanguageTag(primary) ? primary : undefined;
  }
}

/**
 * The language the window speaks: an explicit choice wins (the user's in Settings, or IT's
 * managed `language`, which locks it), else the OS locale when a supported language fits it
 * (`app.getLocale()`), else English.
 */
export function resolveLanguage(
  choice: LanguageTag | null | undefined,
  systemLocale: string | null | undefined,
): LanguageTag {
  if (isLanguageTag(choice)) return choice;
  return matchLocale(systemLocale) ?? DEFAULT_LANGUAGE;
}
