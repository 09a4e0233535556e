/**
 * The client's configuration in the window (spec §8), in Chromium against the real core and
 * a local tenant: with settings naming no connections the picker offers the client's own
 * (here `acme-ad`, which only the tenant's configuration has); managed configuration naming
 * connections wins; home-realm discovery switches an email of an AD domain to its connection,
 * announced and undoable, and signs in there.
 */
import type { Page } from '@playwright/test';
import { test, expect, type SignetApp } from '../fixtures/bridge';
import { DATABASE, expectAccessibleLightAndDark, shot } from '../fixtures/screens';
import { GRACE } from '../fixtures/demo';

const ACME_AD = { type: 'ad', name: 'acme-ad', ldap: 'demo', domain: 'acme.test' } as const;

/**
 * Waits until the window holds the client's configuration, from the tenant or (a window opened
 * again) core's copy: the renderer's own state, not main's request log, as the form may come
 * before the answer.
 */
async function clientConfigFetched(app: SignetApp): Promise<void> {
  await expect(
    app.page.locator('[data-client-config="network"], [data-client-config="cache"]'),
  ).toHaveCount(1);
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
    await page.getByRole('textbox', { name: 'Email' }).press('Tab');
    await expect(status(page)).toHaveText(
      'Signing in with acme-ad (acme.test). You can use Database instead.',
    );
    await expect(page.getByLabel('Connection')).toHaveValue('acme-ad');
    await expect(page.getByRole('textbox', { name: 'Username' })).toHaveValue(GRACE.username);
    await page.getByLabel('Password', { exact: true }).fill(GRACE.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    const [account] = await app.service.calls.accounts({});
    expect(account).toMatchObject({ username: GRACE.username, connection: 'acme-ad', kind: 'ad' });
  });

  test('a configuration that comes after the form does not restart it: the typed text, the password and the focus stay', async ({
    app,
  }) => {
    const { page } = app;
    // Main's real answer, held back until the form is in use (as on a slow network).
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    const service = app.service;
    const dispatch = service.dispatch.bind(service);
    service.dispatch = (async (channel: string, request: unknown) => {
      if (channel === 'clientConfig') await held;
      return dispatch(channel, request);
    }) as typeof service.dispatch;
    await app.open();
    // The wait is over: the form offers settings' defaults meanwhile.
    await expect(options(page)).toHaveText(['Database', 'Corporate directory (AD/LDAP)']);
    await expect(page.locator('[data-client-config="pending"]')).toHaveCount(1);
    const email = page.getByRole('textbox', { name: 'Email' });
    await email.pressSequentially('ada@example.com');
    const password = page.getByLabel('Password', { exact: true });
    await password.pressSequentially('half-typed');
    release();
    await expect(options(page)).toHaveText([
      'Database',
      'Corporate directory (AD/LDAP)',
      'acme-ad (AD/LDAP)',
    ]);
    await expect(email).toHaveValue('ada@example.com');
    await expect(password).toHaveValue('half-typed');
    await expect(password).toBeFocused();
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
    // One password connection left: no picker (nothing to decide), and its directory's field.
    await expect(page.getByLabel('Connection')).toHaveCount(0);
    await expect(page.getByRole('textbox', { name: 'Username' })).toBeVisible();
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
    // Only the managed Database: no picker (nothing to decide).
    await expect(page.getByLabel('Connection')).toHaveCount(0);
    await page.getByRole('textbox', { name: 'Email' }).fill(`${GRACE.username}@acme.test`);
    await page.getByRole('textbox', { name: 'Email' }).blur();
    // No switch to the client's AD connection: still the database's Email field, no notice.
    await expect(page.getByRole('textbox', { name: 'Email' })).toBeVisible();
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

  const SWITCHED =
    'Signing in with Corporate directory (corp.signet.test). You can use Database instead.';
  const emailBox = (page: Page) => page.getByRole('textbox', { name: 'Email' });
  const connection = (page: Page) => page.getByLabel('Connection');

  test('typing key by key never rewrites the field: a longer domain stays on the database with the whole text', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    await clientConfigFetched(app);
    const typed = 'ada@corp.signet.testing.org';
    await emailBox(page).pressSequentially(typed);
    await expect(emailBox(page)).toHaveValue(typed);
    await expect(connection(page)).toHaveValue(DATABASE);
    await expect(status(page)).toHaveText('');
    await emailBox(page).press('Tab');
    await expect(connection(page)).toHaveValue(DATABASE);
    await expect(emailBox(page)).toHaveValue(typed);

    // corp-ldap's own domain typed key by key: still nothing while typing, the switch on leaving.
    await emailBox(page).fill('');
    await emailBox(page).pressSequentially(`${GRACE.username}@corp.signet.test`);
    await expect(emailBox(page)).toHaveValue(`${GRACE.username}@corp.signet.test`);
    await expect(connection(page)).toHaveValue(DATABASE);
    await page.getByLabel('Password', { exact: true }).focus();
    await expect(status(page)).toHaveText(SWITCHED);
    await expect(connection(page)).toHaveValue('corp-ldap');
    await expect(page.getByRole('textbox', { name: 'Username' })).toHaveValue(GRACE.username);
  });

  test('a click on “Create an account” with a directory email typed opens sign-up (no switch eats it)', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    await clientConfigFetched(app);
    await emailBox(page).fill(`${GRACE.username}@corp.signet.test`);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible();
  });

  test('a switch found at submit stops and shows the notice (no trailing dot); the next submit signs in', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    await clientConfigFetched(app);
    await page.getByLabel('Password', { exact: true }).fill(GRACE.password);
    await emailBox(page).fill(`${GRACE.username}@corp.signet.test.`);
    await emailBox(page).press('Enter');
    await expect(status(page)).toHaveText(SWITCHED);
    await expect(connection(page)).toHaveValue('corp-ldap');
    expect(await app.service.calls.accounts({})).toEqual([]);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    const [account] = await app.service.calls.accounts({});
    expect(account).toMatchObject({ username: GRACE.username, connection: 'corp-ldap' });
  });

  test('an email of corp-ldap’s domain switches to it on leaving the field, announced; undo goes back; a connection picked by hand drops the switch; then Grace signs in', async ({
    app,
  }) => {
    const { page } = app;
    const email = `${GRACE.username}@corp.signet.test`;
    await app.open();
    await clientConfigFetched(app);
    await expect(connection(page)).toHaveValue(DATABASE);

    await emailBox(page).fill(email);
    await emailBox(page).press('Tab');
    await expect(status(page)).toHaveText(SWITCHED);
    await expect(connection(page)).toHaveValue('corp-ldap');
    const username = page.getByRole('textbox', { name: 'Username' });
    await expect(username).toHaveValue(GRACE.username);
    // Tab went on to the password; the undo button is one step back, right after the field.
    await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(page.getByRole('button', { name: 'Use Database instead' })).toBeFocused();

    // Undo: the database connection and the address as typed, and HRD leaves it alone.
    await page.getByRole('button', { name: 'Use Database instead' }).click();
    await expect(connection(page)).toHaveValue(DATABASE);
    await expect(emailBox(page)).toHaveValue(email);
    await expect(emailBox(page)).toBeFocused();
    await expect(status(page)).toHaveText('');
    await emailBox(page).blur();
    await expect(connection(page)).toHaveValue(DATABASE);

    // A fresh window: the switch, then the connection changed by hand forgets it.
    await app.open();
    await clientConfigFetched(app);
    await emailBox(page).pressSequentially(email);
    await emailBox(page).press('Tab');
    await expect(status(page)).toHaveText(SWITCHED);
    await connection(page).selectOption(DATABASE);
    await connection(page).selectOption('corp-ldap');
    await expect(status(page)).toHaveText('');
    await expect(page.getByRole('button', { name: 'Use Database instead' })).toHaveCount(0);

    await app.open();
    await clientConfigFetched(app);
    await emailBox(page).pressSequentially(email);
    await emailBox(page).press('Tab');
    await expect(status(page)).toHaveText(SWITCHED);
    await expect(username).toHaveValue(GRACE.username);
    await page.getByLabel('Password', { exact: true }).fill(GRACE.password);
    await shot(page, 'home-realm');
    await expectAccessibleLightAndDark(page, 'home-realm discovery');
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
