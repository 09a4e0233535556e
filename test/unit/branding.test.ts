/** Branding's pure half: the block checked field by field, and WCAG contrast per theme. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  brandColors,
  checkBranding,
  contrastRatio,
  formatRatio,
  NON_TEXT_CONTRAST,
  relativeLuminance,
  TEXT_CONTRAST,
  THEME_SURFACES,
  themeColor,
  windowTitle,
  type ThemeName,
} from '../../src/shared/branding';

const THEMES: ThemeName[] = ['light', 'dark'];

describe('WCAG contrast', () => {
  it('gives the known ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBe(21);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    // Order does not matter; #rgb is #rrggbb.
    expect(contrastRatio('#fff', '#777')).toBe(contrastRatio('#777777', '#ffffff'));
    expect(relativeLuminance('#ff0000')).toBeCloseTo(0.2126, 4);
  });

  it('writes a ratio truncated, so a failing one never reads as passing', () => {
    expect(formatRatio(contrastRatio('#777777', '#ffffff'))).toBe('4.47:1');
    expect(formatRatio(4.499999)).toBe('4.49:1');
    expect(formatRatio(21)).toBe('21:1');
  });

  it('keeps Signet’s own colours as they are (they already pass in their theme)', () => {
    expect(themeColor('#1d5bb8', 'light')).toMatchObject({ primary: '#1d5bb8', changed: false });
    expect(themeColor('#7db0ff', 'dark')).toMatchObject({ primary: '#7db0ff', changed: false });
  });

  it('darkens a low-contrast colour in the light theme and says so', () => {
    const { colors, adjustments } = brandColors('#ffd700');
    expect(colors.light.primary).not.toBe('#ffd700');
    expect(relativeLuminance(colors.light.primary)).toBeLessThan(relativeLuminance('#ffd700'));
    expect(adjustments.map((a) => a.message)).toEqual([
      expect.stringMatching(
        new RegExp(`^#ffd700 was darkened to ${colors.light.primary} in the light theme`),
      ),
    ]);
    // Gold on the dark page is fine as it is.
    expect(colors.dark.primary).toBe('#ffd700');
  });

  it('lightens a dark colour in the dark theme', () => {
    const { colors, adjustments } = brandColors('#000');
    expect(colors.light.primary).toBe('#000000');
    expect(relativeLuminance(colors.dark.primary)).toBeGreaterThan(0);
    expect(adjustments.map((a) => a.message)).toEqual([
      expect.stringMatching(/^#000000 was lightened to #[0-9a-f]{6} in the dark theme/),
    ]);
  });

  it.each([
    '#ffd700',
    '#ffffff',
    '#000000',
    '#777777',
    '#ff0000',
    '#00ff00',
    '#1d5bb8',
    '#f0f',
    '#808080',
    '#0a1526',
  ])(
    '%s: in both themes the text reaches 4.5:1 and the colour stands 3:1 off the page',
    (color) => {
      const { colors } = brandColors(color);
      for (const theme of THEMES) {
        const { primary, onPrimary } = colors[theme];
        expect(contrastRatio(primary, onPrimary)).toBeGreaterThanOrEqual(TEXT_CONTRAST);
        for (const bg of THEME_SURFACES[theme].backgrounds)
          expect(contrastRatio(primary, bg)).toBeGreaterThanOrEqual(NON_TEXT_CONTRAST);
      }
    },
  );

  it('keeps the hue when it adjusts (HSL lightness steps)', () => {
    const { colors } = brandColors('#ffd700');
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colors.light.primary.slice(i, i + 2), 16));
    // Still a yellow: red and green high against blue, in gold's proportion.
    expect(b).toBeLessThan(10);
    expect(g! / r!).toBeCloseTo(215 / 255, 1);
  });

  it('uses the themes’ real backgrounds and text colours (the same as styles.css)', () => {
    const css = readFileSync('src/renderer/styles.css', 'utf8');
    const [light, dark] = css.split('@media (prefers-color-scheme: dark)');
    const value = (block: string, name: string) =>
      new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(block)?.[1]?.toLowerCase();
    expect(THEME_SURFACES.light.backgrounds).toEqual([
      value(light!, 'bg'),
      value(light!, 'surface'),
    ]);
    expect(THEME_SURFACES.dark.backgrounds).toEqual([value(dark!, 'bg'), value(dark!, 'surface')]);
    expect(THEME_SURFACES.light.darkText).toBe(value(light!, 'text'));
    expect(THEME_SURFACES.dark.darkText).toBe(value(dark!, 'on-primary'));
  });
});

describe('checkBranding', () => {
  it('answers nothing and no problem when there is no block', () => {
    expect(checkBranding(undefined)).toEqual({ problems: [] });
  });

  it('keeps the usable fields, trimmed and in canonical form', () => {
    expect(
      checkBranding({ name: '  Acme Corp ', logo: '/opt/acme/logo.svg', primaryColor: '#15B' }),
    ).toEqual({
      name: 'Acme Corp',
      logo: '/opt/acme/logo.svg',
      primaryColor: '#1155bb',
      problems: [],
    });
    expect(checkBranding({ logo: 'C:\\ProgramData\\Acme\\logo.png' }).logo).toBe(
      'C:\\ProgramData\\Acme\\logo.png',
    );
  });

  it('reports each wrong field by name and still keeps the others', () => {
    const r = checkBranding({
      name: 'Acme',
      logo: 'logo.png',
      primaryColor: 'blue',
      primaryColour: '#fff',
    });
    expect(r.name).toBe('Acme');
    expect(r.logo).toBeUndefined();
    expect(r.primaryColor).toBeUndefined();
    expect(r.problems).toMatchObject([
      { field: 'branding.primaryColour', message: expect.stringMatching(/not a branding field/) },
      { field: 'branding.logo', message: 'must be an absolute path' },
      { field: 'branding.primaryColor', message: expect.stringMatching(/hex colour/) },
    ]);
  });

  it.each([
    [
      'a name with a right-to-left override',
      { name: 'Acme\u202egnp.exe' },
      'branding.name',
      /control or text-direction/,
    ],
    ['a name with a line break', { name: 'Acme\nSigned in as admin' }, 'branding.name', /control/],
    ['a 101-character name', { name: 'x'.repeat(101) }, 'branding.name', /at most 100/],
    ['an empty name', { name: '   ' }, 'branding.name', /empty/],
    ['a name that is not text', { name: 42 }, 'branding.name', /text/],
    [
      'a logo path past 4096 characters',
      { logo: `/${'a'.repeat(4096)}` },
      'branding.logo',
      /at most 4096/,
    ],
    ['a logo path with a NUL', { logo: '/opt/logo.png\0.svg' }, 'branding.logo', /control/],
    ['a CSS colour name', { primaryColor: 'red' }, 'branding.primaryColor', /hex/],
    ['a four-digit hex', { primaryColor: '#1234' }, 'branding.primaryColor', /hex/],
    [
      'a CSS injection',
      { primaryColor: '#fff; background: url(x)' },
      'branding.primaryColor',
      /hex/,
    ],
  ])('refuses %s', (_name, block, field, message) => {
    const r = checkBranding(block);
    expect(r.problems).toMatchObject([{ field, message: expect.stringMatching(message) }]);
  });

  it('reports a block that is not an object as the whole block', () => {
    expect(checkBranding('Acme').problems).toMatchObject([
      { field: 'branding', message: expect.stringMatching(/object/) },
    ]);
    expect(checkBranding(['Acme']).problems[0]?.field).toBe('branding');
  });

  it('titles the window with the company first', () => {
    expect(windowTitle('Acme')).toBe('Acme — Signet');
    expect(windowTitle(null)).toBe('Signet');
  });
});
