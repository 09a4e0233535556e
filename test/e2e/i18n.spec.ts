/**
 * The window's language (issue 13): the OS locale's when nothing is chosen, the settings'
 * `language` over it, Arabic right-to-left on the document; the picker in Settings switches the
 * window without a reload, Automatic goes back to the OS's, and IT's managed `language` locks it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../fixtures/bridge';
import { expectAccessibleLightAndDark, shot } from '../fixtures/screens';
import type { Page } from '@playwright/test';
import { LANGUAGE_TAGS } from '../../src/shared/languages';

const nav = (page: Page, name: string) =>
  page.getByRole('navigation').getByRole('button', { name, exact: true });

/** A mark on the page's window object: a reload would drop it. */
const mark = (page: Page) =>
  page.evaluate(() => ((window as unknown as Record<string, string>).i18nMarker = 'kept'));
const marked = (page: Page) =>
  page.evaluate(() => (window as unknown as Record<string, string>).i18nMarker);

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

test.describe('the language picker in Settings, OS locale fr-FR', () => {
  test.use({ appOptions: { systemLocale: 'fr-FR' } });

  test('lists Automatic (the OS language) and each language in its own name', async ({ app }) => {
    const { page } = app;
    await app.open();
    await nav(page, 'Paramètres').click();
    const picker = page.getByRole('combobox', { name: 'Langue' });
    await expect(picker).toHaveValue('');
    const options = picker.locator('option');
    await expect(options).toHaveText([
      'Automatique — Français',
      'English',
      'Deutsch',
      'Français',
      'Español',
      'Português (Brasil)',
      '日本語',
      '简体中文',
      'العربية',
    ]);
    // Each name marked with its language, so a screen reader says it in that language.
    expect(await options.evaluateAll((os) => os.map((o) => o.getAttribute('lang')))).toEqual([
      'fr',
      'en',
      'de',
      'fr',
      'es',
      'pt-BR',
      'ja',
      'zh-CN',
      'ar',
    ]);
  });

  test('Deutsch switches the window without a reload; Automatic goes back to French', async ({
    app,
  }) => {
    const { page } = app;
    await app.open();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await mark(page);
    await nav(page, 'Paramètres').click();
    await page.getByRole('combobox', { name: 'Langue' }).selectOption({ label: 'Deutsch' });
    await page.getByRole('button', { name: 'Enregistrer les paramètres' }).click();

    // The whole window is German at once, the Settings screen included, and it was no reload.
    await expect(page.getByRole('heading', { name: 'Einstellungen', level: 2 })).toBeVisible();
    await expect(page.getByRole('status')).toHaveText('Einstellungen gespeichert.');
    await expect(page.getByRole('combobox', { name: 'Sprache' })).toHaveValue('de');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    expect(await marked(page)).toBe('kept');
    expect(JSON.parse(readFileSync(app.settingsFile, 'utf8')).language).toBe('de');
    await nav(page, 'Konto').click();
    await expect(page.getByRole('tab', { name: 'Passwort / LDAP' })).toBeVisible();

    // Automatic: `language` leaves the file, and the window follows the OS (French) again.
    await nav(page, 'Einstellungen').click();
    await page
      .getByRole('combobox', { name: 'Sprache' })
      .selectOption({ label: 'Automatisch — Français' });
    await page.getByRole('button', { name: 'Einstellungen speichern' }).click();
    await expect(page.getByRole('heading', { name: 'Paramètres', level: 2 })).toBeVisible();
    await expect(page.getByRole('status')).toHaveText('Paramètres enregistrés.');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    expect(await marked(page)).toBe('kept');
    expect(JSON.parse(readFileSync(app.settingsFile, 'utf8'))).not.toHaveProperty('language');

    // And after a relaunch, still the OS's.
    await app.relaunch();
    await expect(nav(page, 'Compte')).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  });
});

