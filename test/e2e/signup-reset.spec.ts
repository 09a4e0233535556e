import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures/bridge';
import { ADA, banner, DATABASE, expectAccessible, shot } from '../fixtures/screens';

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
    await expectAccessible(page, 'sign-up');
    await shot(page, 'signup');

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
    await expectAccessible(page, 'sign-up with unmet rules');
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
    expect(app.tenant.tenant.db.resolve(NEW_USER.email, DATABASE)).toBeFalsy();

    // A password every rule accepts: the account is created and signs in.
    await password.fill(NEW_USER.strong);
    await expect(rule(page, 'At least 8 characters in length')).toHaveAttribute('data-met', 'true');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    const claims = page.getByRole('table', { name: 'Claims in the ID token' });
    await expect(claims.locator('tr[data-claim="email"]')).toContainText(NEW_USER.email);
    expect(app.tenant.tenant.db.resolve(NEW_USER.email, DATABASE)).toBeTruthy();
    // The password never entered the page's markup.
    expect(await page.content()).not.toContain(NEW_USER.strong);
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
