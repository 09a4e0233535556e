/**
 * The company's look (the managed configuration's `branding`): which parts of the block are
 * usable and what is wrong with the rest, field by field, and the primary colour made to meet
 * WCAG contrast in the light and the dark theme. Pure: no Node, no DOM. Main reads the logo
 * (src/core/settings/branding-logo.ts) and answers a `BrandingView`; the renderer applies it.
 *
 * An invalid block never stops the app: the settings schema stores `branding` as it is
 * (src/shared/settings.ts) and each field that fails here is left out, with its problem, so
 * the window shows Signet's own look for it and Diagnostics names the field.
 */
import { errorText, type ErrorText, type ErrorTextKey, type TextValues } from './error-text';
import { hasHiddenControls } from './untrusted-text';

/** The limits of the branding fields, in one place. */
export const BRANDING_LIMITS = {
  /** Characters of the company name (a window title, a header line). */
  name: 100,
  /** Characters of the logo's path (PATH_MAX). */
  logoPath: 4096,
  /** Bytes of the logo file. */
  logoBytes: 256 * 1024,
} as const;

/** The fields of the block, as IT writes them. */
export const BRANDING_FIELDS = ['name', 'logo', 'primaryColor'] as const;
export type BrandingField = (typeof BRANDING_FIELDS)[number];

/**
 * A sentence for IT: `message` in English (the exported report, the CLI, logs) and `i18n`, its
 * key and values in src/shared/error-text.en.json, which the window shows in its language
 * (`errorText(key, values)` builds one).
 */
export type BrandingNote = Pick<ErrorText, 'message'> & Partial<Pick<ErrorText, 'i18n'>>;

/** What is wrong with one field (`branding.logo`), in a sentence for IT. */
export interface BrandingProblem extends BrandingNote {
  field: string;
}

/** The usable parts of a branding block, and a problem for each part that is not. */
export interface CheckedBranding {
  name?: string;
  /** The logo's path; main still has to read and check the file. */
  logo?: string;
  /** `#rrggbb`, lower case (a `#rgb` is expanded). */
  primaryColor?: string;
  problems: BrandingProblem[];
}

/** The two themes of src/renderer/styles.css. */
export type ThemeName = 'light' | 'dark';

/** The primary colour of one theme and the text drawn on it. */
export interface ThemeColors {
  /** Primary buttons, the selected tab and focus rings. */
  primary: string;
  /** Text and icons on `primary` (white, or the theme's near-black). */
  onPrimary: string;
}

/** The branding as the window gets it (the `branding` channel). */
export interface BrandingView {
  /** The company's name (window title, header, About), or null for Signet's own. */
  name: string | null;
  /** The logo as a `data:image/png` or `data:image/svg+xml` URL, or null. */
  logo: string | null;
  /** The primary colour per theme after the contrast check, or null for Signet's own. */
  colors: Record<ThemeName, ThemeColors> | null;
  /** Each field that could not be used and why (shown in Diagnostics). */
  problems: BrandingProblem[];
  /** Each colour the contrast check changed, as a sentence ("#ffd700 was darkened to …"). */
  adjustments: BrandingNote[];
}

/** No branding: Signet's own look. */
export const NO_BRANDING: BrandingView = {
  name: null,
  logo: null,
  colors: null,
  problems: [],
  adjustments: [],
};

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
/** An absolute path on any OS: `/…`, `C:\…` or `C:/…`, `\\server\share\…`. */
const ABSOLUTE_PATH = /^(?:\/|[a-z]:[\\/]|\\\\)/i;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a `branding` block as the settings file holds it (anything at all): answers the
 * fields that are usable and one problem per field that is not, never throwing. Unknown keys
 * are reported too (a misspelt `primaryColour` would otherwise be silently ignored).
 */
