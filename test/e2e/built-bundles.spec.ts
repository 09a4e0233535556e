/**
 * The SHIPPED bundles, end to end: out/main/index.js runs under the Electron stand-in
 * (test/fixtures/electron-standin/), loads the built out/preload/index.cjs into a sandbox-like
 * realm and the built renderer into Chromium, and every call the page makes goes through the
 * preload's `ipcRenderer.invoke` to main's `ipcMain.handle` with its sender check — against the
 * local tenant over HTTP, OpenLDAP and the real keychain. The other specs drive the renderer
 * through test/fixtures/bridge.ts, which calls the TypeScript service directly.
 */
import { test, expect, type Browser, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_LAUNCH } from '../../scripts/chromium';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp';
import {
  CHANNELS,
  EVENT_CHANNELS,
  ipcChannel,
  PRELOAD_ONLY_CHANNELS,
  type SignetApi,
} from '../../src/shared/ipc';
import { launchBuiltApp, type BuiltApp } from '../fixtures/electron-standin/launch';
import type { WebContentsStandin } from '../fixtures/electron-standin/window';
import {
  openLdapMissing,
  openLdapSkipped,
  startOpenLdap,
  USERS,
  type OpenLdap,
} from '../fixtures/openldap';
import { ADA, signInWithPassword } from '../fixtures/screens';
import { startTestTenant, type TestTenant } from '../fixtures/tenant';

/** What preload exposes to the page (the renderer declares the same in src/renderer/api.ts). */
declare global {
  interface Window {
    signet?: SignetApi;
  }
}

// Electron loads file:// pages with module scripts; plain Chromium needs this switch for it.
test.use({
  launchOptions: {
    ...CHROMIUM_LAUNCH,
    args: [...CHROMIUM_LAUNCH.args, '--allow-file-access-from-files'],
  },
});

const ldapSkipped = openLdapSkipped();
const NOT_FROM_WINDOW = 'This request did not come from Signet’s window.';

let tenant: TestTenant;
let ldap: OpenLdap | undefined;
let dir: string;
const ENV_KEYS = ['SIGNET_SETTINGS', 'SIGNET_CONFIG', 'ELECTRON_RENDERER_URL'] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
const running: BuiltApp[] = [];

test.beforeAll(async () => {
  if (!ldapSkipped) ldap = await startOpenLdap();
  tenant = await startTestTenant({ corpLdap: ldap?.connectionConfig() ?? 'demo' });
  dir = mkdtempSync(join(tmpdir(), 'signet-built-'));
  const settings = join(dir, 'settings.json');
  writeFileSync(settings, JSON.stringify({ tenant: tenant.url, clientId: tenant.clientId }));
  // What main reads at launch: the user's settings file, no managed file, no dev server.
  process.env.SIGNET_SETTINGS = settings;
  process.env.SIGNET_CONFIG = join(dir, 'managed.json');
  delete process.env.ELECTRON_RENDERER_URL;
});

