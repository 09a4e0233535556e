import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures/bridge';
import { ADA, expectAccessibleLightAndDark, shot, signInWithPassword } from '../fixtures/screens';
import { addDbUser } from '../fixtures/tenant';

/** The "Continue as…" card (Lock's last login). */
const offer = (page: Page) => page.getByRole('region', { name: 'Welcome back' });
const continueAs = (page: Page, name: string) =>
  page.getByRole('button', { name: `Continue as ${name}`, exact: true });

/**
 * Waits until the page's own `lastLogin` call has been answered: the window asks once, when
 * the sign-in screen appears; a call of ours after it is answered after it.
 */
async function lastLoginAsked(page: Page): Promise<unknown> {
  await expect(page.getByRole('tab', { name: 'Password / LDAP' })).toBeVisible();
  return page.evaluate(() => window.signet?.lastLogin({}));
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
}

test.describe('last login (Continue as…)', () => {
  test('after sign-out the window offers Ada, and continuing fills her in for the password', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    // Nobody signed in on this machine yet: nothing to offer.
    expect(await lastLoginAsked(page)).toBeNull();
    await expect(offer(page)).toHaveCount(0);

    await signInWithPassword(page, { username: ADA.email, password: ADA.password });
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    await signOut(page);

    await expect(continueAs(page, `Ada Lovelace (${ADA.email})`)).toBeVisible();
    await expect(offer(page)).toContainText('You last signed in here with');
    // The usual form stays under it, empty.
    await expect(page.getByRole('textbox', { name: 'Email' })).toHaveValue('');
    await expectAccessibleLightAndDark(page, 'last login');
    await shot(page, 'last-login');

    await continueAs(page, `Ada Lovelace (${ADA.email})`).click();
    await expect(offer(page)).toHaveCount(0);
    await expect(page.getByRole('textbox', { name: 'Email' })).toHaveValue(ADA.email);
    await expect(page.getByLabel('Connection')).toHaveValue('Username-Password-Authentication');
    await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
    await page.keyboard.type(ADA.password);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Signed-in user' })).toContainText(ADA.email);
  });

  test('“Not you?” forgets the last login, also after a relaunch', async ({ app }) => {
    const { page } = app;
    await app.open();
    await signInWithPassword(page, { username: ADA.email, password: ADA.password });
    await signOut(page);

    // Remembered across a relaunch (names and the connection only).
    await app.relaunch();
    await expect(continueAs(page, `Ada Lovelace (${ADA.email})`)).toBeVisible();
    await page.getByRole('button', { name: 'Not you?' }).click();
    await expect(offer(page)).toHaveCount(0);
    await expect(page.getByRole('textbox', { name: 'Email' })).toBeFocused();
    await expect(page.getByRole('textbox', { name: 'Email' })).toHaveValue('');

    // Forgotten for good: neither a reload nor a relaunch offers her again.
    await app.open();
    expect(await lastLoginAsked(page)).toBeNull();
    await expect(offer(page)).toHaveCount(0);
    await app.relaunch();
    expect(await lastLoginAsked(page)).toBeNull();
    await expect(offer(page)).toHaveCount(0);
  });

  test('an SMS last login fills in the number, ready to send the code', async ({ app }) => {
    const { page } = app;
    await app.open();
    await page.getByRole('tab', { name: 'SMS' }).click();
    await page.getByLabel('Phone number').fill('2015550123');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page.getByLabel('Digit 1 of 6')).toBeFocused();
    await page
      .getByLabel('Digit 1 of 6')
      .pressSequentially(await app.tenant.lastCode('+12015550123'));
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    await signOut(page);

    await continueAs(page, '+12015550123').click();
    await expect(page.getByRole('tab', { name: 'SMS' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByLabel('Country', { exact: true })).toHaveValue('US');
    await expect(page.getByLabel('Phone number')).toHaveValue('(201) 555-0123');
    await expect(page.getByLabel('Phone number')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByText('We sent a 6-digit code to')).toContainText('+1 201 555 0123');
  });

  test('a name with control and bidi characters is shown as plain text', async ({ app }) => {
    const { page } = app;
    // A tenant can put anything in a name: a right-to-left override, a bell, a line break,
    // a zero-width space, and markup.
    const email = 'mallory@signet.test';
    const password = 'Mallory-Pass-1';
    await addDbUser(app.tenant, {
      email,
      password,
      name: 'Mal\u202Eyrol\u202C\u0007\nory\u200B <b>Admin</b>',
    });
    await app.open();
    await signInWithPassword(page, { username: email, password });
    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    await signOut(page);

    const button = continueAs(page, `Malyrol ory <b>Admin</b> (${email})`);
    await expect(button).toBeVisible();
    const text = await button.textContent();
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
    await expect(button.locator('b')).toHaveCount(0);
  });
});
