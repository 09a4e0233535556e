import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures/bridge';
import { ADA, banner, signInWithPassword, shot } from '../fixtures/screens';

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
