/**
 * The window's language (issue 13, first step: the shell and the sign-in tabs): the OS
 * locale's when nothing is chosen, the settings' `language` over it, Arabic right-to-left on
 * the document, and a language saved through Settings switches the window without a reload.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { test, expect } from '../fixtures/bridge';
import type { Page } from '@playwright/test';

const nav = (page: Page, name: string) =>
  page.getByRole('navigation').getByRole('button', { name, exact: true });

test.describe('OS locale de-DE, nothing chosen', () => {
  test.use({ appOptions: { systemLocale: 'de-DE' } });

  test('the shell and the sign-in tabs are German', async ({ app }) => {
    const { page } = app;
    await app.open();
    await expect(nav(page, 'Konto')).toBeVisible();
    await expect(nav(page, 'Einstellungen')).toBeVisible();
    await expect(nav(page, 'Diagnose')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Anmelden', level: 2 })).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Passwort / LDAP' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
    await nav(page, 'Einstellungen').click();
    await expect(page.getByRole('heading', { name: 'Einstellungen', level: 2 })).toBeFocused();
  });
});

test.describe('language "ar" in the settings, OS locale de-DE', () => {
  test.use({ appOptions: { systemLocale: 'de-DE', settings: { language: 'ar' } } });

  test('the settings win over the OS: Arabic, right-to-left', async ({ app }) => {
    const { page } = app;
    await app.open();
    await expect(nav(page, 'الحساب')).toBeVisible();
    await expect(nav(page, 'الإعدادات')).toBeVisible();
    await expect(nav(page, 'التشخيص')).toBeVisible();
    await expect(page.getByRole('tab', { name: 'كلمة المرور / LDAP' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('navigation', { name: 'الشاشات' })).toBeVisible();
  });
});

test.describe('a language saved through Settings', () => {
  test('switches the window without a reload', async ({ app }) => {
    const { page } = app;
    await app.open();
    await expect(nav(page, 'Account')).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    // A reload would drop this.
    await page.evaluate(() => ((window as unknown as Record<string, string>).i18nMarker = 'kept'));
    await nav(page, 'Settings').click();
    await expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible();
    // The picker is a later step: the saved file gains `language`, the save path carries it.
    const file = JSON.parse(readFileSync(app.settingsFile, 'utf8'));
    writeFileSync(app.settingsFile, JSON.stringify({ ...file, language: 'fr' }));
    await page.getByRole('textbox', { name: 'Device name' }).fill('Ada’s laptop');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(nav(page, 'Paramètres')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Paramètres', level: 2 })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    expect(
      await page.evaluate(() => (window as unknown as Record<string, string>).i18nMarker),
    ).toBe('kept');
    await nav(page, 'Compte').click();
    await expect(page.getByRole('tab', { name: 'Mot de passe / LDAP' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Se connecter', level: 2 })).toBeVisible();
  });
});
