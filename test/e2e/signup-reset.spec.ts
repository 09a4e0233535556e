import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures/bridge';
import { RESET_EMAIL_SENT } from '../../src/shared/signup-rules';
import { ADA, banner, DATABASE, expectAccessibleLightAndDark, shot } from '../fixtures/screens';

/** The email fields' own error (the window's English catalog: signin.email.error). */
const EMAIL_FIELD_ERROR = 'Enter your email address, like name@example.com.';

const NEW_USER = { email: 'grace.new@signet.test', strong: 'Correct-Horse-9' };

/** The live checklist under the sign-up password, and one rule with no rules under it. */
const checklist = (page: Page) => page.getByRole('group', { name: 'Password rules' });
const rule = (page: Page, text: string) =>
  checklist(page).locator('li:not(:has(li))', { hasText: text });

/** Opens the sign-up view from the password form, as a user would. */
async function openSignUp(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Create an account' }).click();
  await expect(page.getByRole('heading', { name: 'Create an account' })).toBeFocused();
}

test.describe('sign-up (Lock’s “Sign Up”)', () => {
  test('the checklist holds a weak password back, the tenant’s own refusal shows its rules, then the new account signs in', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    await openSignUp(page);
    await expect(page.getByText('A new account on')).toBeVisible();
    await page.getByRole('textbox', { name: 'Email' }).fill(NEW_USER.email);
    // Before anything is typed every rule is unmet (the demo database's policy is `good`).
    await expect(rule(page, 'At least 8 characters in length')).toHaveAttribute(
      'data-met',
      'false',
    );
    await expectAccessibleLightAndDark(page, 'sign-up');
    await shot(page, 'signup');

    // Not an email: Signet's own field error (no browser bubble), and nothing is sent.
    const emailBox = page.getByRole('textbox', { name: 'Email' });
    await emailBox.fill('grace.new');
    await page.getByLabel('Password', { exact: true }).fill(NEW_USER.strong);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(emailBox).toBeFocused();
    await expect(emailBox).toHaveAttribute('aria-invalid', 'true');
    await expect(emailBox).toHaveAccessibleDescription(EMAIL_FIELD_ERROR);
    expect(app.tenant.tenant.db.resolve('grace.new', DATABASE)).toBeFalsy();
    await emailBox.fill(NEW_USER.email);
    await expect(page.getByText(EMAIL_FIELD_ERROR)).toHaveCount(0);
    await page.getByLabel('Password', { exact: true }).fill('');

    const password = page.getByLabel('Password', { exact: true });
    await password.fill('short1');
    await expect(rule(page, 'At least 8 characters in length')).toHaveAttribute(
      'data-met',
      'false',
    );
    await expect(rule(page, 'At least 8 characters in length')).toContainText('(not met)');
    await expect(rule(page, 'lower case letters (a-z)')).toHaveAttribute('data-met', 'true');
    await expect(rule(page, 'numbers (i.e. 0-9)')).toContainText('(met)');
    await expect(rule(page, 'upper case letters (A-Z)')).toHaveAttribute('data-met', 'false');
    // The summary is said once typing pauses; the checklist describes the field.
    await expect(page.getByText('The password meets 0 of 2 rules.')).toBeVisible();
    await expect(password).toHaveAccessibleDescription(
      /^Password rules At least 8 characters in length \(not met\)/,
    );

    // Submitting anyway is refused here: nothing reaches the tenant.
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByText('This password does not meet the rules below yet.')).toBeVisible();
    await expect(password).toBeFocused();
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(app.tenant.tenant.db.resolve(NEW_USER.email, DATABASE)).toBeFalsy();
    await expectAccessibleLightAndDark(page, 'sign-up with unmet rules');
    await shot(page, 'signup-policy');

    // The tenant's policy became stricter after the window read the client's configuration:
    // what the checklist accepts, the tenant refuses, and its rules are shown.
    const db = app.tenant.tenant.config.connections.find((c) => c.name === DATABASE);
    if (db?.type !== 'database') throw new Error('the demo tenant has no database connection');
    db.passwordPolicy = 'excellent';
    await password.fill('Goodpass1');
    await expect(page.getByText('The password meets every rule.')).toBeVisible();
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(banner(page)).toHaveAttribute('data-code', 'invalid_password');
    await expect(banner(page)).toContainText('too weak');
    const refused = page.getByRole('group', {
      name: 'The tenant refused this password. Its rules:',
    });
    await expect(
      refused.locator('li:not(:has(li))', { hasText: 'At least 10 characters in length' }),
    ).toHaveAttribute('data-met', 'false');
    await expect(password).toBeFocused();
    // The refused rules describe the field; the password, still in it, is in no attribute
    // and nowhere in the page's markup.
    await expect(password).toHaveAccessibleDescription(/The tenant refused this password/);
    expect(await password.inputValue()).toBe('Goodpass1');
    expect(await password.getAttribute('value')).toBeNull();
    expect(await page.content()).not.toContain('Goodpass1');
    expect(app.tenant.tenant.db.resolve(NEW_USER.email, DATABASE)).toBeFalsy();
    await expectAccessibleLightAndDark(page, 'sign-up refused by the tenant');

    // A new password: the refusal was about the old one, and goes.
    await password.fill(NEW_USER.strong);
    await expect(refused).toHaveCount(0);
    // A password every rule accepts: the account is created and signs in.
    await expect(rule(page, 'At least 8 characters in length')).toHaveAttribute('data-met', 'true');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    const claims = page.getByRole('table', { name: 'Claims in the ID token' });
    await expect(claims.locator('tr[data-claim="email"]')).toContainText(NEW_USER.email);
    expect(app.tenant.tenant.db.resolve(NEW_USER.email, DATABASE)).toBeTruthy();
    expect(await page.content()).not.toContain(NEW_USER.strong);

    // Signed out, the new account signs in again from the password form.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
    // The last-login offer names the new account; the form is used here instead.
    await page.getByRole('button', { name: 'Not you?' }).click();
    await page.getByRole('textbox', { name: 'Email' }).fill(NEW_USER.email);
    await page.getByLabel('Password', { exact: true }).fill(NEW_USER.strong);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Signed-in user' })).toContainText(
      NEW_USER.email,
    );
  });

  test('an email that already has an account is refused with the tenant’s user_exists', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    // What was typed as the username comes along.
    await page.getByRole('textbox', { name: 'Email' }).fill(ADA.email);
    await openSignUp(page);
    await expect(page.getByRole('textbox', { name: 'Email' })).toHaveValue(ADA.email);
    await page.getByLabel('Password', { exact: true }).fill(NEW_USER.strong);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(banner(page)).toHaveAttribute('data-code', 'user_exists');
    await expect(banner(page)).toContainText('An account with this email already exists.');
    // Back to sign-in, the address filled in.
    await page.getByRole('button', { name: 'Back to sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeFocused();
    await expect(page.getByRole('textbox', { name: 'Email' })).toHaveValue(ADA.email);
  });
});