export function checkBranding(raw: unknown): CheckedBranding {
  const out: CheckedBranding = { problems: [] };
  if (raw === undefined || raw === null) return out;
  const problem = (field: string, key: ErrorTextKey, values?: TextValues) =>
    out.problems.push({
      field: `branding${field ? `.${field}` : ''}`,
      ...errorText(key, values),
    });
  if (!isPlainObject(raw)) {
    problem('', 'errors.branding.notObject');
    return out;
  }
  for (const key of Object.keys(raw))
    if (!(BRANDING_FIELDS as readonly string[]).includes(key))
      problem(key, 'errors.branding.unknownField', { fields: BRANDING_FIELDS.join(', ') });

  if (raw.name !== undefined) {
    const name = typeof raw.name === 'string' ? raw.name.trim() : undefined;
    if (name === undefined) problem('name', 'errors.branding.notText');
    else if (!name) problem('name', 'errors.branding.empty');
    else if (name.length > BRANDING_LIMITS.name)
      problem('name', 'errors.branding.tooLong', { max: BRANDING_LIMITS.name });
    else if (hasHiddenControls(name)) problem('name', 'errors.branding.hiddenControls');
    else out.name = name;
  }
  if (raw.logo !== undefined) {
    const logo = raw.logo;
    if (typeof logo !== 'string' || !logo) problem('logo', 'errors.branding.logoNotPath');
    else if (logo.length > BRANDING_LIMITS.logoPath)
      problem('logo', 'errors.branding.tooLong', { max: BRANDING_LIMITS.logoPath });
    else if (logo.includes('\0') || hasHiddenControls(logo))
      problem('logo', 'errors.branding.logoControls');
    else if (!ABSOLUTE_PATH.test(logo)) problem('logo', 'errors.branding.logoNotAbsolute');
    else out.logo = logo;
  }
  if (raw.primaryColor !== undefined) {
    const c = raw.primaryColor;
    if (typeof c !== 'string' || !HEX_COLOR.test(c.trim()))
      problem('primaryColor', 'errors.branding.colorInvalid');
    else out.primaryColor = expandHex(c.trim());
  }
  return out;
}

/** `#15b` → `#1155bb`; `#1D5BB8` → `#1d5bb8`. */
function expandHex(hex: string): string {
  const h = hex.slice(1).toLowerCase();
  return `#${h.length === 3 ? [...h].map((c) => c + c).join('') : h}`;
}

// ---- WCAG 2.x contrast ---------------------------------------------------------------

type Rgb = [number, number, number];

function parseHex(hex: string): Rgb {
  const h = expandHex(hex).slice(1);
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
}

