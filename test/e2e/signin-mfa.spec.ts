import { generate, generateSecret } from 'otplib';
import { test, expect } from '../fixtures/bridge';
import { ADA, banner, DATABASE, signInWithPassword, shot } from '../fixtures/screens';

test('a user with MFA enters the authenticator code after the password', async ({ app }) => {
  const { page } = app;
  const secret = generateSecret();
  const user = app.tenant.tenant.db.resolve(ADA.email, DATABASE);
  expect(user).toBeTruthy();
  app.tenant.tenant.db.setMfaSecret(user!.user_id, secret);

  await app.open();
  await signInWithPassword(page, { username: ADA.email, password: ADA.password });
  await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
  await expect(page.getByLabel('Digit 1 of 6')).toBeFocused();
  await shot(page, 'signin-mfa');

  // A wrong code: the banner, and the boxes empty for another try.
  await page.getByLabel('Digit 1 of 6').pressSequentially('000000');
  await expect(banner(page)).toHaveAttribute('data-code', 'a0.mfa_invalid_code');
  await expect(page.getByLabel('Digit 1 of 6')).toHaveValue('');

  // Pasting the right code fills all six boxes and submits.
  const code = await generate({ secret });
  await page.getByLabel('Digit 1 of 6').evaluate((el, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, code);
  await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Signed-in user' })).toContainText('Ada Lovelace');
});
