import { readFileSync } from 'node:fs';
import { test, expect } from '../fixtures/bridge';
import { SCOPE_CHOICES } from '../../src/shared/ipc';
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
    await expect(banner(page).locator('.banner-message')).toHaveText(
      'The value of tenant was refused: must be a domain such as acme.eu.auth0.com or an http(s) URL.',
    );
    expect(JSON.parse(readFileSync(app.settingsFile, 'utf8')).tenant).toBe(app.tenant.url);
  });

  test('the scope is a choice in plain words, the raw scope under Advanced', async ({ app }) => {
    const { page } = app;
    await openScreen(app, 'Settings');
    const group = page.getByRole('group', { name: 'What to share when you sign in' });
    // The default scope is "Keep me signed in".
    await expect(group.getByRole('radio', { name: 'Keep me signed in' })).toBeChecked();
    await group.getByRole('radio', { name: 'Basic (name and email)' }).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();
    expect(JSON.parse(readFileSync(app.settingsFile, 'utf8')).scope).toBe(
      SCOPE_CHOICES.basic.scope,
    );

    // For IT: the raw scope, which the choice follows; a scope of its own is none of them.
    const raw = page.getByRole('textbox', { name: 'Requested scope' });
    await expect(raw).toBeHidden();
    await group.getByText('Advanced', { exact: true }).click();
    await expect(raw).toHaveValue(SCOPE_CHOICES.basic.scope);
    await raw.fill('openid email');
    await expect(group.getByRole('radio')).toHaveCount(3);
    for (const radio of await group.getByRole('radio').all()) await expect(radio).not.toBeChecked();
    await expect(group).toHaveAccessibleDescription('A custom scope is set: see Advanced.');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();
    expect(JSON.parse(readFileSync(app.settingsFile, 'utf8')).scope).toBe('openid email');

    // After a relaunch the custom scope shows where it lives: Advanced is open.
    await app.relaunch();
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('textbox', { name: 'Requested scope' })).toHaveValue(
      'openid email',
    );
  });
});

test.describe('a scope set by the managed configuration', () => {
  test.use({ appOptions: { managed: { scope: SCOPE_CHOICES.profile.scope } } });

  test('shows as its choice, locked with the reason, the raw scope too', async ({ app }) => {
    const { page } = app;
    await openScreen(app, 'Settings');
    const group = page.getByRole('group', { name: /^What to share when you sign in/ });
    await expect(group).toHaveAccessibleName('What to share when you sign in (locked)');
    await expect(group).toHaveAccessibleDescription(/^Locked: .*managed configuration/);
    await expect(group.getByRole('radio', { name: 'With profile (all attributes)' })).toBeChecked();
    for (const radio of await group.getByRole('radio').all()) await expect(radio).toBeDisabled();
    await group.getByText('Advanced', { exact: true }).click();
    const raw = page.getByRole('textbox', { name: /^Requested scope/ });
    await expect(raw).toBeDisabled();
    await expect(raw).toHaveValue(SCOPE_CHOICES.profile.scope);
  });
});
