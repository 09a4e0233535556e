import type { Page } from '@playwright/test';
import { generateSecret } from 'otplib';
import { test, expect } from '../fixtures/bridge';
import {
  ADA,
  banner,
  BLOCKED,
  DATABASE,
  expectAccessible,
  signInWithPassword,
  shot,
  openScreen,
} from '../fixtures/screens';

/** axe in light and dark, a screenshot of each, and no sideways scrolling of the page. */
async function check(page: Page, name: string, fullPage = false): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expectAccessible(page, `${name} (${scheme})`);
    await shot(page, scheme === 'light' ? name : `${name}-dark`, fullPage);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
}

test.use({ appOptions: { managed: { protocol: 'legacy' } } });

test.describe('every screen is accessible, in light and dark, at 420×560', () => {
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize({ width: 420, height: 560 });
  });

  test('sign-in tabs, error banner, SMS steps', async ({ app }) => {
    const { page } = app;
    await app.open();
    await expect(page.getByRole('textbox', { name: 'Email' })).toBeVisible();
    await check(page, 'signin-password');

    await signInWithPassword(page, { username: ADA.email, password: 'nope' });
    await banner(page).getByRole('button', { name: 'Details' }).click();
    await check(page, 'signin-error');

    // Keyboard only: arrows move between the tabs.
    await page.getByRole('tab', { name: 'Password / LDAP' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'SMS' })).toBeFocused();
    await expect(page.getByRole('tab', { name: 'SMS' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByLabel('Phone number')).toBeVisible();
    await check(page, 'signin-sms');

    await page.getByLabel('Phone number').fill('2015550123');
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('Digit 1 of 6')).toBeFocused();
    await check(page, 'signin-sms-code');
  });

  test('MFA step', async ({ app }) => {
    const { page } = app;
    const user = app.tenant.tenant.db.resolve(ADA.email, DATABASE);
    app.tenant.tenant.db.setMfaSecret(user!.user_id, generateSecret());
    await app.open();
    await signInWithPassword(page, { username: ADA.email, password: ADA.password });
    await expect(page.getByLabel('Digit 1 of 6')).toBeFocused();
    await check(page, 'signin-mfa');
  });

  test('signed in, settings with a locked field, diagnostics', async ({ app }) => {
    const { page } = app;
    await app.open();
    // Keyboard only: Tab to the fields, Enter submits.
    await page.getByRole('textbox', { name: 'Email' }).focus();
    await page.keyboard.type(ADA.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADA.password);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeFocused();
    await page.locator('tr[data-claim="exp"] summary').click();
    await check(page, 'signed-in', true);
    await page.getByRole('button', { name: 'Reveal tokens' }).click();
    await expect(page.locator('.token').first()).toBeVisible();
    await check(page, 'signed-in-tokens', true);

    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('combobox', { name: /^Protocol/ })).toBeDisabled();
    await check(page, 'settings', true);

    await page.getByRole('button', { name: 'Diagnostics' }).click();
    await page.getByRole('button', { name: 'Check tenant' }).click();
    await expect(page.getByRole('heading', { name: /Tenant check/ })).toBeVisible();
    await page.getByRole('button', { name: /Show request 1/ }).click();
    await page.getByRole('button', { name: 'Export JSON' }).click();
    await expect(page.getByRole('link', { name: /Download/ })).toBeVisible();
    await check(page, 'diagnostics', true);
  });

  test('diagnostics: the connection report, its form errors and its results', async ({ app }) => {
    const { page } = app;
    await openScreen(app, 'Diagnostics');
    // Keyboard only: the arrow moves to the report's tab.
    await page.getByRole('tab', { name: 'Requests and export' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Connection report' })).toBeFocused();
    const form = page.getByRole('form', { name: 'Connection report' });
    await form.getByLabel('Connection to test').selectOption({ label: 'Database' });

    const rows: [string, string, string, string][] = [
      [ADA.email, ADA.password, 'success', 'the demo user'],
      [BLOCKED.email, BLOCKED.password, 'unauthorized', 'blocked in the tenant'],
      [ADA.email, 'Not-Her-Password-1', 'success', 'a deliberate mismatch'],
    ];
    for (const [i, [username, password, expect_, note]] of rows.entries()) {
      if (i > 0) await form.getByRole('button', { name: 'Add account' }).click();
      const row = form.getByRole('group', { name: `Account ${i + 1}` });
      await row.getByLabel('Username').fill(username);
      // The second row's password is left out at first: the form explains what is missing.
      if (i !== 1) await row.getByLabel('Password', { exact: true }).fill(password);
      await row.getByLabel('Expect').fill(expect_);
      await row.getByLabel('Note').fill(note);
    }
    await form.getByRole('button', { name: 'Run report' }).click();
    const second = form.getByRole('group', { name: 'Account 2' });
    await expect(second.getByLabel('Password', { exact: true })).toBeFocused();
    await expect(second.getByLabel('Password', { exact: true })).toHaveAccessibleDescription(
      'Enter the password (it is used for this run only).',
    );
    await expect(form.getByRole('alert')).toHaveText('1 account needs attention below.');
    await check(page, 'diagnostics-report-form', true);

    await page.keyboard.type(BLOCKED.password);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: /^Report:/ })).toBeFocused();
    await expect(page.locator('.report-summary')).toContainText('2 as expected, 1 differs');
    await check(page, 'diagnostics-report', true);
  });
});
