/**
 * Active Directory for real, in Chromium: the local tenant's `corp-ldap` points at the Samba AD
 * domain of test/fixtures/samba-ad.ts (search mode with the `signet-reader` service account,
 * nested groups resolved), and the renderer shows what each account state means — the banner's
 * sentence, the AD sub-code in Details, the groups of a successful sign-in — and runs the
 * connection report from Diagnostics.
 *
 * Samba AD is started once by the Playwright worker (the fixture's private run: it stops when
 * the worker exits). Without Samba the file skips with the reason printed; under CI it fails.
 * Only right passwords are used on lockable accounts: `locked` is locked at start-up.
 */
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { test, expect } from '../fixtures/bridge';
import {
  AD_ACCOUNTS,
  SAMBA_AD_SETUP_TIMEOUT_MS,
  sambaAdMissing,
  sambaAdSkipped,
  useSambaAd,
  type SambaAd,
} from '../fixtures/samba-ad';
import { banner, signInWithPassword, shot, openScreen } from '../fixtures/screens';

const skipped = sambaAdSkipped();
const { ada, disabled, locked, katherine } = AD_ACCOUNTS;
const AD = 'Corporate directory (AD/LDAP)';
/** Every password of the domain's accounts: none may show up in a page or an export. */
const SECRETS = Object.values(AD_ACCOUNTS).map((a) => a.password);

async function downloaded(page: Page, name: RegExp): Promise<{ file: string; text: string }> {
  const link = page.getByRole('link', { name });
  const [download]: [Download, void] = await Promise.all([
    page.waitForEvent('download'),
    link.click(),
  ]);
  return {
    file: download.suggestedFilename(),
    text: readFileSync(await download.path(), 'utf8'),
  };
}

function expectNoSecret(text: string, what: string): void {
  for (const s of SECRETS) expect(text, `${what} contains a password`).not.toContain(s);
}