const toHex = (rgb: Rgb): string =>
  `#${rgb
    .map((v) =>
      Math.round(Math.min(255, Math.max(0, v)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;

/** WCAG 2.x relative luminance of an sRGB hex colour (0 black … 1 white). */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.x contrast ratio of two colours, 1 … 21 (order does not matter). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (hi + 0.05) / (lo + 0.05);
}

/** A ratio as WCAG writes it, truncated (never rounded up past a threshold): 4.48:1. */
export const formatRatio = (ratio: number): string => `${Math.floor(ratio * 100) / 100}:1`;

/** WCAG AA for text (1.4.3): the label on a primary button. */
export const TEXT_CONTRAST = 4.5;
/** WCAG AA for non-text (1.4.11): a focus ring or a button's edge against the page. */
export const NON_TEXT_CONTRAST = 3;

/**
 * Each theme's backgrounds (the page `--bg` and the card `--surface`) and its two candidate
 * text colours on a primary colour. Mirrors src/renderer/styles.css, and a unit test reads
 * that file to keep them equal.
 */
export const THEME_SURFACES: Record<
  ThemeName,
  { backgrounds: string[]; lightText: string; darkText: string }
> = {
  light: { backgrounds: ['#f4f5f7', '#ffffff'], lightText: '#ffffff', darkText: '#1b1f24' },
  dark: { backgrounds: ['#14171b', '#1d2126'], lightText: '#ffffff', darkText: '#0a1526' },
};

/** Whether `color` works as a theme's primary colour, and the text colour to draw on it. */
function fit(color: string, theme: ThemeName): { onPrimary: string; ok: boolean } {
  const s = THEME_SURFACES[theme];
  const light = contrastRatio(color, s.lightText);
  const dark = contrastRatio(color, s.darkText);
  const onPrimary = light >= dark ? s.lightText : s.darkText;
  const text = Math.max(light, dark);
  const ring = Math.min(...s.backgrounds.map((b) => contrastRatio(color, b)));
  return { onPrimary, ok: text >= TEXT_CONTRAST && ring >= NON_TEXT_CONTRAST };
}

function rgbToHsl([r, g, b]: Rgb): [number, number, number] {
  const [rn, gn, bn] = [r / 255, g / 255, b / 255];
  const max = Math.max(rn, gn, bn);
  const min = Math.min(rn, gn, bn);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h =
    max === rn
      ? (gn - bn) / d + (gn < bn ? 6 : 0)
      : max === gn
        ? (bn - rn) / d + 2
        : (rn - gn) / d + 4;
  return [h / 6, s, l];
}

function hslToRgb([h, s, l]: [number, number, number]): Rgb {
  if (s === 0) return [l * 255, l * 255, l * 255];
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t: number) => {
    const u = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    if (u < 1 / 6) return p + (q - p) * 6 * u;
    if (u < 1 / 2) return q;
    if (u < 2 / 3) return p + (q - p) * (2 / 3 - u) * 6;
    return p;
  };
  return [channel(h + 1 / 3) * 255, channel(h) * 255, channel(h - 1 / 3) * 255];
}

/** The step of the search: one percent of HSL lightness, so the hue and saturation stay. */
const LIGHTNESS_STEP = 0.01;

/**
 * The primary colour for one theme: `color` itself when its text (white or the theme's
 * near-black, whichever contrasts more) reaches 4.5:1 and it stands 3:1 off both of the
 * theme's backgrounds (it is also the focus ring); else the nearest colour of the same hue and
 * saturation, darker in the light theme and lighter in the dark theme, that does. The search
 * always ends: black passes in the light theme and white in the dark one. Links keep the
 * theme's own colour (text on the page would need 4.5:1 and a second, different adjustment).
 */
export function themeColor(color: string, theme: ThemeName): ThemeColors & { changed: boolean } {
  const hex = expandHex(color);
  const first = fit(hex, theme);
  if (first.ok) return { primary: hex, onPrimary: first.onPrimary, changed: false };
  const [h, s, l] = rgbToHsl(parseHex(hex));
  const sign = theme === 'light' ? -1 : 1;
  for (let i = 1; i <= 100; i++) {
    const lightness = Math.min(1, Math.max(0, l + sign * i * LIGHTNESS_STEP));
    const candidate = toHex(hslToRgb([h, s, lightness]));
    const f = fit(candidate, theme);
    if (f.ok) return { primary: candidate, onPrimary: f.onPrimary, changed: true };
  }
  // Unreachable (black and white pass), kept total: the theme's own extreme.
  const last = sign < 0 ? '#000000' : '#ffffff';
  return { primary: last, onPrimary: fit(last, theme).onPrimary, changed: true };
}

/**
 * The primary colour for both themes, and one sentence per theme where it had to change, for
 * Diagnostics: "#ffd700 was darkened to #8a7500 in the light theme: its text reaches 4.5:1
 * and it stands 3:1 off the page".
 */
export function brandColors(color: string): {
  colors: Record<ThemeName, ThemeColors>;
  adjustments: BrandingNote[];
} {
  const hex = expandHex(color);
  const adjustments: BrandingNote[] = [];
  const colors = {} as Record<ThemeName, ThemeColors>;
  for (const theme of ['light', 'dark'] as const) {
    const t = themeColor(hex, theme);
    colors[theme] = { primary: t.primary, onPrimary: t.onPrimary };
    if (t.changed) {
      const text = formatRatio(contrastRatio(t.primary, t.onPrimary));
      const ring = formatRatio(
        Math.min(...THEME_SURFACES[theme].backgrounds.map((b) => contrastRatio(t.primary, b))),
      );
      // The light theme is only ever darkened, the dark one lightened (see themeColor).
      adjustments.push(
        errorText(theme === 'light' ? 'errors.branding.darkened' : 'errors.branding.lightened', {
          from: hex,
          to: t.primary,
          text,
          textNeeds: `${TEXT_CONTRAST}:1`,
          ring,
          ringNeeds: `${NON_TEXT_CONTRAST}:1`,
        }),
      );
    }
  }
  return { colors, adjustments };
}

/** The window's title: the company's name first, when IT set one. */
export function windowTitle(name: string | null | undefined): string {
  return name ? `${name} — Signet` : 'Signet';
}