test.describe('forgot password (“Don’t remember your password?”)', () => {
  test('the email’s link opens the tenant’s reset page; the new password signs in, the old one no longer does', async ({
    app,
  }) => {
    const { page } = app;
    const fresh = 'New-Password-42';
    await app.open();
    // The address typed into the sign-in form comes along.
    await page.getByRole('textbox', { name: 'Email' }).fill(ADA.email);
    await page.getByRole('button', { name: 'Don’t remember your password?' }).click();
    await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeFocused();
    await expect(page.getByRole('textbox', { name: 'Email' })).toHaveValue(ADA.email);
    await expectAccessibleLightAndDark(page, 'forgot password');
    await shot(page, 'forgot-password');
    await page.getByRole('button', { name: 'Send email' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'reset' })).toHaveText(
      RESET_EMAIL_SENT,
    );
    await expect(page.getByRole('button', { name: 'Back to sign in' })).toBeFocused();
    await expectAccessibleLightAndDark(page, 'reset email sent');

    // The email, read from the tenant's outbox (with its per-start key), holds the link.
    const [mail] = await app.tenant.emails(ADA.email);
    expect(mail?.link).toMatch(/\/lo\/reset\?ticket=/);

    // The tenant's own page, in the same browser: a weak password is refused with the policy.
    const reset = await page.context().newPage();
    await reset.goto(mail!.link);
    await expect(reset.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
    await expect(reset.getByText(`Choose a new password for ${ADA.email}`)).toBeVisible();
    await reset.getByLabel('New password', { exact: true }).fill('weak');
    await reset.getByLabel('Confirm the new password').fill('weak');
    await reset.getByRole('button', { name: 'Set the password' }).click();
    await expect(reset.getByRole('alert')).toBeVisible();
    await expect(
      reset.getByRole('listitem').filter({ hasText: 'At least 8 characters in length' }),
    ).toHaveClass('unmet');
    await expectAccessibleLightAndDark(reset, 'the tenant’s reset page');
    await shot(reset, 'reset-page');
    await reset.getByLabel('New password', { exact: true }).fill(fresh);
    await reset.getByLabel('Confirm the new password').fill(fresh);
    await reset.getByRole('button', { name: 'Set the password' }).click();
    await expect(
      reset.getByRole('heading', { name: 'Your password has been changed.' }),
    ).toBeVisible();
    await reset.close();

    // Back in Signet, the address filled in: the old password is refused, the new one signs in.
    await page.getByRole('button', { name: 'Back to sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeFocused();
    await expect(page.getByRole('textbox', { name: 'Email' })).toHaveValue(ADA.email);
    await page.getByLabel('Password', { exact: true }).fill(ADA.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(banner(page)).toHaveAttribute('data-code', 'invalid_user_password');
    await page.getByLabel('Password', { exact: true }).fill(fresh);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Signed-in user' })).toContainText(ADA.email);
  });

  test('a username that is no email, typed before opening the reset, is still there after Back', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    await page.getByRole('textbox', { name: 'Email' }).fill('ada');
    await page.getByRole('button', { name: 'Don’t remember your password?' }).click();
    await expect(page.getByRole('textbox', { name: 'Email' })).toHaveValue('');
    await page.getByRole('button', { name: 'Back to sign in' }).click();
    await expect(page.getByRole('textbox', { name: 'Email' })).toHaveValue('ada');
  });

  test('an address with no account gets the same sentence, and no email is sent', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    await page.getByRole('button', { name: 'Don’t remember your password?' }).click();
    // Nothing typed that looks like an email: the field starts empty.
    const emailBox = page.getByRole('textbox', { name: 'Email' });
    await expect(emailBox).toHaveValue('');
    // Not an address: Signet's own field error, and nothing is sent.
    await emailBox.fill('nobody');
    await page.getByRole('button', { name: 'Send email' }).click();
    await expect(emailBox).toBeFocused();
    await expect(emailBox).toHaveAccessibleDescription(new RegExp(EMAIL_FIELD_ERROR));
    await emailBox.fill('nobody@signet.test');
    await page.getByRole('button', { name: 'Send email' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'reset' })).toHaveText(
      RESET_EMAIL_SENT,
    );
    expect(await app.tenant.emails('nobody@signet.test')).toEqual([]);
  });
});

