/**
 * Every screen in every language (issue 13): for each language but English, one window (the OS
 * locale set to it) is walked through every state an employee or IT can reach — both sign-in
 * tabs (with any "Advanced" part open), the SMS code step, a refused sign-in with Details open,
 * home-realm discovery, sign-up, password reset, signed in with every panel open and the tokens
 * shown, "Continue as…" after signing out, Settings with a locked field, Diagnostics with
 * requests, a tenant check and the branding section, and a connection report run on the
 * database. At each state the visible text fails on (a) a catalog key shown as-is or (b) an
 * English message where the language has its own, and, as a separate step, (c) on text that
 * reads as English (test/e2e/untranslated.ts; `[translate="no"]` data is skipped).
 *
 * In German and Arabic each state is also axe clean, and the main screens are saved at 420×560
 * as test-results/screenshots/<screen>-de.png / -ar.png (copied to assets/screenshots/ as the
 * other screenshots are). Arabic is right-to-left and mirrored; phone numbers and codes stay
 * left-to-right.
 *
 * Language-neutral selectors (roles by position, input types, autocomplete, classes), since
 * every label is translated; where a click's target is found by trying, the screen heading's
 * message from the language's catalog confirms it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { LANGUAGE_TAGS, type LanguageTag } from '../../src/shared/languages';
import { expect, test } from '../fixtures/bridge';
import { ADA, DATABASE, expectAccessible, shot } from '../fixtures/screens';
import {
  collectShownText,
  describeOffenders,
  englishLooking,
  readCatalogs,
  untranslatedIn,
} from './untranslated';

const CATALOGS = readCatalogs();
const EN = CATALOGS.en!;

/** The OS locale each walk runs under (main resolves the language from it, nothing chosen). */
const LOCALE: Record<LanguageTag, string> = {
  en: 'en-US',
  de: 'de-DE',
  fr: 'fr-FR',
  es: 'es-ES',
  'pt-BR': 'pt-BR',
  ja: 'ja-JP',
  'zh-CN': 'zh-CN',
  ar: 'ar-EG',
};

/** The languages written in Latin letters (elsewhere a Latin-letter English label stands out). */
const LATIN_SCRIPT = new Set<LanguageTag>(['de', 'fr', 'es', 'pt-BR']);

/** The languages whose walk also runs axe and saves screenshots. */
const CHECKED_CLOSELY = new Set<LanguageTag>(['de', 'ar']);

// Managed branding with something to report: a colour darkened for contrast and a logo file
// that is missing, so Diagnostics shows its branding section.
const brandingDir = mkdtempSync(join(tmpdir(), 'signet-walk-'));
const MANAGED = {
  protocol: 'legacy' as const,
  branding: { name: 'Acme Corp', logo: join(brandingDir, 'missing.png'), primaryColor: '#ffd700' },
};

/** A demo phone number the local tenant texts a code to (E.164: the form picks its country). */
const PHONE = '+12015550123';
/** The number as the code step shows it. */
const PHONE_SHOWN = '+1 201 555 0123';

const main = (page: Page) => page.locator('main');
const navButton = (page: Page, i: number) => page.locator('nav button.nav-button').nth(i);
const tabs = (page: Page) => main(page).getByRole('tab');
const heading = (page: Page) => page.locator('h2.screen-title');
const usernameBox = (page: Page) => main(page).locator('input[autocomplete="username"]');
const passwordBox = (page: Page) => main(page).locator('input[autocomplete="current-password"]');
const submitIn = (scope: Locator) => scope.locator('button[type="submit"]').first();

/**
 * Opens every closed disclosure under `scope`: `<details>` and `aria-expanded="false"` buttons
 * (at most `limit` of them, e.g. a long requests table), until none is left.
 */
async function expandAll(scope: Locator, limit = 20): Promise<void> {
  await scope
    .locator('details:not([open])')
    .evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
  const closed = scope.locator('button[aria-expanded="false"]:visible');
  for (let i = 0; i < limit && (await closed.count()) > 0; i++) await closed.first().click();
}

test.use({ viewport: { width: 420, height: 560 } });