test.describe('the managed configuration sets language "ar", OS locale de-DE', () => {
  test.use({ appOptions: { systemLocale: 'de-DE', managed: { language: 'ar' } } });

  test('the window is Arabic and the picker is locked by the organisation', async ({ app }) => {
    const { page } = app;
    await app.open();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await nav(page, 'الإعدادات').click();
    const picker = page.getByRole('combobox', { name: /^اللغة/ });
    await expect(picker).toBeDisabled();
    await expect(picker).toHaveValue('ar');
    await expect(picker).toHaveAccessibleName('اللغة (مقفل)');
    await expect(picker).toHaveAccessibleDescription(
      /^مقفل: تحدده الإعدادات المُدارة لمؤسستك \(.*managed\.json\)\.$/,
    );
  });
});

// axe on the Settings screen in German and Arabic: a locked field, the scope choice with its
// Advanced part open, in light and dark; screenshots settings-de.png and settings-ar.png.
for (const [lang, locale, heading, advanced] of [
  ['de', 'de-DE', 'Einstellungen', 'Erweitert'],
  ['ar', 'ar-EG', 'الإعدادات', 'متقدم'],
] as const) {
  test.describe(`the Settings screen in ${lang}`, () => {
    test.use({
      appOptions: { systemLocale: locale, managed: { proxy: 'http://proxy.corp:3128' } },
    });

    test('is accessible, with a locked field and the Advanced scope open', async ({ app }) => {
      const { page } = app;
      await page.setViewportSize({ width: 420, height: 560 });
      await app.open();
      await nav(page, heading).click();
      await expect(page.getByRole('heading', { name: heading, level: 2 })).toBeFocused();
      await page.getByText(advanced, { exact: true }).click();
      await expect(page.getByRole('textbox', { name: /scope|النطاق/i })).toBeVisible();
      await expectAccessibleLightAndDark(page, `settings (${lang})`);
      await shot(page, `settings-${lang}`, true);
    });
  });
}

/** Every area's messages of a language, merged: key → ICU text. */
function catalog(lang: string): Record<string, string> {
  const dir = join('src', 'renderer', 'i18n', 'icu', lang);
  return Object.assign(
    {},
    ...readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as object),
  );
}

/**
 * The Settings screen's visible words, outside `translate="no"` (data: paths, URLs, names):
 * text, option text, and the names given by `aria-label`.
 */
const shownWords = (page: Page) =>
  page.locator('main').evaluate((main) => {
    const out: string[] = [];
    const walk = (node: Node) => {
      if (node instanceof Element) {
        if (node.getAttribute('translate') === 'no') return;
        const label = node.getAttribute('aria-label');
        if (label) out.push(label);
      } else if (node.nodeType === Node.TEXT_NODE && node.textContent?.trim())
        out.push(node.textContent.trim());
      node.childNodes.forEach(walk);
    };
    walk(main);
    return out;
  });

// Every language but English: no Settings text is a key, nor English where the language has
// its own words (a string hard-coded in a component, or a key missing from the catalog).
for (const lang of LANGUAGE_TAGS.filter((l) => l !== 'en')) {
  test.describe(`every word of the Settings screen in ${lang}`, () => {
    test.use({
      appOptions: { settings: { language: lang }, managed: { proxy: 'http://proxy.corp:3128' } },
    });

    test('shows no untranslated text', async ({ app }) => {
      const { page } = app;
      const en = catalog('en');
      const mine = catalog(lang);
      const english = new Set(
        Object.keys(en)
          .filter((k) => mine[k] !== en[k])
          .map((k) => en[k]),
      );
      await app.open();
      await page.getByRole('navigation').getByRole('button').nth(1).click();
      await expect(page.locator('form.settings')).toBeVisible();
      await page.locator('.settings-advanced > summary').click();
      // The status line too: a save with nothing changed says so.
      await page.locator('form.settings button[type=submit]').click();
      await expect(page.getByRole('status')).toHaveText(mine['settings.unchanged']!);
      const words = await shownWords(page);
      expect(words.length).toBeGreaterThan(40);
      expect(words.filter((w) => w in en || english.has(w))).toEqual([]);
    });
  });
}
