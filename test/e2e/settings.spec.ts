import { readFileSync } from 'node:fs';
import { test, expect } from '../fixtures/bridge';
import { banner, shot, openScreen } from '../fixtures/screens';

test.use({ appOptions: { managed: { proxy: 'http://proxy.corp:3128' } } });

test.describe('settings', () => {
  test('a change is saved and used; a managed field shows locked with the reason', async ({
    app,
  }) => {
    const { page } = app;
    await openScreen(app, 'Settings');
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeFocused();

    // Locked by the managed configuration: disabled, and the reason said.
    const proxy = page.getByRole('textbox', { name: /^Proxy/ });
    await expect(proxy).toBeDisabled();
    await expect(proxy).toHaveValue('http://proxy.corp:3128');
    await expect(proxy).toHaveAccessibleDescription(/Locked: .*managed configuration/);
    await shot(page, 'settings');

    await page.getByRole('textbox', { name: 'Device name' }).fill('Ada’s laptop');
    await page.getByRole('textbox', { name: 'Label' }).first().fill('Staff accounts');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();
    const file = JSON.parse(readFileSync(app.settingsFile, 'utf8'));
    expect(file.device).toBe('Ada’s laptop');
    expect(file.connections[0]).toMatchObject({ label: 'Staff accounts', kind: 'database' });
    expect(file.proxy).toBeUndefined();

    // The sign-in form uses the new values at once, and after a relaunch.
    await page.getByRole('button', { name: 'Account', exact: true }).click();
    await expect(page.getByLabel('Connection')).toContainText('Staff accounts (Database)');
    await page.getByText('Advanced', { exact: true }).click();
    await expect(page.getByText('Stay signed in on this device (“Ada’s laptop”)')).toBeVisible();
    await app.relaunch();
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('textbox', { name: 'Device name' })).toHaveValue('Ada’s laptop');
  });

  test('an invalid value is refused with the reason', async ({ app }) => {
    const { page } = app;
    await openScreen(app, 'Settings');
    await page.getByRole('textbox', { name: 'Tenant' }).fill('not a tenant');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(banner(page)).toBeVisible();
    await expect(banner(page)).toContainText(/tenant/i);
    expect(JSON.parse(readFileSync(app.settingsFile, 'utf8')).tenant).toBe(app.tenant.url);
  });
});