test.afterAll(async () => {
  for (const key of ENV_KEYS)
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  await tenant?.close();
  await ldap?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test.afterEach(async () => {
  // Leave no session of this test in the shared keychain, and no app running.
  for (const app of running.splice(0)) {
    if (app.process.app.exited) continue;
    const page = await app.page();
    await page.evaluate(() => window.signet?.signOut({})).catch(() => undefined);
    await app.quit();
  }
});

async function launch(browser: Browser, userData: string): Promise<{ app: BuiltApp; page: Page }> {
  const app = await launchBuiltApp({ browser, userData });
  running.push(app);
  return { app, page: await app.page() };
}

const userDataDir = () => mkdtempSync(join(dir, 'userData-'));

test('the built main starts in Electron’s order and the page gets only the preload’s bridge', async ({
  browser,
}) => {
  const userData = userDataDir();
  const { app, page } = await launch(browser, userData);
  expect(app.recorded.errors).toEqual([]); // the preload loaded
  await expect(page.getByRole('heading', { name: 'Signet', level: 1 })).toBeVisible();
  // getSettings and restore went through preload → ipcMain → the sender check.
  await expect(page.getByRole('textbox', { name: 'Email' })).toBeVisible();

  // Handlers before the window, the window after ready, shown once loaded.
  const steps = [
    'app.requestSingleInstanceLock',
    'app.on(web-contents-created)',
    'ready',
    'session.setPermissionRequestHandler',
    'Menu.setApplicationMenu',
    `ipcMain.handle ${ipcChannel('getSettings')}`,
    'new BrowserWindow',
    'web-contents-created',
    'preload',
    'ready-to-show',
    'window.show',
  ];
  expect(app.recorded.log.filter((l) => steps.includes(l))).toEqual(steps);

  // The page sees what the built preload exposed — every call but armReveal, frozen — and
  // nothing of Node or Electron.
  const world = await page.evaluate(() => ({
    keys: Object.keys(window.signet ?? {}).sort(),
    frozen: Object.isFrozen(window.signet),
    process: typeof (globalThis as { process?: unknown }).process,
    require: typeof (globalThis as { require?: unknown }).require,
    // The stand-in's own transport into Node stays out of page script's reach.
    transport: ['__electronStandinCall', '__electronStandinInput'].filter((k) => k in window),
  }));
  expect(world).toEqual({
    keys: [
      ...CHANNELS.filter((c) => !(PRELOAD_ONLY_CHANNELS as readonly string[]).includes(c)),
      'onSessionChanged',
      'onKeepFreshChanged',
    ].sort(),
    frozen: true,
    process: 'undefined',
    require: 'undefined',
    transport: [],
  });

  // Main's sender check, for real: a call from another web contents, or from a frame of the
  // window that is not its main frame (even at the app's URL), is refused; the page is answered.
  const win = await app.window();
  const contents = win.webContents;
  const invoke = (sender: WebContentsStandin, senderFrame: unknown) =>
    app.process.ipcMain.invoke(
      { sender, senderFrame: senderFrame as WebContentsStandin['mainFrame'] },
      ipcChannel('accounts'),
      [{}],
    );
  const refused = {
    ok: false,
    error: {
      code: 'invalid_input',
      message: NOT_FROM_WINDOW,
      i18n: { key: 'errors.window.foreignRequest' },
    },
  };
  await expect(invoke({} as WebContentsStandin, contents.mainFrame)).resolves.toEqual(refused);
  await expect(invoke(contents, { url: page.url() })).resolves.toEqual(refused);
  await expect(invoke(contents, contents.mainFrame)).resolves.toEqual({ ok: true, value: [] });
  await expect(page.evaluate(() => window.signet!.accounts({}))).resolves.toEqual([]);

  // The page cannot open a window: an https link goes to the system browser, nothing else.
  await page.evaluate(() => {
    window.open('https://signet.test/help');
    window.open('http://insecure.test/');
  });
  await expect
    .poll(() => app.recorded.windowOpens)
    .toEqual([
      { url: 'https://signet.test/help', action: 'deny' },
      { url: 'http://insecure.test/', action: 'deny' },
    ]);
  expect(app.recorded.openedExternally).toEqual(['https://signet.test/help']);

  // The page cannot navigate away, and every permission request is refused (the clipboard
  // write too: the Copy buttons go through main).
  await page.evaluate(() => {
    location.href = 'https://elsewhere.test/';
  });
  await expect.poll(() => app.recorded.preventedNavigations).toEqual(['https://elsewhere.test/']);
  await expect(page.getByRole('textbox', { name: 'Email' })).toBeVisible();
  const ask = (permission: string, requestingUrl?: string) =>
    new Promise((resolve) =>
      app.recorded.permissionRequestHandler?.(contents, permission, resolve, { requestingUrl }),
    );
  expect(await ask('media', page.url())).toBe(false);
  expect(await ask('clipboard-read', page.url())).toBe(false);
  expect(await ask('clipboard-sanitized-write', page.url())).toBe(false);
  expect(await ask('clipboard-write', page.url())).toBe(false);

  // The window is isolated and sandboxed; anything served over http(s) gets the one CSP.
  expect(win.options.webPreferences).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    preload: join(process.cwd(), 'out/preload/index.cjs'),
  });
  const headers = await new Promise((resolve) =>
    app.recorded.headersReceived?.({ responseHeaders: {} }, resolve),
  );
  expect(headers).toEqual({
    responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
  });

  // Closing the window quits the app in order; the window's bounds are kept in userData.
  await app.closeWindow();
  const end = ['window.close', 'closed', 'window-all-closed', 'app.quit', 'will-quit', 'quit'];
  expect(app.recorded.log.slice(-end.length)).toEqual(end);
  expect(existsSync(join(userData, 'window-state.json'))).toBe(true);
});

