/**
 * The first screen an employee sees (issue 13): at the window's minimum size (420×560) and at
 * its default size (480×720), with a company's branding header, the primary action of each
 * tab (Sign in; Send code; after sending, Verify) is on screen without scrolling in English,
 * German and Arabic; the form asks only what the employee decides (the connection only when
 * there are several, one "Keep me signed in"), the scope choice waits under a collapsed
 * Advanced disclosure, and a wide window centres the form as a card. Real service and tenant.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/bridge';
import { pngBytes } from '../fixtures/images';
import { ADA, DATABASE, expectAccessible, shot } from '../fixtures/screens';

const LOGO = join(mkdtempSync(join(tmpdir(), 'signet-first-screen-')), 'acme.png');
writeFileSync(LOGO, pngBytes(48, 48, [10, 127, 63, 255]));
const BRANDING = { name: 'Acme Corporation International', logo: LOGO, primaryColor: '#0a7f3f' };

/** A language's sign-in and shell words, from the catalogs the window loads. */
function words(lang: string): Record<string, string> {
  const read = (area: string) =>
    JSON.parse(
      readFileSync(join(process.cwd(), 'src/renderer/i18n/icu', lang, `${area}.json`), 'utf8'),
    ) as Record<string, string>;
  return { ...read('shell'), ...read('signin') };
}