test.describe('Active Directory (Samba AD) in the renderer', () => {
  test.skip(skipped, `Samba AD is not available: ${sambaAdMissing() ?? ''}`);
  let ad: SambaAd;
  test.beforeAll(async () => {
    // Provisioning takes 10–40 s, and another test run on this machine may hold the domain.
    test.setTimeout(SAMBA_AD_SETUP_TIMEOUT_MS);
    ad = await useSambaAd();
    if (ad.startedHere)
      console.log(
        `[samba-ad] started for the e2e run in ${(ad.timings.totalMs / 1000).toFixed(1)} s`,
      );
  });
  test.use({
    // Playwright reads a fixture's dependencies from this destructuring: none here.
    // eslint-disable-next-line no-empty-pattern
    appOptions: async ({}, use) => {
      await use({ tenant: { corpLdap: ad.connectionConfig({ nestedGroups: true }) } });
    },
  });

  for (const [title, account, code, status, message, subCode, screenshot] of [
    [
      'a disabled account: the AD sentence, and 401 with sub-code 533 in Details',
      disabled,
      'unauthorized',
      401,
      'Your directory account is disabled. Contact your IT help desk.',
      '533 — account disabled',
      'ad-disabled',
    ],
    [
      'a locked account: too_many_attempts with sub-code 775 explained',
      locked,
      'too_many_attempts',
      429,
      'Your directory account is locked. Wait for it to unlock or contact your IT help desk.',
      '775 — account locked',
      'ad-locked',
    ],
  ] as const) {
    test(title, async ({ app }) => {
      const { page } = app;
      await app.open();
      await signInWithPassword(page, {
        username: account.sam,
        password: account.password,
        connection: AD,
      });
      const alert = banner(page);
      await expect(alert).toHaveAttribute('data-code', code);
      await expect(alert.locator('.banner-message')).toHaveText(message);
      await alert.getByRole('button', { name: 'Details' }).click();
      const details = alert.locator('dl');
      await expect(details).toBeVisible();
      await expect(details).toContainText(`Code${code}`);
      await expect(details).toContainText(`HTTP status${status}`);
      await expect(details).toContainText(`AD sub-code${subCode}`);
      await shot(page, screenshot);
    });
  }

  test('ada signs in and sees her groups, the nested one included, as chips', async ({ app }) => {
    const { page } = app;
    await app.open();
    await signInWithPassword(page, { username: ada.sam, password: ada.password, connection: AD });
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    const groups = page.getByRole('list', { name: 'Groups' }).getByRole('listitem');
    const expected = [...ada.groups, ...ada.nestedGroups].sort();
    expect(ada.nestedGroups).toContain('All Staff');
    await expect(groups).toHaveCount(expected.length);
    expect((await groups.allTextContents()).sort()).toEqual(expected);
    await shot(page, 'signed-in-ad', true);
  });

  test('Diagnostics → Connection report: a file and a typed row, matches and differences, exports without passwords', async ({
    app,
  }) => {
    const { page } = app;
    await openScreen(app, 'Diagnostics');
    await page.getByRole('tab', { name: 'Connection report' }).click();
    const form = page.getByRole('form', { name: 'Connection report' });
    await expect(form.getByLabel('Connection to test')).toHaveValue('corp-ldap');
    const file = form.getByLabel('Accounts file (CSV or JSON)');

    // A broken file: the error names the line, never a field (here the password).
    await file.setInputFiles({
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`username,password,expect\nada,"${ada.password}"x,success\n`),
    });
    const fileError = form.getByRole('alert');
    await expect(fileError).toHaveText(
      'broken.csv was not loaded: line 2: text after a closing quote (a quoted field must end at the comma or line end).',
    );

    // The mixed set: ada signs in, disabled fails as expected, katherine is expected to fail
    // (she signs in: a deliberate mismatch); the locked account is typed by hand, unchecked.
    const csv = [
      'username,password,expect,note',
      `${ada.sam},${ada.password},success,nested groups`,
      `${disabled.sam},${disabled.password},ldap:533,disabled in AD`,
      `${katherine.sam},"${katherine.password}",unauthorized,deliberate mismatch`,
    ].join('\r\n');
    await file.setInputFiles({
      name: 'accounts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await expect(form.getByRole('status')).toHaveText('Loaded 3 accounts from accounts.csv.');
    await expect(form.getByRole('group', { name: /^Account \d$/ })).toHaveCount(3);
    await expect(form.getByRole('group', { name: 'Account 2' }).getByLabel('Expect')).toHaveValue(
      'ldap:533',
    );
    // Passwords from the file sit in masked inputs, not in the markup.
    await expect(
      form.getByRole('group', { name: 'Account 1' }).getByLabel('Password', { exact: true }),
    ).toHaveAttribute('type', 'password');
    expectNoSecret(await page.content(), 'the form’s markup');

    await form.getByRole('button', { name: 'Add account' }).click();
    const row4 = form.getByRole('group', { name: 'Account 4' });
    await expect(row4.getByLabel('Username')).toBeFocused();
    // Keyboard only: Tab through the row.
    await page.keyboard.type(locked.sam);
    await page.keyboard.press('Tab');
    await expect(row4.getByLabel('Password', { exact: true })).toBeFocused();
    await page.keyboard.type(locked.password);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(row4.getByLabel('Note')).toBeFocused();
    await page.keyboard.type('locked at start-up');

    await form.getByRole('button', { name: 'Run report' }).click();
    const results = page.getByRole('table', { name: /Accounts tested/ });
    await expect(results).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('heading', { name: /Report: corp-ldap/ })).toBeFocused();

    const row = (u: string) => results.locator(`tr[data-account="${u}"]`);
    await expect(row(ada.sam)).toContainText('signed in');
    await expect(row(ada.sam)).toContainText('✓');
    await expect(row(ada.sam)).toContainText('verified');
    const chips = row(ada.sam).getByRole('list', { name: `Groups of ${ada.sam}` });
    expect((await chips.getByRole('listitem').allTextContents()).sort()).toEqual(
      [...ada.groups, ...ada.nestedGroups].sort(),
    );
    await expect(row(disabled.sam)).toContainText('unauthorized');
    await expect(row(disabled.sam)).toContainText('HTTP 401');
    await expect(row(disabled.sam)).toContainText('533');
    await expect(row(disabled.sam)).toContainText('account disabled');
    await expect(row(disabled.sam)).toContainText('✓');
    await expect(row(katherine.sam)).toHaveClass(/differs/);
    await expect(row(katherine.sam)).toContainText('✗ differs');
    await expect(row(katherine.sam)).toContainText('deliberate mismatch');
    await expect(row(locked.sam)).toContainText('too_many_attempts');
    await expect(row(locked.sam)).toContainText('HTTP 429');
    await expect(row(locked.sam)).toContainText('775');
    await expect(row(locked.sam)).toContainText('account locked');
    await expect(page.locator('.report-summary')).toContainText(
      '4 accounts: 2 signed in, 2 failed · 2 as expected, 1 differs, 1 without expectation',
    );
    await expect(page.locator('.report-summary')).toContainText(
      '1 account did not do what was expected.',
    );

    // After the run: the passwords are gone from the inputs and the page.
    for (const n of [1, 2, 3, 4])
      await expect(
        form.getByRole('group', { name: `Account ${n}` }).getByLabel('Password', { exact: true }),
      ).toHaveValue('');
    expectNoSecret(await page.content(), 'the page after the run');

    const md = await downloaded(page, /^Markdown report/);
    expect(md.file).toMatch(/^signet-connection-report-corp-ldap-.*\.md$/);
    expect(md.text).toContain('# Connection report');
    expect(md.text).toContain('533 (account disabled)');
    expect(md.text).toContain('✗ differs');
    expect(md.text).toContain('All Staff');
    expectNoSecret(md.text, 'the Markdown export');
    const json = await downloaded(page, /^JSON report/);
    expect(json.file).toMatch(/\.json$/);
    const parsed = JSON.parse(json.text) as { summary: { mismatched: number } };
    expect(parsed.summary.mismatched).toBe(1);
    expectNoSecret(json.text, 'the JSON export');

    // The requests tab lists the report's sign-ins, redacted.
    await page.getByRole('tab', { name: 'Requests and export' }).click();
    await page.getByRole('button', { name: 'Reload requests' }).click();
    await expect(
      page.getByRole('table', { name: /Requests this run/ }).locator('tr.failed'),
    ).toHaveCount(2);
    await page.getByRole('tab', { name: 'Connection report' }).click();
    await expect(results).toBeVisible();

    await page.setViewportSize({ width: 1120, height: 900 });
    await shot(page, 'connection-report-ad', true);
  });
});