test('a database sign-in, a token reveal on a click, and the session restored at relaunch', async ({
  browser,
}) => {
  const userData = userDataDir();
  const first = await launch(browser, userData);
  let page = first.page;
  await page.getByRole('checkbox', { name: 'Keep me signed in' }).check();
  await signInWithPassword(page, { username: ADA.email, password: ADA.password });
  await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  const card = page.getByRole('region', { name: 'Signed-in user' });
  await expect(card).toContainText(ADA.email);
  await expect(card).toContainText('keychain');
  // Main pushed the new session through webContents.send to the preload's listener.
  expect(
    first.app.recorded.delivered.some(
      (d) => d.channel === EVENT_CHANNELS.sessionChanged.wire && d.args[0] !== null,
    ),
  ).toBe(true);
  const sub = await page.locator('tr[data-claim="sub"] td .claim-text').textContent();

  // The click is a real input event for main's reveal gate: armReveal, then the nonce.
  await page.getByRole('button', { name: 'Reveal tokens' }).click();
  await expect(page.locator('textarea[data-token="id_token"]')).toHaveValue(
    /^[\w-]+\.[\w-]+\.[\w-]+$/,
  );
  // Copy is a click too: preload arms, main copies the named token with Electron's clipboard
  // (the page's clipboard permission is refused) and answers without it.
  await page.getByRole('button', { name: 'Copy Refresh token' }).click();
  await expect(page.getByText('Refresh token copied to the clipboard.')).toBeVisible();
  expect(first.app.recorded.clipboard).toEqual([
    await page.locator('textarea[data-token="refresh_token"]').inputValue(),
  ]);

  // Relaunch: the built main loaded again, same userData and keychain.
  await first.app.closeWindow();
  const second = await launch(browser, userData);
  page = second.page;
  await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Signed-in user' })).toContainText(ADA.email);
  await expect(page.locator('tr[data-claim="sub"] td .claim-text')).toHaveText(sub!);

  // Signed out, the next launch shows the sign-in form.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  await second.app.closeWindow();
  const third = await launch(browser, userData);
  await expect(third.page.getByRole('textbox', { name: 'Email' })).toBeVisible();
  await expect(third.page.getByText('Looking for a remembered session…')).toBeHidden();
  await expect(third.page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
});

test('“Use from other tools” through the built bundles: main’s texts, Electron’s clipboard, keep-fresh pushed', async ({
  browser,
}) => {
  const { app, page } = await launch(browser, userDataDir());
  await page.getByRole('checkbox', { name: 'Keep me signed in' }).check();
  await signInWithPassword(page, { username: ADA.email, password: ADA.password });
  const panel = page.getByRole('region', { name: 'Use from other tools' });
  await expect(panel.locator('[data-command="curl"] pre')).toContainText(`--username ${ADA.email}`);
  await page.getByRole('button', { name: 'Copy curl with your token' }).click();
  await expect(panel.getByText('Copied the curl with your token.')).toBeVisible();
  // Main wrote its own text with Electron's clipboard module (the page's permission stays refused).
  expect(app.recorded.clipboard).toEqual([
    await panel.locator('[data-command="curl"] pre').innerText(),
  ]);
  await expect(panel).toContainText('Signet renews your token before it expires');
  // Sign-out stops keep-fresh; its new state reaches the page's listener through
  // webContents.send and the preload, while the view still listens.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  expect(
    app.recorded.delivered.some(
      (d) =>
        d.channel === EVENT_CHANNELS.keepFreshChanged.wire &&
        (d.args[0] as { status?: string }).status === 'off',
    ),
  ).toBe(true);
});

