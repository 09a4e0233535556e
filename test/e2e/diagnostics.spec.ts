import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures/bridge';
import { ADA, banner, onMisbehavingTenant, signInWithPassword, shot } from '../fixtures/screens';

const WRONG = 'Wrong-Password-Xyz-42';

async function exportFile(page: Page, button: string): Promise<{ name: string; text: string }> {
  await page.getByRole('button', { name: button }).click();
  const link = page.getByRole('link', { name: /^Download signet-diagnostics-/ });
  await expect(link).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

test('diagnostics list the attempts, check the tenant, and export without secrets', async ({
  app,
}) => {
  const { page } = app;
  await app.open();
  await signInWithPassword(page, { username: ADA.email, password: WRONG });
  await expect(banner(page)).toBeVisible();
  await signInWithPassword(page, { username: ADA.email, password: ADA.password });
  await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  const tokens = await app.service.calls.revealTokens({});

  await page.getByRole('button', { name: 'Diagnostics' }).click();
  const table = page.getByRole('table', { name: /Requests this run/ });
  const failed = table.locator('tr.failed').filter({ hasText: 'invalid_user_password' });
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText('/oauth/ro');
  await expect(failed).toContainText('401');
  await expect(failed).toContainText(ADA.email);
  await failed.getByRole('button', { name: /Show/ }).click();
  const detail = page.locator('tr.attempt-detail:visible');
  await expect(detail).toContainText('Request (redacted)');
  await expect(detail).not.toContainText(WRONG);

  await page.getByRole('button', { name: 'Check tenant' }).click();
  await expect(page.getByRole('heading', { name: /Tenant check: all good/ })).toBeVisible();
  await shot(page, 'diagnostics', true);

  for (const button of ['Export JSON', 'Export Markdown']) {
    const file = await exportFile(page, button);
    expect(file.name).toMatch(button.endsWith('JSON') ? /\.json$/ : /\.md$/);
    expect(file.text).toContain('/oauth/ro');
    expect(file.text).toContain('invalid_user_password');
    for (const secret of [WRONG, ADA.password]) expect(file.text).not.toContain(secret);
    for (const token of [tokens.id_token, tokens.access_token, tokens.refresh_token])
      if (token) expect(file.text).not.toContain(token);
    // Not even a long slice of a token.
    if (tokens.id_token) expect(file.text).not.toContain(tokens.id_token.slice(0, 60));
  }
});

test('the connection report: inputs disabled in flight, Cancel stops the run and clears the passwords', async ({
  app,
}) => {
  const { page } = app;
  // A tenant that never sends headers keeps the run in flight.
  await onMisbehavingTenant(app, 'hang-headers', async () => {
    await page.getByRole('button', { name: 'Diagnostics' }).click();
    await page.getByRole('tab', { name: 'Connection report' }).click();
    const form = page.getByRole('form', { name: 'Connection report' });
    await form.getByLabel('Connection to test').selectOption({ label: 'Database' });
    // An empty form is refused with the reason.
    await form.getByRole('button', { name: 'Run report' }).click();
    await expect(form.getByRole('alert')).toHaveText('Add at least one account, or load a file.');
    // A JSON file without a password: the row asks for one.
    await form.getByLabel('Accounts file (CSV or JSON)').setInputFiles({
      name: 'accounts.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify([{ username: ADA.email, expect: 'success' }])),
    });
    await expect(form.getByRole('status')).toHaveText(
      'Loaded 1 account from accounts.json. 1 account has no password in the file: type it below.',
    );
    const row = form.getByRole('group', { name: 'Account 1' });
    await row.getByLabel('Password', { exact: true }).fill(ADA.password);
    await form.getByRole('button', { name: 'Run report' }).click();
    await expect(form.getByRole('status').filter({ hasText: 'Testing 1 account' })).toBeVisible();
    await expect(row.getByLabel('Username')).toBeDisabled();
    await expect(row.getByLabel('Password', { exact: true })).toBeDisabled();
    await expect(form.getByLabel('Accounts file (CSV or JSON)')).toBeDisabled();
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(
      form
        .getByRole('status')
        .filter({ hasText: 'The run was cancelled. Passwords were cleared.' }),
    ).toBeVisible();
    await expect(row.getByLabel('Username')).toBeEnabled();
    await expect(row.getByLabel('Username')).toHaveValue(ADA.email);
    await expect(row.getByLabel('Password', { exact: true })).toHaveValue('');
    await expect(page.getByRole('alert')).toHaveCount(0);
    expect(await page.content()).not.toContain(ADA.password);
  });
});