for (const lang of LANGUAGE_TAGS.filter((l) => l !== 'en')) {
  const own = CATALOGS[lang]!;
  const untranslated = untranslatedIn(EN, own);
  const closely = CHECKED_CLOSELY.has(lang);

  test.describe(`${lang} (OS locale ${LOCALE[lang]})`, () => {
    test.use({ appOptions: { systemLocale: LOCALE[lang], managed: MANAGED } });

    test(`every screen is in ${lang}: no key, no English message, nothing English-looking`, async ({
      app,
    }) => {
      test.setTimeout(240_000);
      const { page } = app;

      /**
       * Checks the screen as it stands: rules (a)+(b), then (c), each a step of its own with
       * every offender in one message; in de/ar axe, and the screenshot `screenshot` if given
       * (of the screen's top, or of `part`).
       */
      async function check(state: string, screenshot?: string, part?: Locator): Promise<void> {
        const where = `${lang} / ${state}`;
        // A lazy part still on its way is not the state to look at.
        await expect(main(page).locator('.loading')).toHaveCount(0);
        if (screenshot && closely) {
          // The screen from its top (a click may have scrolled it), or the part it is about.
          if (part) await part.scrollIntoViewIfNeeded();
          else await page.evaluate(() => window.scrollTo(0, 0));
          await shot(page, `${screenshot}-${lang}`);
        }
        const shown = await page.evaluate(collectShownText);
        await test.step(`${where}: no key, no English message`, () => {
          const found = untranslated(shown);
          expect.soft(found, describeOffenders(where, found)).toEqual([]);
        });
        await test.step(`${where}: nothing English-looking (heuristic)`, () => {
          const found = englishLooking(shown, LATIN_SCRIPT.has(lang));
          expect.soft(found, describeOffenders(where, found)).toEqual([]);
        });
        if (closely) await test.step(`${where}: axe`, () => expectAccessible(page, where));
      }

      /** A fresh window on the signed-out screen, in the language, the client's config in. */
      async function open(): Promise<void> {
        await app.open();
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        await expect(
          page.locator('[data-client-config="network"], [data-client-config="cache"]'),
        ).toHaveCount(1);
        await expect(usernameBox(page)).toBeVisible();
        // The search for a remembered session is over ("Continue as…" shows only after it).
        await expect(main(page).getByText(own['shell.restoring']!)).toHaveCount(0);
      }

      /** Clicks the form's account link that leads to the screen titled `own[titleKey]`. */
      async function openAccountLink(titleKey: 'screen.signUp' | 'screen.forgot') {
        const links = main(page).locator('.account-links button');
        const count = await links.count();
        for (let i = 0; i < count; i++) {
          await links.nth(i).click();
          if ((await heading(page).textContent()) === own[titleKey]) return;
          await open();
        }
        throw new Error(`${lang}: no account link opens "${own[titleKey]}"`);
      }

      // 1. The Password / LDAP tab, as it first shows; then with any "Advanced" part open.
      await open();
      await check('Password / LDAP', 'signin-password');
      if (lang === 'ar')
        await test.step('ar: right-to-left, mirrored', async () => {
          expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
          const [first, second] = [
            await navButton(page, 0).boundingBox(),
            await navButton(page, 1).boundingBox(),
          ];
          expect(first!.x, 'the nav’s first item sits right of its second').toBeGreaterThan(
            second!.x,
          );
          const [tab1, tab2] = [
            await tabs(page).nth(0).boundingBox(),
            await tabs(page).nth(1).boundingBox(),
          ];
          expect(tab1!.x, 'the first tab sits right of the second').toBeGreaterThan(tab2!.x);
        });
      const disclosures = main(page).locator(
        'form details:not([open]), form button[aria-expanded="false"]',
      );
      if ((await disclosures.count()) > 0) {
        await expandAll(main(page).locator('form'));
        await check('Password / LDAP, Advanced open');
      }

      // 2. A refused sign-in, its Details open.
      await usernameBox(page).fill(ADA.email);
      await passwordBox(page).fill('Not-Her-Password-1');
      await submitIn(main(page).locator('form')).click();
      const banner = main(page).getByRole('alert');
      await expect(banner).toBeVisible();
      await expandAll(banner);
      await expect(banner.locator('dl')).toBeVisible();
      await check('failed sign-in, Details open');

      // 3. Home-realm discovery: an email of the directory's domain switches the connection.
      await open();
      await usernameBox(page).fill('grace@corp.signet.test');
      await usernameBox(page).press('Tab');
      await expect(page.locator('[data-home-realm]')).not.toBeEmpty();
      await check('home-realm notice');

      // 4. Sign-up, a weak password typed so the policy checklist shows its verdicts.
      await open();
      await openAccountLink('screen.signUp');
      await main(page).locator('input[autocomplete="new-password"]').fill('abc');
      await check('sign-up', 'signup');

      // 5. Password reset, then sent.
      await open();
      await openAccountLink('screen.forgot');
      await check('forgot password', 'forgot-password');
      await main(page).locator('input[autocomplete="email"]').fill(ADA.email);
      await submitIn(main(page)).click();
      await expect(main(page).locator('[role="status"].notice')).toBeVisible();
      await check('forgot password, email sent');

      // 6. The SMS tab, then the code step.
      await open();
      await tabs(page).nth(1).click();
      const phone = main(page).locator('input[type="tel"]');
      await expect(phone).toBeVisible();
      await check('SMS', 'signin-sms');
      await phone.fill(PHONE);
      await submitIn(main(page).locator('form')).click();
      const firstBox = main(page).locator('input.code-box').first();
      await expect(firstBox).toBeFocused();
      await check('SMS code', 'signin-code');
      if (lang === 'ar')
        await test.step('ar: the code boxes and the number stay left-to-right', async () => {
          const boxes = main(page).locator('input.code-box');
          const [box1, box2] = [await boxes.nth(0).boundingBox(), await boxes.nth(1).boundingBox()];
          expect.soft(box1!.x, 'the first code box sits left of the second').toBeLessThan(box2!.x);
          // As drawn: the number's "+" left of its last digit.
          const sent = main(page).getByText(PHONE_SHOWN, { exact: true }).first();
          const plusLeftOfLastDigit = await sent.evaluate((el) => {
            const text = el.firstChild!;
            const at = (i: number) => {
              const range = document.createRange();
              range.setStart(text, i);
              range.setEnd(text, i + 1);
              return range.getBoundingClientRect().left;
            };
            return at(0) < at(text.textContent!.length - 1);
          });
          expect.soft(plusLeftOfLastDigit, `"${PHONE_SHOWN}" reads left-to-right`).toBe(true);
        });

      // 7. Signed in, every panel open, the tokens shown, a command copied.
      await open();
      await usernameBox(page).fill(ADA.email);
      await passwordBox(page).fill(ADA.password);
      await submitIn(main(page).locator('form')).click();
      const signedIn = main(page).locator('.signed-in');
      await expect(signedIn).toBeVisible();
      await signedIn.locator('.tokens .actions button').click();
      await expect(signedIn.locator('textarea.token').first()).toBeVisible();
      await expandAll(signedIn);
      const copy = signedIn.locator('.other-tools .command-block button').first();
      if ((await copy.count()) > 0) {
        await copy.click();
        await expect(signedIn.locator('.other-tools .copy-status')).not.toBeEmpty();
      }
      await check('signed in', 'signed-in');

      // 8. Signed out: the notice and "Continue as…".
      await signedIn.locator(':scope > .actions button.primary').click();
      await expect(main(page).locator('.last-login')).toBeVisible();
      await check('signed out, last-login offer');

      // 9. Settings (the protocol locked by IT).
      await navButton(page, 1).click();
      await expect(main(page).locator('form.settings')).toBeVisible();
      await check('Settings', 'settings');

      // 10. Diagnostics: this run's requests, a tenant check, the branding section, an export.
      await navButton(page, 2).click();
      const diagnostics = main(page).locator('.diagnostics');
      await expect(diagnostics).toBeVisible();
      await diagnostics.locator(':scope > .actions button.primary').click();
      await expect(diagnostics.locator('.check-report')).toBeVisible();
      await expect(diagnostics.locator('.branding-report')).toBeVisible();
      await expandAll(diagnostics, 2);
      await diagnostics.locator('.export button').first().click();
      await expect(diagnostics.locator('a.download')).toBeVisible();
      await check('Diagnostics', 'diagnostics');

      // 11. The connection report, run on the database with one account.
      await tabs(page).nth(1).click();
      const report = main(page).locator('.connection-report');
      await expect(report.locator('form')).toBeVisible();
      await report.locator('select').first().selectOption(DATABASE);
      const row = report.locator('fieldset.report-account').first();
      await row.locator('input[type="text"]').first().fill(ADA.email);
      await row.locator('input[type="password"]').fill(ADA.password);
      await submitIn(report).click();
      await expect(report.locator('.report-results')).toBeVisible();
      await check('connection report', 'connection-report', report.locator('.report-results'));
    });
  });
}
