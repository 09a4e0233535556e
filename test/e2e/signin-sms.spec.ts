import { test, expect } from '../fixtures/bridge';
import { banner, shot } from '../fixtures/screens';

test.describe('SMS sign-in', () => {
  test('send a code, read it from the outbox, sign in', async ({ app }) => {
    const { page } = app;
    await app.open();
    await page.getByRole('tab', { name: 'SMS' }).click();
    const country = page.getByLabel('Country', { exact: true });
    await expect(country).toHaveValue('US');

    // Search narrows the list and picks the first match.
    await page.getByLabel('Search countries').fill('united king');
    await expect(country).toHaveValue('GB');
    await page.getByLabel('Search countries').fill('');
    await country.selectOption('US');

    // The number is formatted as typed and validated before anything is sent.
    const number = page.getByLabel('Phone number');
    await number.pressSequentially('201555');
    await expect(number).toHaveValue('(201) 555');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(
      page.getByText('This is not a valid phone number for United States.'),
    ).toBeVisible();
    await expect(number).toBeFocused();
    await number.pressSequentially('0123');
    await expect(number).toHaveValue('(201) 555-0123');
    await shot(page, 'signin-sms-number');
    await page.getByRole('button', { name: 'Send code' }).click();

    await expect(page.getByText('We sent a 6-digit code to')).toContainText('+1 201 555 0123');
    await expect(page.getByRole('button', { name: /Resend code in \d+ s/ })).toBeDisabled();
    const code = await app.tenant.lastCode('+12015550123');
    expect(code).toMatch(/^\d{6}$/);
    await expect(page.getByLabel('Digit 1 of 6')).toBeFocused();
    await shot(page, 'signin-sms-code');
    // Typing advances box by box; the sixth digit submits.
    await page.getByLabel('Digit 1 of 6').pressSequentially(code);

    await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    await expect(page.locator('tr[data-claim="phone_number"]')).toContainText('+12015550123');
  });

  test('a wrong code is refused, then change number goes back', async ({ app }) => {
    const { page } = app;
    await app.open();
    await page.getByRole('tab', { name: 'SMS' }).click();
    await page.getByLabel('Phone number').fill('2015550123');
    await page.getByLabel('Phone number').press('Enter');
    const code = await app.tenant.lastCode('+12015550123').catch(async () => {
      await expect(page.getByText('We sent a 6-digit code to')).toBeVisible();
      return app.tenant.lastCode('+12015550123');
    });
    const wrong = code === '000000' ? '111111' : '000000';
    await page.getByLabel('Digit 1 of 6').pressSequentially(wrong);
    await expect(banner(page)).toBeVisible();
    await expect(page.getByLabel('Digit 1 of 6')).toHaveValue('');
    await page.getByRole('button', { name: 'Change number' }).click();
    await expect(page.getByLabel('Phone number')).toHaveValue('(201) 555-0123');
    await expect(page.getByLabel('Phone number')).toBeFocused();
  });

  test('a number typed with + and its calling code switches the country', async ({ app }) => {
    const { page } = app;
    await app.open();
    await page.getByRole('tab', { name: 'SMS' }).click();
    await page.getByLabel('Phone number').fill('+44 7400 123456');
    await expect(page.getByLabel('Country', { exact: true })).toHaveValue('GB');
    await expect(page.getByLabel('Phone number')).toHaveValue('07400 123456');
  });
});
