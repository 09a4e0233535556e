/**
 * Diagnostics and the connection report at the window's minimum width (420×560), in English,
 * German and Arabic (issue 13): after a few sign-ins and a report run, nothing is wider than
 * the window and no table scrolls sideways (rows are stacked cards, each cell under its
 * column's name), the first column shows; headings and labels are translated while codes,
 * statuses and usernames stay as sent; Arabic mirrors the cards; axe is clean.
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect } from '../fixtures/bridge';
import { ADA, DATABASE, expectAccessible, shot } from '../fixtures/screens';

const WRONG = 'Wrong-Password-Xyz-42';

/** What each language calls the parts the test reads (the catalogs' words, by hand). */
const LANGS = [
  {
    lang: 'en',
    dir: 'ltr',
    nav: 'Diagnostics',
    requestsTab: 'Requests and export',
    reportTab: 'Connection report',
    requests: /^Requests this run \(\d+\)$/,
    time: 'Time',
    error: 'Error',
    show: /^Show request \d+$/,
    request: 'Request (redacted)',
    check: 'Check tenant',
    checked: /^Tenant check: all good/,
    tcp: 'TCP connection',
    connected: 'connected to 127.0.0.1:',
    connection: 'Connection to test',
    account: (n: number) => `Account ${n}`,
    add: 'Add account',
    username: 'Username',
    password: 'Password',
    expect: 'Expect',
    run: 'Run report',
    report: /^Report:/,
    summary: '2 accounts: 1 signed in, 1 failed · 1 as expected, 1 differs',
    accountColumn: 'Account',
    differs: 'differs',
  },
  {
    lang: 'de',
    dir: 'ltr',
    nav: 'Diagnose',
    requestsTab: 'Anfragen und Export',
    reportTab: 'Verbindungsbericht',
    requests: /^Anfragen seit dem Start \(\d+\)$/,
    time: 'Zeit',
    error: 'Fehler',
    show: /^Anzeigen \(Anfrage \d+\)$/,
    request: 'Anfrage (geschwärzt)',
    check: 'Tenant prüfen',
    checked: /^Tenant-Prüfung: alles in Ordnung/,
    tcp: 'TCP-Verbindung',
    connected: 'verbunden mit 127.0.0.1:',
    connection: 'Zu testende Verbindung',
    account: (n: number) => `Konto ${n}`,
    add: 'Konto hinzufügen',
    username: 'Benutzername',
    password: 'Passwort',
    expect: 'Erwartet',
    run: 'Bericht erstellen',
    report: /^Bericht:/,
    summary: '2 Konten: 1 angemeldet, 1 fehlgeschlagen · 1 wie erwartet, 1 abweichend',
    accountColumn: 'Konto',
    differs: 'weicht ab',
  },
  {
    lang: 'ar',
    dir: 'rtl',
    nav: 'التشخيص',
    requestsTab: 'الطلبات والتصدير',
    reportTab: 'تقرير الاتصال',
    requests: /^طلبات هذا التشغيل \(\p{Nd}+\)$/u,
    time: 'الوقت',
    error: 'الخطأ',
    show: /^عرض الطلب \p{Nd}+$/u,
    request: 'الطلب (بعد الحجب)',
    check: 'فحص المستأجر',
    checked: /^فحص المستأجر: كل شيء سليم/,
    tcp: 'اتصال TCP',
    // the address is isolated (FSI … PDI) so it keeps its left-to-right order in the Arabic sentence
    connected: 'تم الاتصال بـ \u2068127.0.0.1:',
    connection: 'الاتصال المراد اختباره',
    account: (n: number) => `الحساب ${new Intl.NumberFormat('ar').format(n)}`,
    add: 'إضافة حساب',
    username: 'اسم المستخدم',
    password: 'كلمة المرور',
    expect: 'المتوقع',
    run: 'تشغيل التقرير',
    report: /^التقرير:/,
    summary: 'حسابان:',
    accountColumn: 'الحساب',
    differs: 'مختلف',
  },
] as const;

