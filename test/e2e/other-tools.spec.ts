/**
 * "Use from other tools" in the signed-in view, in Chromium against the real service, core,
 * keychain and a local tenant whose id_tokens live a few seconds (so main's keep-fresh renews
 * while the test watches): the git, kubectl and curl setups with this account filled in, copy
 * through main's clipboard (the bridge records what main's `clipboard.writeText` got), whether
 * `signet` is on PATH, and the keep-fresh state — accessible, at 420 px.
 */
import type { Page } from '@playwright/test';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolCommands } from '../../src/main/tool-commands';
import { kubeconfigYaml } from '../../src/shared/tool-setup';
import { test, expect } from '../fixtures/bridge';
import { ADA, expectAccessible, SCREENSHOTS, signInWithPassword } from '../fixtures/screens';
import { postTo } from '../fixtures/tenant';

/** id_tokens live this long: keep-fresh renews at about half of it. */
const LIFETIME_S = 6;

/** A folder holding an executable `signet` (a stand-in script: only its presence matters). */
function folderWithSignet(): string {
  const dir = mkdtempSync(join(tmpdir(), 'signet-cli-'));
  writeFileSync(join(dir, 'signet'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(dir, 'signet'), 0o755);
  return dir;
}
const onPath = folderWithSignet();
const bundled = folderWithSignet();
const emptyDir = mkdtempSync(join(tmpdir(), 'signet-nocli-'));
test.afterAll(() => {
  for (const d of [onPath, bundled, emptyDir]) rmSync(d, { recursive: true, force: true });
});

const panel = (page: Page) => page.getByRole('region', { name: 'Use from other tools' });
const block = (page: Page, tool: string) => panel(page).locator(`[data-command="${tool}"]`);

test.describe('with signet on PATH', () => {
  test.use({
    appOptions: {
      tenant: { idTokenLifetime: LIFETIME_S },
      cli: { path: `${onPath}:/usr/bin:/bin`, bundledDirs: [bundled] },
    },
  });

  test('shows the three setups for this account, copies each, and keeps the token fresh', async ({
    app,
  }) => {
    const { page } = app;
    await page.setViewportSize({ width: 420, height: 720 });
    await app.open();
    await signInWithPassword(page, { username: ADA.email, password: ADA.password });
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();

    // This account filled in, in the texts `signet setup` prints (src/shared/tool-setup.ts).
    const account = { tenant: app.tenant.url, clientId: app.tenant.clientId, username: ADA.email };
    const expected = Object.fromEntries(toolCommands(account).map((c) => [c.tool, c.text]));
    await expect(panel(page)).toBeVisible();
    for (const tool of ['git', 'kubectl', 'curl'])
      await expect(block(page, tool).locator('pre')).toHaveText(expected[tool]!);
    await expect(block(page, 'kubectl').locator('pre')).toHaveText(kubeconfigYaml(account));
    await expect(block(page, 'curl')).toContainText(
      `--tenant ${app.tenant.url} --client-id ${app.tenant.clientId} --username ${ADA.email}`,
    );
    // No secret in any of them.
    const tokens = await app.service.calls.revealTokens({});
    const shown = await panel(page).innerText();
    for (const secret of [
      ADA.password,
      tokens.id_token!,
      tokens.access_token,
      tokens.refresh_token!,
    ])
      expect(shown).not.toContain(secret);

    // signet is found on PATH, where main looked.
    await expect(panel(page).locator('[data-cli="on-path"]')).toContainText(join(onPath, 'signet'));

    // Copy with the mouse, then with the keyboard; the live region says what was copied.
    await page.getByRole('button', { name: 'Copy kubeconfig user' }).click();
    await expect(panel(page).getByRole('status').last()).toHaveText('Copied the kubeconfig user.');
    expect(app.clipboard.at(-1)).toBe(kubeconfigYaml(account));
    await page.getByRole('button', { name: 'Copy git credential helper' }).focus();
    await page.keyboard.press('Enter');
    await expect(panel(page).getByRole('status').last()).toHaveText(
      'Copied the git credential helper.',
    );
    expect(app.clipboard.at(-1)).toBe(expected.git);
    expect(app.clipboard).toHaveLength(2);

    // Keep-fresh: planned at first, then renewed by main before the token expired.
    const fresh = panel(page).locator('.keep-fresh');
    await expect(fresh).toContainText('Signet renews your token before it expires');
    await expect(fresh.getByText('Next renewal')).toBeVisible();
    await expect(fresh.locator('dd').first()).not.toHaveText('Not yet', {
      timeout: LIFETIME_S * 2000,
    });
    await expect(fresh.locator('dd').first().locator('time')).toBeVisible();
    expect(await app.service.calls.keepFresh({})).toMatchObject({ status: 'scheduled' });

    await panel(page).scrollIntoViewIfNeeded();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expectAccessible(page, `other tools (${scheme})`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, 'the signed-in view scrolls sideways at 420 px').toBeLessThanOrEqual(0);
    // The section alone, as the README shows it.
    mkdirSync(SCREENSHOTS, { recursive: true });
    await panel(page).screenshot({
      path: join(SCREENSHOTS, 'other-tools.png'),
      animations: 'disabled',
      caret: 'hide',
    });
  });

  test('a renewal the tenant refuses says what failed and that renewals stopped', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    await signInWithPassword(page, { username: ADA.email, password: ADA.password });
    await expect(panel(page)).toContainText('Signet renews your token before it expires');
    // Signed out elsewhere: the tenant revokes the refresh token.
    const { refresh_token } = await app.service.calls.revealTokens({});
    const revoked = await postTo(app.tenant.url, '/oauth/revoke', {
      client_id: app.tenant.clientId,
      token: refresh_token,
    });
    expect(revoked.status).toBe(200);
    const fresh = panel(page).locator('.keep-fresh');
    await expect(fresh).toContainText('Signet stopped renewing your token', {
      timeout: LIFETIME_S * 2000,
    });
    await expect(fresh.getByRole('alert')).toBeVisible();
    await expect(fresh.getByText('None planned')).toBeVisible();
    await expectAccessible(page, 'other tools, renewal refused');
  });
});

test.describe('with signet not on PATH', () => {
  test.use({
    appOptions: { cli: { path: emptyDir, bundledDirs: [bundled] } },
  });

  test('says how to put it on PATH, and that a session without a refresh token is not renewed', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    // The scope choice is IT's, under Advanced.
    await page.getByText('Advanced', { exact: true }).click();
    await page.getByRole('radio', { name: /^Basic \(name and email\)/ }).check();
    await signInWithPassword(page, { username: ADA.email, password: ADA.password });
    const missing = panel(page).locator('[data-cli="missing"]');
    await expect(missing).toContainText('signet is not on PATH');
    await expect(missing.locator('pre')).toHaveText(
      `sudo ln -sf ${join(bundled, 'signet')} /usr/local/bin/signet`,
    );
    await expect(panel(page)).toContainText('This session has no refresh token');
    expect(await app.service.calls.keepFresh({})).toMatchObject({ status: 'off' });
    await expectAccessible(page, 'other tools, signet not on PATH');
  });
});
