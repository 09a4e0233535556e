import { test, expect } from '../fixtures/bridge';
import { ADA, signInWithPassword } from '../fixtures/screens';

test('a remembered session is restored when the app is launched again', async ({ app }) => {
  const { page } = app;
  await app.open();
  await page.getByRole('checkbox', { name: 'Keep me signed in' }).check();
  await signInWithPassword(page, { username: ADA.email, password: ADA.password });
  await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  const before = await page.locator('tr[data-claim="sub"] td .claim-text').textContent();

  // A new service on the same keychain and settings, and a fresh page: as after a relaunch.
  await app.relaunch();
  await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Signed-in user' })).toContainText(ADA.email);
  await expect(page.locator('tr[data-claim="sub"] td .claim-text')).toHaveText(before!);
  await expect(page.getByRole('region', { name: 'Signed-in user' })).toContainText('keychain');

  // Signed out, the next launch shows the sign-in form.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  await app.relaunch();
  await expect(page.getByRole('textbox', { name: 'Email' })).toBeVisible();
  await expect(page.getByText('Looking for a remembered session…')).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
});