/**
 * What sticks out of a 420 px window: the page's own sideways scroll, each table container's
 * scroll, and every table, row and cell whose box leaves the viewport.
 */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const outside = [...document.querySelectorAll('main table, main tr, main td, main th')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.left < -0.5 || r.right > width + 0.5);
      })
      .map((el) => el.outerHTML.slice(0, 120));
    return {
      page: document.scrollingElement!.scrollWidth - width,
      tables: [...document.querySelectorAll('.table-scroll')]
        .filter((t) => t.getClientRects().length > 0)
        .map((t) => t.scrollWidth - t.clientWidth),
      outside,
    };
  });
}

async function expectFits(page: Page, what: string): Promise<void> {
  const o = await overflow(page);
  expect(o.page, `${what}: the page scrolls sideways`).toBeLessThanOrEqual(0);
  for (const t of o.tables) expect(t, `${what}: a table scrolls sideways`).toBeLessThanOrEqual(0);
  expect(o.outside, `${what}: boxes outside the window`).toEqual([]);
}

/** The card's label above a cell (`data-label`, drawn by `::before`). */
const cardLabel = (cell: Locator) =>
  cell.evaluate((el) => getComputedStyle(el, '::before').content);

/** The cell is on the row's inline-start side: left in LTR, right in RTL (mirrored). */
async function expectAtInlineStart(cell: Locator, row: Locator, dir: 'ltr' | 'rtl') {
  const c = (await cell.boundingBox())!;
  const r = (await row.boundingBox())!;
  const middle = r.x + r.width / 2;
  if (dir === 'ltr') expect(c.x).toBeLessThan(middle);
  else expect(c.x + c.width).toBeGreaterThan(middle);
}

for (const L of LANGS) {
  test.describe(`Diagnostics in ${L.lang} at 420×560`, () => {
    test.use({ appOptions: { settings: { language: L.lang } } });

    test('requests and the connection report fit as cards, translated, codes as sent', async ({
      app,
    }) => {
      const { page } = app;
      await page.setViewportSize({ width: 420, height: 560 });
      // A few sign-ins (through the service: the sign-in form is not this test's screen).
      const signIn = (password: string) =>
        app.service.calls.signIn({
          connection: DATABASE,
          username: ADA.email,
          password,
          scope: 'profile',
        });
      await expect(signIn(WRONG)).rejects.toThrow();
      await expect(signIn(WRONG)).rejects.toThrow();
      await signIn(ADA.password);

      await app.open();
      await expect(page.locator('html')).toHaveAttribute('dir', L.dir);
      await page.getByRole('navigation').getByRole('button', { name: L.nav, exact: true }).click();
      await expect(page.getByRole('tab', { name: L.requestsTab })).toHaveAttribute(
        'aria-selected',
        'true',
      );
      const table = page.getByRole('table', { name: L.requests });
      await expect(table).toBeVisible();
      // The header row is still there for screen readers, in the window's language.
      await expect(table.getByRole('columnheader', { name: L.time })).toHaveCount(1);

      const failed = table.locator('tr.failed');
      await expect(failed).toHaveCount(2);
      const newest = failed.first();
      // Codes, statuses, endpoints and usernames as sent, marked not to be translated.
      const code = newest.locator('code', { hasText: 'invalid_user_password' });
      await expect(code).toHaveAttribute('translate', 'no');
      await expect(code).toHaveAttribute('dir', 'ltr');
      await expect(newest).toContainText('/oauth/ro');
      await expect(newest).toContainText('401');
      await expect(newest).toContainText(ADA.email);

      // The first column (the time) shows, inside the window, under its translated name.
      // (Scrolled to: newer requests may stand above it; the point is it is not cut off sideways.)
      const time = newest.locator('td').first();
      await expect(time).toBeVisible();
      await time.scrollIntoViewIfNeeded();
      await expect(time).toBeInViewport({ ratio: 1 });
      expect(await cardLabel(time)).toContain(L.time);
      expect(
        await cardLabel(
          newest.locator('td', { has: page.locator('code', { hasText: 'invalid_user_password' }) }),
        ),
      ).toContain(L.error);
      await expectAtInlineStart(time, newest, L.dir);

      // The tenant check: translated heading, step names and core's lines (addresses as sent).
      await page.getByRole('button', { name: L.check }).click();
      const check = page.getByRole('region', { name: L.checked });
      await expect(check).toBeVisible();
      const tcp = check.getByRole('listitem').filter({ hasText: L.tcp });
      await expect(tcp).toHaveCount(1);
      await expect(tcp).toContainText(L.connected);

      await newest.getByRole('button', { name: L.show }).click();
      await expect(page.locator('tr.attempt-detail:visible')).toContainText(L.request);
      await expectFits(page, `${L.lang} requests`);
      await expectAccessible(page, `diagnostics ${L.lang} at 420`);
      if (L.lang !== 'en') await shot(page, `diagnostics-${L.lang}`, true);

      // The connection report: one account as expected, one that differs.
      await page.getByRole('tab', { name: L.reportTab }).click();
      const form = page.getByRole('form', { name: L.reportTab });
      await form.getByLabel(L.connection).selectOption(DATABASE);
      for (const [i, password] of [ADA.password, 'Not-Her-Password-1'].entries()) {
        if (i > 0) await form.getByRole('button', { name: L.add }).click();
        const row = form.getByRole('group', { name: L.account(i + 1) });
        await row.getByLabel(L.username).fill(ADA.email);
        await row.getByLabel(L.password, { exact: true }).fill(password);
        await row.getByLabel(L.expect).fill('success');
      }
      await form.getByRole('button', { name: L.run }).click();
      await expect(page.getByRole('heading', { name: L.report })).toBeFocused();
      await expect(page.locator('.report-summary')).toContainText(L.summary);

      const results = page.locator('table.report-table');
      const rows = results.locator('tbody tr');
      await expect(rows).toHaveCount(2);
      const differs = rows.filter({ hasText: L.differs });
      await expect(differs).toHaveCount(1);
      await expect(differs.locator('code', { hasText: 'invalid_user_password' })).toHaveAttribute(
        'translate',
        'no',
      );
      const account = rows.first().getByRole('rowheader');
      await expect(account).toContainText(ADA.email);
      await expect(account).toBeInViewport();
      expect(await cardLabel(account)).toContain(L.accountColumn);
      await expectAtInlineStart(rows.first().locator('td').first(), rows.first(), L.dir);
      await expectFits(page, `${L.lang} connection report`);
      await expectAccessible(page, `connection report ${L.lang} at 420`);
      if (L.lang !== 'en') await shot(page, `connection-report-${L.lang}`, true);
    });
  });
}