/** Fails unless `target` lies wholly inside the viewport and the page is not scrolled. */
async function expectOnFirstScreen(page: Page, target: Locator, what: string) {
  await expect(target).toBeVisible();
  const box = await target.boundingBox();
  const view = page.viewportSize()!;
  const scrolled = await page.evaluate(() => window.scrollY);
  expect(scrolled, `${what}: the page is scrolled`).toBe(0);
  expect(box, what).not.toBeNull();
  expect(box!.y, `${what}: top`).toBeGreaterThanOrEqual(0);
  expect(box!.x, `${what}: start`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${what}: bottom (viewport ${view.height})`).toBeLessThanOrEqual(
    view.height,
  );
  expect(box!.x + box!.width, `${what}: end`).toBeLessThanOrEqual(view.width);
}

const SIZES = [
  { width: 420, height: 560 },
  { width: 480, height: 720 },
];

for (const lang of ['en', 'de', 'ar'] as const) {
  test.describe(`in ${lang}, with a branding header`, () => {
    test.use({ appOptions: { settings: { language: lang }, managed: { branding: BRANDING } } });

    test('the primary action of each tab is on screen at 420×560 and at the default size', async ({
      app,
    }) => {
      const w = words(lang);
      const { page } = app;
      await page.setViewportSize(SIZES[0]!);
      await app.open();
      await expect(page.getByRole('heading', { level: 1 })).toContainText(BRANDING.name);
      await expect(page.locator('.brand-logo')).toBeVisible();
      await expect(page.locator('[data-tenant]')).toContainText('127.0.0.1');
      const passwordTab = page.getByRole('tab', { name: w['signin.tab.password'] });
      const smsTab = page.getByRole('tab', { name: w['signin.tab.sms'] });
      const signIn = page.getByRole('button', { name: w['signin.submit'], exact: true });
      const send = page.getByRole('button', { name: w['signin.sms.send'], exact: true });

      if (lang === 'ar') {
        // Right-to-left: the tab list starts at the right.
        const [first, second] = [await passwordTab.boundingBox(), await smsTab.boundingBox()];
        expect(first!.x).toBeGreaterThan(second!.x);
        // The arrows follow what is seen: Left moves on to the next tab.
        await passwordTab.focus();
        await page.keyboard.press('ArrowLeft');
        await expect(smsTab).toHaveAttribute('aria-selected', 'true');
        await expect(smsTab).toBeFocused();
      }

      for (const size of SIZES) {
        await page.setViewportSize(size);
        const at = `${lang} ${size.width}×${size.height}`;
        await passwordTab.click();
        await expectOnFirstScreen(page, signIn, `${w['signin.submit']} (${at})`);
        await smsTab.click();
        await expectOnFirstScreen(page, send, `${w['signin.sms.send']} (${at})`);
      }
      await page.setViewportSize(SIZES[0]!);
      await shot(page, `first-screen-sms-${lang}`);
      await expectAccessible(page, `first screen, SMS tab (${lang})`);
      await passwordTab.click();
      await shot(page, `first-screen-${lang}`);
      await expectAccessible(page, `first screen (${lang})`);

      // After sending, the code step's Verify.
      await smsTab.click();
      await page.getByLabel(w['signin.sms.phone']!).fill('2015550123');
      await send.click();
      await expect(page.getByRole('textbox').first()).toBeFocused();
      const verify = page.getByRole('button', { name: w['signin.verify'], exact: true });
      await expectOnFirstScreen(page, verify, `${w['signin.verify']} (${lang} 420×560)`);
      // The number reads left to right in every language: its "+" left of its last digit.
      const phone = page.locator('#root p strong[dir="ltr"]');
      await expect(phone).toHaveText('+1 201 555 0123');
      const plusFirst = await phone.evaluate((el) => {
        const text = el.firstChild as Text;
        const range = document.createRange();
        const x = (i: number) => {
          range.setStart(text, i);
          range.setEnd(text, i + 1);
          return range.getBoundingClientRect().x;
        };
        return x(0) < x(text.length - 1);
      });
      expect(plusFirst, 'the phone number runs left to right').toBe(true);
      await shot(page, `first-screen-sms-code-${lang}`);
    });
  });
}

test.describe('one password connection', () => {
  test.use({
    appOptions: {
      settings: {
        connections: [
          { name: DATABASE, kind: 'database' },
          { name: 'sms', kind: 'sms' },
        ],
      },
    },
  });

  test('no connection picker: nothing to decide', async ({ app }) => {
    const { page } = app;
    await app.open();
    await expect(page.getByRole('textbox', { name: 'Email' })).toBeVisible();
    await expect(page.getByLabel('Connection')).toHaveCount(0);
  });
});

test.describe('two password connections', () => {
  test.use({
    appOptions: {
      settings: {
        connections: [
          { name: DATABASE, kind: 'database' },
          { name: 'corp-ldap', kind: 'ad', label: 'Corporate directory' },
        ],
      },
    },
  });

  test('the connection picker offers both', async ({ app }) => {
    const { page } = app;
    await app.open();
    await expect(page.getByLabel('Connection')).toBeVisible();
    await expect(page.getByLabel('Connection').locator('option')).toHaveCount(2);
  });
});

test.describe('Keep me signed in and the Advanced scope', () => {
  test('unticked, the session gets no refresh token and is not kept fresh', async ({ app }) => {
    const { page } = app;
    await app.open();
    const keep = page.getByRole('checkbox', { name: 'Keep me signed in' });
    // The settings' scope has offline_access (the default): ticked.
    await expect(keep).toBeChecked();
    await keep.uncheck();
    await page.getByRole('textbox', { name: 'Email' }).fill(ADA.email);
    await page.getByLabel('Password', { exact: true }).fill(ADA.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    // No offline_access, no refresh token: nothing keeps the session fresh past its expiry.
    await expect(page.getByText('This session has no refresh token')).toBeVisible();
    expect(await app.service.calls.keepFresh({})).toMatchObject({ status: 'off' });
  });

  test('Advanced is collapsed at first; Basic there signs in with the basic scope', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    const advanced = page.locator('details.advanced');
    await expect(advanced).not.toHaveAttribute('open');
    await expect(page.getByRole('radio', { name: /Basic/ })).toBeHidden();
    await page.getByText('Advanced', { exact: true }).click();
    await expect(page.getByRole('group', { name: 'What to share' })).toBeVisible();
    await page.getByRole('radio', { name: /Basic \(name and email\)/ }).check();
    // The one question and the three-way choice are one state.
    await expect(page.getByRole('checkbox', { name: 'Keep me signed in' })).not.toBeChecked();
    await page.getByRole('textbox', { name: 'Email' }).fill(ADA.email);
    await page.getByLabel('Password', { exact: true }).fill(ADA.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    // Basic is `openid name email`: the name and email, no profile claim such as nickname.
    await expect(page.locator('tr[data-claim="email"]')).toBeVisible();
    await expect(page.locator('tr[data-claim="nickname"]')).toHaveCount(0);
  });
});

test.describe('a scope the managed configuration locks', () => {
  test.use({ appOptions: { managed: { scope: 'openid profile email' } } });

  test('is shown, not offered: the box is off and disabled, no Advanced, no refresh token', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    const keep = page.getByRole('checkbox', { name: 'Keep me signed in' });
    await expect(keep).not.toBeChecked();
    await expect(keep).toBeDisabled();
    await expect(page.locator('details.advanced')).toHaveCount(0);
    // Even a window that asks for `remember` (a page could call the bridge) gets IT's scope.
    await app.service.calls.signIn({
      connection: DATABASE,
      username: ADA.email,
      password: ADA.password,
      scope: 'remember',
    });
    expect(await app.service.calls.keepFresh({})).toMatchObject({ status: 'off' });
  });
});

test.describe('a hand-written scope in the user settings', () => {
  test.use({ appOptions: { settings: { scope: 'openid name email' } } });

  test('unticking after ticking goes back to what the settings share (Basic), not more', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    const keep = page.getByRole('checkbox', { name: 'Keep me signed in' });
    await expect(keep).not.toBeChecked();
    await keep.check();
    await keep.uncheck();
    await page.getByText('Advanced', { exact: true }).click();
    await expect(page.getByRole('radio', { name: /Basic \(name and email\)/ })).toBeChecked();
  });
});

test.describe('a wide window', () => {
  test('the form sits in a card centred between equal margins', async ({ app }) => {
    const { page } = app;
    await page.setViewportSize({ width: 1280, height: 800 });
    await app.open();
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    const card = page.locator('main.screen');
    const box = (await card.boundingBox())!;
    const width = await page.evaluate(() => document.documentElement.clientWidth);
    expect(box.width).toBeLessThan(width / 2);
    expect(Math.abs(box.x - (width - box.x - box.width))).toBeLessThanOrEqual(2);
    await shot(page, 'first-screen-wide');
  });
});
