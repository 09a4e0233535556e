/**
 * The managed branding in the window (issue 13): the company's name and logo in the header,
 * its colour (corrected for contrast by main) on primary actions and focus rings in both
 * themes, a hostile SVG logo neutralised, an invalid block falling back to Signet's own look,
 * and Diagnostics saying what was changed or wrong. Real managed files, real service.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { BrandingView } from '../../src/shared/branding';
import { expect, test, type SignetApp } from '../fixtures/bridge';
import { pngBytes } from '../fixtures/images';
import { expectAccessibleLightAndDark, shot } from '../fixtures/screens';

// The logo files IT would install; written before any service reads them.
const dir = mkdtempSync(join(tmpdir(), 'signet-branding-'));
const PNG_LOGO = join(dir, 'acme.png');
writeFileSync(PNG_LOGO, pngBytes(48, 48, [10, 127, 63, 255]));
const HOSTILE_SVG = join(dir, 'hostile.svg');
writeFileSync(
  HOSTILE_SVG,
  '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' +
    'viewBox="0 0 64 64" onload="alert(1)"><script>alert(2)</script>' +
    '<image href="https://evil.example/x.png" width="10" height="10"/>' +
    '<use xlink:href="https://evil.example/sprite.svg#a"/>' +
    '<foreignObject><iframe src="https://evil.example/"></iframe></foreignObject>' +
    '<rect width="64" height="64" fill="#0a7f3f" onclick="alert(3)" ' +
    'style="fill:url(https://evil.example/p)"/></svg>',
);
mkdirSync(join(dir, 'empty'));
const MISSING_LOGO = join(dir, 'empty', 'no-such-logo.png');

/** Signet's own light-theme primary colour (styles.css --primary). */
const SIGNET_PRIMARY = 'rgb(29, 91, 184)';

/** `#rrggbb` as the browser computes a colour. */
const rgb = (hex: string) =>
  `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

const signInButton = (page: Page) => page.getByRole('button', { name: 'Sign in', exact: true });
const background = (page: Page) =>
  signInButton(page).evaluate((el) => getComputedStyle(el).backgroundColor);
/** The colour focus rings use (`:focus-visible` outlines take --focus). */
const focusColor = (page: Page) =>
  page.evaluate(() =>
    getComputedStyle(document.documentElement).getPropertyValue('--focus').trim(),
  );

/** What main answers on the branding channel (the same call the window makes). */
const brandingOf = (app: SignetApp): Promise<BrandingView> => app.service.calls.branding({});

async function openDiagnostics(page: Page) {
  await page.getByRole('button', { name: 'Diagnostics' }).click();
  return page.getByRole('region', { name: 'Branding' });
}

test.describe('a PNG logo and a low-contrast gold', () => {
  test.use({
    appOptions: {
      managed: { branding: { name: 'Acme Corp', logo: PNG_LOGO, primaryColor: '#ffd700' } },
    },
  });

  test('the header shows the name and the logo; the corrected colour is on Sign in and the focus ring in both themes; Diagnostics says what changed', async ({
    app,
  }) => {
    const branding = await brandingOf(app);
    expect(branding.colors).not.toBeNull();
    const { light, dark } = branding.colors!;
    // The gold fails contrast in the light theme and main darkened it.
    expect(light.primary).not.toBe('#ffd700');
    expect(branding.adjustments.length).toBeGreaterThan(0);

    await app.open();
    const { page } = app;
    await page.emulateMedia({ colorScheme: 'light' });
    const heading = page.getByRole('heading', { level: 1 });
    await expect(heading).toHaveText('Acme Corp · Signet');
    const logo = heading.locator('img');
    await expect(logo).toHaveAttribute('src', /^data:image\/png;base64,/);
    await expect(logo).toHaveAttribute('alt', '');
    expect(await logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);

    await expect(signInButton(page)).toBeVisible();
    await expect.poll(() => background(page)).toBe(rgb(light.primary));
    expect(await signInButton(page).evaluate((el) => getComputedStyle(el).color)).toBe(
      rgb(light.onPrimary),
    );
    expect(await focusColor(page)).toBe(light.primary);
    await expectAccessibleLightAndDark(page, 'branded sign-in');
    await shot(page, 'branding');

    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => background(page)).toBe(rgb(dark.primary));
    expect(await focusColor(page)).toBe(dark.primary);
    await page.emulateMedia({ colorScheme: 'light' });

    const section = await openDiagnostics(page);
    for (const { message } of branding.adjustments) await expect(section).toContainText(message);
    await expect(section).toContainText('#ffd700 was darkened to');
  });
});

test.describe('in a German window: a missing logo and a low-contrast gold', () => {
  test.use({
    appOptions: {
      systemLocale: 'de-DE',
      managed: { branding: { logo: MISSING_LOGO, primaryColor: '#ffd700' } },
    },
  });

  test('Diagnostics says in German which field is wrong and what colour was changed; the path and colours stay as written', async ({
    app,
  }) => {
    const { colors } = await brandingOf(app);
    await app.open();
    const { page } = app;
    await page.getByRole('button', { name: 'Diagnose' }).click();
    const section = page.getByRole('region', { name: 'Markenauftritt' });
    await expect(section).toContainText(`branding.logo: ${MISSING_LOGO} existiert nicht`);
    await expect(section).toContainText(
      `#ffd700 wurde im hellen Design für ausreichenden Kontrast zu ${colors!.light.primary} abgedunkelt`,
    );
    await expect(section).not.toContainText('was darkened');
    await expect(section).not.toContainText('does not exist');
  });
});

