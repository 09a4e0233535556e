/**
 * The client's configuration in the window (spec §8), in Chromium against the real core and
 * a local tenant: with settings naming no connections the picker offers the client's own
 * (here `acme-ad`, which only the tenant's configuration has); managed configuration naming
 * connections wins; home-realm discovery switches an email of an AD domain to its connection,
 * announced and undoable, and signs in there.
 */
import type { Page } from '@playwright/test';
import { test, expect, type SignetApp } from '../fixtures/bridge';
import { DATABASE, expectAccessible, shot } from '../fixtures/screens';
import { GRACE } from '../fixtures/demo';

const ACME_AD = { type: 'ad', name: 'acme-ad', ldap: 'demo', domain: 'acme.test' } as const;

/** Waits until the window has the client's configuration (main fetched it over HTTP). */
async function clientConfigFetched(app: SignetApp): Promise<void> {
  await expect
    .poll(async () =>
      (await app.service.calls.attempts({})).some(
        (a) => a.endpoint === `/client/${app.tenant.clientId}.js` && a.status === 200,
      ),
    )
    .toBe(true);
}

const options = (page: Page) => page.getByLabel('Connection').locator('option');
const status = (page: Page) => page.locator('[data-home-realm]');

test.describe('connections from the client configuration', () => {
  test.use({
    appOptions: {
      tenant: {
        connections: [ACME_AD],
        clients: [{ client_id: 'acme-only', name: 'Acme app', connections: ['acme-ad', 'sms'] }],
      },
    },
  });

  test('with settings naming none, the picker offers the client’s connections, and HRD signs in on one', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    await clientConfigFetched(app);
    // The names settings' defaults label keep their labels; acme-ad is the tenant's alone.
    await expect(options(page)).toHaveText([
      'Database',
      'Corporate directory (AD/LDAP)',
      'acme-ad (AD/LDAP)',
    ]);
    // An email of acme-ad's domain switches to it; core signs in there as AD.
    await page.getByRole('textbox', { name: 'Email' }).fill(`${GRACE.username}@acme.test`);
    await expect(status(page)).toHaveText('Signing in with acme-ad (acme.test)');
    await expect(page.getByLabel('Connection')).toHaveValue('acme-ad');
    await expect(page.getByRole('textbox', { name: 'Username' })).toHaveValue(GRACE.username);
    await page.getByLabel('Password', { exact: true }).fill(GRACE.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    const [account] = await app.service.calls.accounts({});
    expect(account).toMatchObject({ username: GRACE.username, connection: 'acme-ad', kind: 'ad' });
  });

  test('saving another client ID in Settings asks again: the picker offers that client’s connections', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    await clientConfigFetched(app);
    await expect(options(page)).toHaveCount(3);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('textbox', { name: 'Client ID' }).fill('acme-only');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();
    await page.getByRole('button', { name: 'Account', exact: true }).click();
    await expect(options(page)).toHaveText(['acme-ad (AD/LDAP)']);
  });

  test('the Settings screen says the connections come from the client when none are saved', async ({
    app,
  }) => {
    await app.open();
    await app.page.getByRole('button', { name: 'Settings' }).click();
    await expect(app.page.locator('#connections-hint')).toContainText(
      'the client’s own connections',
    );
  });
});

test.describe('managed configuration naming connections', () => {
  test.use({
    appOptions: {
      tenant: { connections: [ACME_AD] },
      managed: { connections: [{ name: DATABASE, kind: 'database', label: 'Database' }] },
    },
  });

  test('wins over the client’s: only its connections are offered, and no HRD to others', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    await clientConfigFetched(app);
    await expect(options(page)).toHaveText(['Database']);
    await page.getByRole('textbox', { name: 'Email' }).fill(`${GRACE.username}@acme.test`);
    await page.getByRole('textbox', { name: 'Email' }).blur();
    await expect(page.getByLabel('Connection')).toHaveValue(DATABASE);
    await expect(status(page)).toHaveText('');
  });
});

test.describe('home-realm discovery', () => {
  // Settings label the connections; the client's configuration adds corp-ldap's domain.
  test.use({
    appOptions: {
      settings: {
        connections: [
          { name: DATABASE, kind: 'database', label: 'Database' },
          { name: 'corp-ldap', kind: 'ad', label: 'Corporate directory' },
        ],
      },
    },
  });

  test('an email of corp-ldap’s domain switches to it, announced; undo goes back; then Grace signs in', async ({
    app,
  }) => {
    const { page } = app;
    const email = `${GRACE.username}@corp.signet.test`;
    await app.open();
    await clientConfigFetched(app);
    await expect(page.getByLabel('Connection')).toHaveValue(DATABASE);

    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await expect(status(page)).toHaveText('Signing in with Corporate directory (corp.signet.test)');
    await expect(page.getByLabel('Connection')).toHaveValue('corp-ldap');
    const username = page.getByRole('textbox', { name: 'Username' });
    await expect(username).toHaveValue(GRACE.username);

    // Undo: the database connection and the address as typed, and HRD leaves it alone.
    await page.getByRole('button', { name: 'Use Database instead' }).click();
    await expect(page.getByLabel('Connection')).toHaveValue(DATABASE);
    const emailBox = page.getByRole('textbox', { name: 'Email' });
    await expect(emailBox).toHaveValue(email);
    await expect(emailBox).toBeFocused();
    await expect(status(page)).toHaveText('');
    await emailBox.blur();
    await expect(page.getByLabel('Connection')).toHaveValue(DATABASE);

    // A fresh window: typed character by character, the switch comes once the address is whole.
    await app.open();
    await clientConfigFetched(app);
    await page.getByRole('textbox', { name: 'Email' }).pressSequentially(email);
    await expect(status(page)).toHaveText('Signing in with Corporate directory (corp.signet.test)');
    await expect(username).toHaveValue(GRACE.username);
    await page.getByLabel('Password', { exact: true }).fill(GRACE.password);
    await shot(page, 'home-realm');
    await expectAccessible(page, 'home-realm discovery');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    const [account] = await app.service.calls.accounts({});
    expect(account).toMatchObject({
      username: GRACE.username,
      connection: 'corp-ldap',
      kind: 'ad',
    });
  });
});