/**
 * A file of more accounts than one run tests is refused with both numbers in the language's own
 * forms: Arabic's noun follows the count (203 takes the "few" form, 200 the "other" one), and
 * digits are the locale's — never one fixed word glued to any number.
 */
const TOO_MANY = [
  {
    lang: 'en',
    nav: 'Diagnostics',
    tab: 'Connection report',
    file: 'Accounts file (CSV or JSON)',
    said: 'many.csv was not loaded: it lists 203 accounts; one run tests at most 200.',
  },
  {
    lang: 'ar',
    nav: 'التشخيص',
    tab: 'تقرير الاتصال',
    file: 'ملف الحسابات (CSV أو JSON)',
    said: `لم يُحمَّل many.csv: يسرد ${new Intl.NumberFormat('ar').format(203)} حسابات، ويختبر التشغيل الواحد ${new Intl.NumberFormat('ar').format(200)} على الأكثر.`,
  },
] as const;

for (const L of TOO_MANY) {
  test.describe(`an accounts file too long, in ${L.lang}`, () => {
    test.use({ appOptions: { settings: { language: L.lang } } });

    test('is refused with the count in the language’s plural', async ({ app }) => {
      const { page } = app;
      await app.open();
      await page.getByRole('button', { name: L.nav, exact: true }).click();
      await page.getByRole('tab', { name: L.tab }).click();
      const rows = Array.from({ length: 203 }, (_, i) => `user${i}@signet.test,pw${i},success`);
      await page.getByLabel(L.file).setInputFiles({
        name: 'many.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(['username,password,expect', ...rows].join('\n')),
      });
      await expect(page.getByRole('form', { name: L.tab }).getByRole('alert')).toHaveText(L.said);
    });
  });
}
