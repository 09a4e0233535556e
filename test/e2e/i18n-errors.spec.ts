/**
 * Errors in the user's language (issue 13): the banner shows core's sentence (its `i18n` key
 * and values) in the window's language, and its labels too, while Details keep what IT
 * searches for as it was sent — the error's code, the HTTP status, the tenant's own
 * description — untranslated (`translate="no"`), codes left-to-right in Arabic.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures/bridge';
import { ADA, banner } from '../fixtures/screens';
import { MESSAGES } from '../../src/shared/auth0-protocol';

/** A language's error sentences, as the window's catalog holds them. */
const catalog = (lang: string): Record<string, string> =>
  JSON.parse(
    readFileSync(
      join(import.meta.dirname, `../../src/renderer/i18n/icu/${lang}/errors.json`),
      'utf8',
    ),
  ) as Record<string, string>;

/**
 * Signs in through the Password form, found by its inputs' purpose rather than their labels
 * (which are in the window's language).
 */
async function signIn(page: Page, username: string, password: string) {
  const form = page
    .locator('form')
    .filter({ has: page.locator('input[autocomplete="current-password"]') });
  await form.locator('input[autocomplete="username"]').fill(username);
  await form.locator('input[autocomplete="current-password"]').fill(password);
  await form.locator('button[type="submit"]').click();
}

test.describe('OS locale de-DE', () => {
  test.use({ appOptions: { systemLocale: 'de-DE' } });

  test('a wrong password is refused in German; Details keep the code, status and the tenant’s description', async ({
    app,
  }) => {
    const { page } = app;
    const de = catalog('de');
    await app.open();
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await signIn(page, ADA.email, 'not-the-password');
    const alert = banner(page);
    await expect(alert).toHaveAttribute('data-code', 'invalid_user_password');
    await expect(alert.locator('.banner-message')).toHaveText(de['errors.tenant.wrongPassword']!);
    await expect(alert.locator('.banner-message')).toHaveText(
      'E-Mail-Adresse oder Passwort ist falsch.',
    );
    await expect(
      alert.getByRole('button', { name: de['errors.banner.dismiss'], exact: true }),
    ).toBeVisible();

    await alert.getByRole('button', { name: 'Details anzeigen', exact: true }).click();
    const details = alert.locator('.banner-details');
    await expect(details.locator('dt')).toHaveText(['Fehlercode', 'HTTP-Status', 'Beschreibung']);
    // For IT, as the tenant sent them: never translated.
    await expect(details.locator('dd')).toHaveText([
      'invalid_user_password',
      '401',
      MESSAGES.wrongPassword,
    ]);
    for (const dd of await details.locator('dd').all())
      await expect(dd).toHaveAttribute('translate', 'no');
    await expect(
      alert.getByRole('button', { name: 'Details ausblenden', exact: true }),
    ).toBeVisible();
  });

  test('a tenant that is no address is refused in German, what is wrong with it included', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    await page.getByRole('button', { name: 'Einstellungen', exact: true }).click();
    await page.getByRole('textbox', { name: 'Mandant' }).fill('kein Mandant');
    await page.getByRole('button', { name: 'Einstellungen speichern' }).click();
    const message = banner(page).locator('.banner-message');
    await expect(banner(page)).toHaveAttribute('data-code', 'invalid_input');
    // The problem is a sentence of its own, translated inside the German one (not English).
    await expect(message).toHaveText(
      'Der Wert von tenant wurde abgelehnt: muss eine Domain wie acme.eu.auth0.com oder eine http(s)-URL sein.',
    );
    await expect(banner(page).locator('.banner-main')).not.toContainText(/must be|such as/);
    // For IT, under Details: every problem zod found, in the words of the CLI and logs.
    await banner(page).getByRole('button', { name: 'Details anzeigen', exact: true }).click();
    const details = banner(page).locator('.banner-details');
    await expect(details.locator('dt')).toHaveText(['Fehlercode', 'Gefundene Probleme']);
    await expect(details.locator('.banner-issues li')).toHaveText([
      'tenant: must be a domain such as acme.eu.auth0.com or an http(s) URL',
    ]);
    // The value typed stays in the form to be corrected.
    await expect(page.getByRole('textbox', { name: 'Mandant' })).toHaveValue('kein Mandant');
  });
});

test.describe('language "ar" in the settings', () => {
  test.use({ appOptions: { settings: { language: 'ar' } } });

  test('an unreachable tenant is reported in Arabic, its code left-to-right and untranslated', async ({
    app,
  }) => {
    const { page } = app;
    const ar = catalog('ar');
    await app.open();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    const host = new URL(app.tenant.url).host;
    await app.tenant.close();
    await signIn(page, ADA.email, ADA.password);
    const alert = banner(page);
    await expect(alert).toHaveAttribute('data-code', 'network_unreachable');
    // Refused (the port is closed) or cut off (a kept-alive socket): either sentence, in Arabic.
    const said = [
      // The host is isolated (FSI … PDI): in a right-to-left sentence `127.0.0.1:4455` keeps
      // its order instead of being reordered with the Arabic around it.
      ar['errors.network.unreachable']!.replace('{host}', `\u2068${host}\u2069`),
      ar['errors.network.cutOff']!,
    ];
    expect(said).toContain(await alert.locator('.banner-message').textContent());
    await expect(alert.locator('.banner-message')).not.toContainText(/reach|network|connection/i);

    await alert.getByRole('button', { name: ar['errors.banner.details'], exact: true }).click();
    const details = alert.locator('.banner-details');
    await expect(details.locator('dt').first()).toHaveText(ar['errors.banner.code']!);
    const code = details.locator('dd').first();
    await expect(code).toHaveText('network_unreachable');
    await expect(code).toHaveAttribute('translate', 'no');
    await expect(code).toHaveAttribute('dir', 'ltr');
  });
});