test('a directory user signs in through the built bundles', async ({ browser }) => {
  test.skip(ldapSkipped, `OpenLDAP is not available: ${openLdapMissing() ?? ''}`);
  const { page } = await launch(browser, userDataDir());
  await signInWithPassword(page, {
    username: 'alan',
    password: USERS.alan.password,
    connection: 'AD/LDAP',
  });
  await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Signed-in user' })).toContainText('Alan Turing');
  await expect(page.getByRole('list', { name: 'Groups' }).getByRole('listitem')).toHaveText([
    'codebreakers',
    'mathematicians',
  ]);
});

test('an SMS sign-in through the built bundles', async ({ browser }) => {
  const { page } = await launch(browser, userDataDir());
  await page.getByRole('tab', { name: 'SMS' }).click();
  await page.getByLabel('Phone number').fill('2015550124');
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByText('We sent a 6-digit code to')).toContainText('+1 201 555 0124');
  const code = await tenant.lastCode('+12015550124');
  await page.getByLabel('Digit 1 of 6').pressSequentially(code);
  await expect(page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
  await expect(page.locator('tr[data-claim="phone_number"]')).toContainText('+12015550124');
});

test('a second launch while the app runs hands over to the first window and quits', async ({
  browser,
}) => {
  const userData = userDataDir();
  const first = await launch(browser, userData);
  const second = await launchBuiltApp({ browser, userData });
  await second.process.app.exit;
  expect(second.recorded.log).not.toContain('new BrowserWindow');
  expect(second.recorded.log).not.toContain('ready');
  expect(first.app.recorded.log.at(-1)).toBe('window.focus');
  await expect(first.page.getByRole('textbox', { name: 'Email' })).toBeVisible();
});

test('the managed branding names the built window and the About panel, and reaches the page', async ({
  browser,
}) => {
  const managed = process.env.SIGNET_CONFIG!;
  // A hostile SVG logo: the built main's own copy of sanitize-html (bundled, loaded on demand)
  // must leave only the drawing.
  const logo = join(mkdtempSync(join(tmpdir(), 'signet-logo-')), 'logo.svg');
  writeFileSync(
    logo,
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script>' +
      '<image href="https://evil.example/x.png"/><rect width="10" height="10" fill="#1d5bb8"/></svg>',
  );
  writeFileSync(
    managed,
    JSON.stringify({ branding: { name: 'Acme Corp', primaryColor: '#ffd700', logo } }),
  );
  try {
    const { app, page } = await launch(browser, userDataDir());
    const win = await app.window();
    await expect.poll(() => win.getTitle()).toBe('Acme Corp — Signet');
    expect((app.recorded.aboutPanel as { credits?: string } | undefined)?.credits).toMatch(
      /^Set up for Acme Corp\./,
    );
    // Through preload → ipcMain: the colour corrected for contrast, and said so.
    const branding = await page.evaluate(() => window.signet!.branding({}));
    expect(branding).toMatchObject({ name: 'Acme Corp', problems: [] });
    expect(branding.adjustments.map((a) => a.message)).toEqual([
      expect.stringMatching(/^#ffd700 was darkened to #[0-9a-f]{6} in the light theme/),
    ]);
    const svg = Buffer.from(branding.logo!.split(',')[1]!, 'base64').toString('utf8');
    expect(svg).toContain('<rect');
    expect(svg).not.toMatch(/script|onload|evil\.example|<image/i);
  } finally {
    rmSync(managed, { force: true });
  }
});
