import { test, expect } from '../fixtures/bridge';
import {
  openLdapMissing,
  openLdapSkipped,
  startOpenLdap,
  USERS,
  type OpenLdap,
} from '../fixtures/openldap';
import { signInWithPassword, shot } from '../fixtures/screens';

const skipped = openLdapSkipped();

test.describe('AD/LDAP sign-in against a real OpenLDAP', () => {
  test.skip(skipped, `OpenLDAP is not available: ${openLdapMissing() ?? ''}`);
  let ldap: OpenLdap;
  test.beforeAll(async () => {
    ldap = await startOpenLdap();
  });
  test.afterAll(async () => {
    await ldap?.close();
  });
  test.use({
    // Playwright reads a fixture's dependencies from this destructuring: none here.
    // eslint-disable-next-line no-empty-pattern
    appOptions: async ({}, use) => {
      await use({ tenant: { corpLdap: ldap.connectionConfig() } });
    },
  });

  test('a directory user signs in and sees their groups as chips', async ({ app }) => {
    const { page } = app;
    await app.open();
    await page.getByLabel('Connection').selectOption({ label: 'Corporate directory (AD/LDAP)' });
    // The username field speaks the directory's language.
    await expect(page.getByRole('textbox', { name: 'Username' })).toBeVisible();
    await expect(page.getByText('DOMAIN\\user')).toBeVisible();
    await signInWithPassword(page, { username: 'alan', password: USERS.alan.password });

    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Signed-in user' })).toContainText('Alan Turing');
    const groups = page.getByRole('list', { name: 'Groups' });
    await expect(groups.getByRole('listitem')).toHaveText(['codebreakers', 'mathematicians']);
    await shot(page, 'signed-in-ldap', true);
  });

  test('a wrong directory password is refused', async ({ app }) => {
    const { page } = app;
    await app.open();
    await signInWithPassword(page, {
      username: 'alan',
      password: 'not-his-password',
      connection: 'AD/LDAP',
    });
    await expect(page.getByRole('alert')).toHaveAttribute('data-code', 'invalid_user_password');
  });
});