test.describe('a hostile SVG logo', () => {
  test.use({
    appOptions: {
      managed: { branding: { name: 'Acme Corp', logo: HOSTILE_SVG, primaryColor: '#0a7f3f' } },
    },
  });

  test('is shown neutralised: no script, no handler, no reference outside it', async ({ app }) => {
    await app.open();
    const { page } = app;
    const logo = page.getByRole('heading', { level: 1 }).locator('img');
    await expect(logo).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
    const src = (await logo.getAttribute('src'))!;
    const svg = Buffer.from(src.split(',')[1]!, 'base64').toString('utf8');
    expect(svg).toContain('<rect');
    // Only the namespace declarations may name a URL; no other reference leaves the file.
    const rest = svg.replace(/\sxmlns(?::\w+)?="[^"]*"/g, '');
    expect(rest).not.toMatch(
      /<script|\son\w+\s*=|<image|<foreignObject|<iframe|evil\.example|https?:|url\(/i,
    );
    // A colour that passes as it is: nothing adjusted in the light theme, and on the button.
    await expect.poll(() => background(page)).toBe(rgb('#0a7f3f'));
    await expectAccessibleLightAndDark(page, 'branded sign-in with an SVG logo');
  });
});

test.describe('an invalid branding block', () => {
  test.use({
    appOptions: {
      managed: { branding: { name: 'Acme Corp', logo: MISSING_LOGO, primaryColor: 'red-ish' } },
    },
  });

  test("shows Signet's own look for the wrong fields, and Diagnostics names both", async ({
    app,
  }) => {
    await app.open();
    const { page } = app;
    // The good field still applies; the wrong ones fall back.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acme Corp · Signet');
    await expect(page.getByRole('heading', { level: 1 }).locator('img')).toHaveCount(0);
    await expect(signInButton(page)).toBeVisible();
    expect(await background(page)).toBe(SIGNET_PRIMARY);

    const section = await openDiagnostics(page);
    await expect(section).toContainText('branding.logo');
    await expect(section).toContainText('branding.primaryColor');
    const { problems } = await brandingOf(app);
    expect(problems.map((p) => p.field).sort()).toEqual(['branding.logo', 'branding.primaryColor']);
    for (const p of problems) await expect(section).toContainText(p.message);
  });
});
