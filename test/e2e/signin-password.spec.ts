import { test, expect } from '../fixtures/bridge';
import {
  ADA,
  banner,
  BLOCKED,
  onMisbehavingTenant,
  signInWithPassword,
  shot,
} from '../fixtures/screens';

test.describe('password sign-in', () => {
  test('a database user signs in and sees the claims, then signs out', async ({ app }) => {
    const { page } = app;
    await app.open();
    await expect(page.getByRole('heading', { name: 'Signet', level: 1 })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Email' })).toBeVisible();
    await signInWithPassword(page, { username: ADA.email, password: ADA.password });

    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    const card = page.getByRole('region', { name: 'Signed-in user' });
    await expect(card).toContainText('Ada Lovelace');
    await expect(card).toContainText(ADA.email);
    await expect(card).toContainText('keychain');
    await expect(page.locator('[data-status="verified"]')).toContainText('RS256');
    const claims = page.getByRole('table', { name: 'Claims in the ID token' });
    await expect(claims.locator('tr[data-claim="email"]')).toContainText(ADA.email);
    await expect(claims.locator('tr[data-claim="exp"]')).toContainText(/in \d+ h/);
    await expect(claims.locator('tr[data-claim="iss"]')).toContainText(app.tenant.issuer);
    await expect(page.getByRole('timer')).toHaveText(/^\d+:\d\d:\d\d$/);

    // The raw value is one click away.
    const raw = claims.locator('tr[data-claim="exp"] details');
    await raw.locator('summary').click();
    await expect(raw.locator('pre')).toHaveText(/^\d{10}$/);

    // Tokens stay hidden until asked for, then show in full with a copy button.
    await expect(page.locator('.token')).toHaveCount(0);
    await page.getByRole('button', { name: 'Reveal tokens' }).click();
    const revealed = await app.service.calls.revealTokens({});
    await expect(page.locator('textarea[data-token="id_token"]')).toHaveValue(revealed.id_token!);
    // Main copies it (the page has no clipboard permission): exactly the token named.
    await page.getByRole('button', { name: 'Copy ID token' }).click();
    await expect(page.getByText('ID token copied to the clipboard.')).toBeVisible();
    expect(app.clipboard).toEqual([revealed.id_token]);
    await page.getByRole('button', { name: 'Copy Access token' }).click();
    await expect(page.getByText('Access token copied to the clipboard.')).toBeVisible();
    expect(app.clipboard).toEqual([revealed.id_token, revealed.access_token]);
    await page.getByRole('button', { name: 'Hide tokens' }).click();
    await expect(page.locator('.token')).toHaveCount(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
    await expect(page.getByText('You are signed out')).toBeVisible();
    expect(await app.service.calls.accounts({})).toEqual([]);
  });

  test('a wrong password shows the banner with the details for IT', async ({ app }) => {
    const { page } = app;
    await app.open();
    await signInWithPassword(page, { username: ADA.email, password: 'not-the-password' });
    await expect(banner(page)).toBeVisible();
    await expect(banner(page)).toHaveAttribute('data-code', 'invalid_user_password');
    // Inputs come back, the password field has focus for a retry.
    await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
    // The password stays in the field for a retry, but never in the page's markup.
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('not-the-password');
    expect(await page.content()).not.toContain('not-the-password');
    await expect(banner(page).locator('.banner-details')).toBeHidden();
    await banner(page).getByRole('button', { name: 'Details' }).click();
    await expect(banner(page)).toContainText('invalid_user_password');
    await expect(banner(page)).toContainText('401');
    await shot(page, 'error-wrong-password');
  });

  test('a blocked user is told what to do next', async ({ app }) => {
    const { page } = app;
    await app.open();
    await signInWithPassword(page, { username: BLOCKED.email, password: BLOCKED.password });
    await expect(banner(page)).toContainText(/blocked/i);
    await expect(banner(page)).toContainText(/administrator|help desk/i);
  });

  test('the eleventh wrong try is refused as too many attempts', async ({ app }) => {
    const { page } = app;
    await app.open();
    for (let i = 1; i <= 10; i++) {
      await signInWithPassword(page, { username: ADA.email, password: `wrong-${i}` });
      await expect(banner(page)).toHaveAttribute('data-code', 'invalid_user_password');
      await banner(page).getByRole('button', { name: 'Dismiss error' }).click();
    }
    await signInWithPassword(page, { username: ADA.email, password: ADA.password });
    await expect(banner(page)).toHaveAttribute('data-code', 'too_many_attempts');
    await banner(page).getByRole('button', { name: 'Details' }).click();
    await expect(banner(page)).toContainText('429');
  });

  test('a tenant that stopped answering gives a network error banner', async ({ app }) => {
    const { page } = app;
    await app.open();
    await expect(page.getByRole('textbox', { name: 'Email' })).toBeVisible();
    await app.tenant.close();
    await signInWithPassword(page, { username: ADA.email, password: ADA.password });
    await expect(banner(page)).toHaveAttribute(
      'data-code',
      /network_unreachable|timeout|dns_failed/,
    );
    await expect(banner(page)).toContainText(/reach|connect|network/i);
    await shot(page, 'error-network');
  });

  test('in flight the inputs are disabled and Cancel stops the sign-in', async ({ app }) => {
    const { page } = app;
    // A tenant that never sends headers keeps the request in flight.
    await onMisbehavingTenant(app, 'hang-headers', async () => {
      await signInWithPassword(page, { username: ADA.email, password: ADA.password });
      await expect(page.getByRole('status').filter({ hasText: 'Signing in…' })).toBeVisible();
      await expect(page.getByRole('textbox', { name: 'Email' })).toBeDisabled();
      await expect(page.getByLabel('Password', { exact: true })).toBeDisabled();
      await shot(page, 'signin-in-flight');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await expect(page.getByText('Sign-in cancelled.')).toBeVisible();
      await expect(page.getByRole('textbox', { name: 'Email' })).toBeEnabled();
      await expect(banner(page)).toHaveCount(0);
    });
  });

  test('an AD refusal shows the bind sub-code explained', async ({ app }) => {
    const { page } = app;
    await onMisbehavingTenant(app, 'ad-locked', async () => {
      await signInWithPassword(page, {
        username: 'grace',
        password: 'whatever',
        connection: 'AD/LDAP',
      });
      await banner(page).getByRole('button', { name: 'Details' }).click();
      await expect(banner(page)).toContainText('AD sub-code');
      await expect(banner(page)).toContainText(/775 — .*locked/);
    });
  });

  test('an HS256 id_token is shown as not verifiable', async ({ app }) => {
    const { page } = app;
    await onMisbehavingTenant(app, 'hs256', async () => {
      await signInWithPassword(page, { username: ADA.email, password: ADA.password });
      await expect(page.locator('[data-status="unverifiable"]')).toContainText('HS256');
    });
  });
});
