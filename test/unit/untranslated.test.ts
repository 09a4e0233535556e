/**
 * The every-screen walk's detector (test/e2e/untranslated.ts) catches what it is for: a key
 * shown as-is, an English message (plain, or with its placeholders filled) where the language
 * has its own, and English-looking text no catalog knows; and leaves alone data inside
 * `[translate="no"]`, hidden elements, typed values, plural messages, and English words a
 * language keeps. The collector runs in real Chromium, as in the walk.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_LAUNCH } from '../../scripts/chromium';
import {
  collectShownText,
  describeOffenders,
  englishLooking,
  readCatalogs,
  shownForm,
  untranslatedIn,
  type ShownText,
} from '../e2e/untranslated';

const EN = {
  'settings.save': 'Save settings',
  'signin.tab.sms': 'SMS',
  'session.signedInAs': 'Signed in as {name} on {device}',
  'report.count': '{n, plural, one {# account} other {# accounts}}',
  'report.seconds': '{n} s',
  'signin.submit': 'Sign in',
  'signin.continueAs': 'Continue as {name}',
};
const DE = {
  'settings.save': 'Einstellungen speichern',
  'signin.tab.sms': 'SMS',
  'session.signedInAs': 'Angemeldet als {name} auf {device}',
  'report.count': '{n, plural, one {# Konto} other {# Konten}}',
  'report.seconds': '{n} s',
  'signin.submit': 'Anmelden',
  'signin.continueAs': 'Weiter als {name}',
};

const text = (t: string): ShownText => ({ text: t, where: 'text' });

describe('untranslatedIn: keys and English messages', () => {
  const check = untranslatedIn(EN, DE);

  it('flags a key shown as-is', () => {
    expect(check([text('settings.save')])).toEqual([
      { text: 'settings.save', where: 'text', rule: 'key', key: 'settings.save' },
    ]);
  });

  it('flags an English message the language translates, also in an attribute', () => {
    expect(check([text('Save settings'), { text: 'Sign in', where: 'aria-label' }])).toEqual([
      { text: 'Save settings', where: 'text', rule: 'english-message', key: 'settings.save' },
      { text: 'Sign in', where: 'aria-label', rule: 'english-message', key: 'signin.submit' },
    ]);
  });

  it('flags an English message with its placeholders filled', () => {
    expect(check([text('Signed in as Ada Lovelace on ada-laptop')])).toMatchObject([
      { rule: 'english-message', key: 'session.signedInAs' },
    ]);
  });

  it('leaves alone the translation, English the language keeps, plural and too-short messages', () => {
    expect(
      check([
        text('Einstellungen speichern'),
        text('Angemeldet als Ada Lovelace auf ada-laptop'),
        text('SMS'),
        text('3 accounts'),
        text('30 s'),
      ]),
    ).toEqual([]);
  });

  it('flags an English message whose translation is missing (the window falls back to English)', () => {
    const { 'settings.save': _, ...missing } = DE;
    expect(untranslatedIn(EN, missing)([text('Save settings')])).toMatchObject([
      { key: 'settings.save' },
    ]);
  });

  it('flags the fixed text of a placeholder message rendered around an element', () => {
    expect(check([text('Continue as'), text('Weiter als')])).toMatchObject([
      { text: 'Continue as', rule: 'english-message', key: 'signin.continueAs' },
    ]);
  });

  it('matches a placeholder message whole, not inside longer text', () => {
    expect(shownForm('Signed in as {name} on {device}')).toBeInstanceOf(RegExp);
    expect(check([text('Not signed in as Ada on x')])).toEqual([]);
    expect(shownForm('{n, plural, one {# code} other {# codes}}')).toBeUndefined();
  });
});

describe('englishLooking: hard-coded English no catalog knows', () => {
  it('flags a sentence with two English words and a marker word', () => {
    expect(
      englishLooking([
        text('Enter the 6-digit code from your authenticator app'),
        text('Send code'),
      ]).map((o) => o.text),
    ).toEqual(['Enter the 6-digit code from your authenticator app', 'Send code']);
  });

  it('leaves alone German and French that share a word with English, and data inside them', () => {
    expect(
      englishLooking([
        text('Code senden'),
        text('Saisissez le code reçu par SMS'),
        text('Neuen Code in 30 s anfordern'),
        text('Passwort'),
        text('Voyez ce que répond la connexion : le code d’erreur, le sous-code AD.'),
        {
          text: 'Markdown-Bericht (signet-connection-report-Username-Password-Authentication-2026-12-02T07-13-04-570Z.md)',
          where: 'aria-label',
        },
        text('settings.save'),
      ]),
    ).toEqual([]);
  });
});

describe('englishLooking in a language not written in Latin letters', () => {
  it('also flags a one-word English label, and leaves alone names, acronyms, an example address and the language', () => {
    const shown = [
      text('Password'),
      text('Details'),
      text('SMS'),
      text('Signet'),
      text('LDAP'),
      text('パスワード'),
      text('كلمة المرور / LDAP'),
      text('الرمز code'),
      { text: 'name@example.com', where: 'placeholder' },
    ];
    expect(englishLooking(shown, false).map((o) => o.text)).toEqual(['Password', 'Details']);
    expect(englishLooking(shown, true)).toEqual([]);
  });
});

describe('describeOffenders', () => {
  it('lists every offender of a screen on its own line', () => {
    const check = untranslatedIn(EN, DE);
    const found = [
      ...check([text('Save settings'), { text: 'settings.save', where: 'title' }]),
      ...englishLooking([text('Signed in to the tenant with your password')]),
    ];
    expect(describeOffenders('de / Settings', found)).toBe(
      [
        'de / Settings: "Save settings" (settings.save)',
        'de / Settings: "settings.save" (settings.save) [title]',
        'de / Settings: "Signed in to the tenant with your password" (English-looking)',
      ].join('\n'),
    );
  });
});

describe('readCatalogs', () => {
  it('reads every language with its areas merged, English among them', () => {
    const catalogs = readCatalogs();
    expect(Object.keys(catalogs)).toContain('en');
    expect(Object.keys(catalogs)).toContain('ar');
    expect(Object.keys(catalogs.de!).sort()).toEqual(Object.keys(catalogs.en!).sort());
  });
});

describe('collectShownText, in Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await chromium.launch(CHROMIUM_LAUNCH);
    page = await browser.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('collects visible text and labels, and skips data, hidden parts and typed values', async () => {
    await page.setContent(`
      <main>
        <h2>Save settings</h2>
        <p>Signed in as <strong translate="no">Ada Lovelace</strong> on
          <span translate="no">the <em>claims</em> and your data</span></p>
        <button aria-label="Dismiss error" title="Close">×</button>
        <input placeholder="you@example.com" value="typed by the user">
        <textarea>eyJ.token.text</textarea>
        <input type="submit" value="Send code">
        <img alt="Company logo" src="data:,">
        <span class="visually-hidden" style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)">read aloud</span>
        <p hidden>Hidden paragraph</p>
        <p style="display:none">Not displayed</p>
        <p style="visibility:hidden">Invisible</p>
        <details><summary>Advanced</summary><p>Inside closed details</p></details>
        <details open><summary>Open</summary><p>Inside open details</p></details>
        <div style="display:contents"><p>In a contents box</p></div>
        <select aria-label="Country"><option>Germany</option><option translate="no">+49</option><option>France</option></select>
        <p>  spread
           over lines  </p>
        <p>12:30 — 42</p>
        <script>var x = "script text";</script>
      </main>`);
    const shown = await page.evaluate(collectShownText);
    expect(shown).toEqual([
      { text: 'Save settings', where: 'text' },
      { text: 'Signed in as', where: 'text' },
      { text: 'on', where: 'text' },
      { text: 'Dismiss error', where: 'aria-label' },
      { text: 'Close', where: 'title' },
      { text: 'you@example.com', where: 'placeholder' },
      { text: 'Send code', where: 'value' },
      { text: 'Company logo', where: 'alt' },
      { text: 'read aloud', where: 'text' },
      { text: 'Advanced', where: 'text' },
      { text: 'Open', where: 'text' },
      { text: 'Inside open details', where: 'text' },
      { text: 'In a contents box', where: 'text' },
      { text: 'Country', where: 'aria-label' },
      { text: 'Germany', where: 'option' },
      { text: 'France', where: 'option' },
      { text: 'spread over lines', where: 'text' },
    ]);
  });

  it('end to end: a key, an English message and English-looking text are flagged; data is not', async () => {
    await page.setContent(`
      <p>settings.save</p>
      <button>Save settings</button>
      <p>Signed in as <b translate="no">Ada</b></p>
      <p>Signed in as Ada on ada-laptop</p>
      <p translate="no">Save settings — the demo user with your password</p>
      <p>Copy the token with this button</p>`);
    const shown = await page.evaluate(collectShownText);
    const found = [...untranslatedIn(EN, DE)(shown), ...englishLooking(shown)];
    expect(found.map((o) => [o.text, o.rule])).toEqual([
      ['settings.save', 'key'],
      ['Save settings', 'english-message'],
      ['Signed in as', 'english-message'],
      ['Signed in as Ada on ada-laptop', 'english-message'],
      ['Save settings', 'english-looking'],
      ['Copy the token with this button', 'english-looking'],
    ]);
  });
});
