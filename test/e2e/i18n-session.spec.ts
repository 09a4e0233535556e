/**
 * The signed-in view in the window's language (issue 13): in German its headings, labels,
 * buttons and sentences are German, and the token's expiry is a German date with a German
 * relative time; in Arabic the document is right-to-left with Arabic labels, while the claims'
 * values and the commands for other tools stay as they are, left to right.
 *
 * The demo user signs in through the service's `signIn` (the call the form sends), with "Keep
 * me signed in", before the window opens; the window then shows the restored session, so this
 * spec does not depend on the sign-in form's own translations.
 */
import type { Page } from '@playwright/test';
import { toolCommands } from '../../src/main/tool-commands';
import type { SignetApp } from '../fixtures/bridge';
import { test, expect } from '../fixtures/bridge';
import { ADA, DATABASE, expectAccessible, shot } from '../fixtures/screens';

async function signedIn(app: SignetApp): Promise<void> {
  await app.service.calls.signIn({
    connection: DATABASE,
    username: ADA.email,
    password: ADA.password,
    scope: 'remember',
  });
  await app.open();
}

/** The token's `exp` (seconds), as the claims table's raw value shows it. */
async function exp(page: Page): Promise<number> {
  const raw = await page.locator('tr[data-claim="exp"] details pre').textContent();
  return Number(raw);
}

/** `ms` as the page's own Intl writes a date and time in `lang` (what format.ts asks for). */
const dateTimeIn = (page: Page, lang: string, ms: number) =>
  page.evaluate(
    ([l, t]) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'medium' }).format(t),
    [lang, ms] as const,
  );

test.describe('OS locale de-DE', () => {
  test.use({ appOptions: { systemLocale: 'de-DE' } });

  test('the signed-in view is German, its expiry a German date and relative time', async ({
    app,
  }) => {
    const { page } = app;
    await signedIn(app);
    await expect(page.getByRole('heading', { name: 'Angemeldet', level: 2 })).toBeVisible();
    const card = page.getByRole('region', { name: 'Angemeldeter Benutzer' });
    await expect(card).toContainText(ADA.email);
    // Where it is kept (the keychain, or memory when a busy keychain refused it), in German.
    await expect(card).toContainText(
      /Im Schlüsselbund des Systems gespeichert|Nur im Arbeitsspeicher \(beim Beenden von Signet vergessen\)/,
    );
    await expect(page.locator('[data-status="verified"]')).toContainText('Signatur geprüft');

    const claims = page.getByRole('table', { name: 'Claims im ID-Token' });
    await expect(claims.getByRole('columnheader')).toHaveText(['Anspruch', 'Wert']);
    await expect(claims.locator('tr[data-claim="exp"] th')).toContainText('Läuft ab');
    await expect(claims.locator('tr[data-claim="iat"] th')).toContainText('Ausgestellt am');
    await expect(claims.locator('tr[data-claim="email"] th')).toContainText('E-Mail');

    // The expiry: the date and time as German writes them, and "in 10 Stunden".
    const expMs = (await exp(page)) * 1000;
    const german = await dateTimeIn(page, 'de', expMs);
    expect(german).toMatch(/^\d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d$/);
    await expect(claims.locator('tr[data-claim="exp"] time')).toHaveText(german);
    await expect(claims.locator('tr[data-claim="exp"] td')).toContainText(/\(in \d+ Stunden?\)/);
    const badge = page.locator('.badge', { has: page.getByRole('timer') });
    await expect(badge).toContainText('Läuft ab in');
    await expect(badge.locator('.badge-detail')).toHaveText(german);
    await expect(page.getByRole('timer')).toHaveText(/^\d+:\d\d:\d\d$/);

    await expect(page.getByRole('button', { name: 'Abmelden' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Token aktualisieren' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Token', level: 3 })).toBeVisible();
    await expect(
      page.getByRole('heading', { name: 'In anderen Programmen verwenden', level: 3 }),
    ).toBeVisible();
    await expect(page.locator('.keep-fresh')).toContainText('Signet erneuert Ihr Token');
    await expect(page.locator('.keep-fresh dt').first()).toHaveText('Zuletzt erneuert');
    await expect(page.locator('.signed-in > p.small')).toContainText(
      /^Bei .+ angemeldet \(Legacy-Protokoll\) in [\d.]+ ms\.$/,
    );

    // A sentence with the token's name inside it, from the catalog.
    await page.getByRole('button', { name: 'Token anzeigen' }).click();
    await page.getByRole('button', { name: 'ID-Token kopieren' }).click();
    await expect(page.getByText('ID-Token in die Zwischenablage kopiert.')).toBeVisible();
    await page.getByRole('button', { name: 'Token verbergen' }).click();

    await expectAccessible(page, 'signed in (de)');
    await shot(page, 'signed-in-de', true);
  });
});

test.describe('language "ar" in the settings', () => {
  test.use({ appOptions: { settings: { language: 'ar' } } });

  test('the signed-in view is Arabic and right-to-left; claim values and commands stay as they are, left to right', async ({
    app,
  }) => {
    const { page } = app;
    await signedIn(app);
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('heading', { name: 'تم تسجيل الدخول', level: 2 })).toBeVisible();
    await expect(page.getByRole('region', { name: 'المستخدم الذي سجّل الدخول' })).toContainText(
      ADA.email,
    );
    const claims = page.getByRole('table', { name: 'المطالبات في رمز الهوية' });
    await expect(claims.locator('tr[data-claim="email"] th')).toContainText('البريد الإلكتروني');
    await expect(page.getByRole('button', { name: 'تسجيل الخروج' })).toBeVisible();
    const direction = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((e) => getComputedStyle(e).direction);
    expect(await direction('.signed-in')).toBe('rtl');

    // The values are data: as in the token, not for translators, left to right.
    const email = claims.locator('tr[data-claim="email"] .claim-text');
    await expect(email).toHaveText(ADA.email);
    await expect(email).toHaveAttribute('translate', 'no');
    expect(await direction('tr[data-claim="email"] .claim-text')).toBe('ltr');
    await expect(claims.locator('tr[data-claim="iss"] .claim-text')).toHaveText(app.tenant.issuer);
    await expect(claims.locator('tr[data-claim="exp"] time')).toHaveText(
      await dateTimeIn(page, 'ar', (await exp(page)) * 1000),
    );

    // The commands are typed into a terminal: exactly as main built them, left to right.
    const account = { tenant: app.tenant.url, clientId: app.tenant.clientId, username: ADA.email };
    const panel = page.getByRole('region', { name: 'الاستخدام من أدوات أخرى' });
    for (const c of toolCommands(account)) {
      const pre = panel.locator(`[data-command="${c.tool}"] pre`);
      await expect(pre).toHaveText(c.text);
      await expect(pre).toHaveAttribute('translate', 'no');
      expect(await pre.evaluate((e) => getComputedStyle(e).direction)).toBe('ltr');
    }
    await expect(panel.locator('[data-command="git"] h4')).toHaveText('مساعد بيانات اعتماد git');

    await expectAccessible(page, 'signed in (ar)');
    await shot(page, 'signed-in-ar', true);
  });
});