test.describe('what the client’s configuration allows', () => {
  test.describe('a database connection with sign-up disabled', () => {
    test.use({
      appOptions: {
        tenant: {
          configure: (config) => {
            const db = config.connections.find((c) => c.name === DATABASE);
            if (db?.type === 'database') db.disableSignup = true;
          },
        },
      },
    });

    test('offers reset but no sign-up, and an AD/LDAP connection offers neither', async ({
      app,
    }) => {
      const { page } = app;
      await app.open();
      await expect(
        page.getByRole('button', { name: 'Don’t remember your password?' }),
      ).toBeVisible();
      // Once the client's configuration says `showSignup: false`, the link goes.
      await expect(page.getByRole('button', { name: 'Create an account' })).toHaveCount(0);
      const select = page.getByLabel('Connection');
      const options = await select.locator('option').allTextContents();
      await select.selectOption({ label: options.find((o) => o.includes('AD/LDAP'))! });
      await expect(page.getByRole('button', { name: 'Don’t remember your password?' })).toHaveCount(
        0,
      );
    });
  });

  test.describe('a database connection that requires a username', () => {
    test.use({
      appOptions: {
        tenant: {
          configure: (config) => {
            const db = config.connections.find((c) => c.name === DATABASE);
            if (db?.type === 'database') db.requires_username = true;
          },
        },
      },
    });

    test('sign-up asks for the username too, and the account signs in', async ({ app }) => {
      const { page } = app;
      await app.open();
      await openSignUp(page);
      await expect(page.getByRole('textbox', { name: 'Username' })).toBeVisible();
      await page.getByRole('textbox', { name: 'Email' }).fill(NEW_USER.email);
      await page.getByRole('textbox', { name: 'Username' }).fill('gracenew');
      await page.getByLabel('Password', { exact: true }).fill(NEW_USER.strong);
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
      const user = app.tenant.tenant.db.resolve(NEW_USER.email, DATABASE);
      expect(user?.username).toBe('gracenew');
    });
  });
});
