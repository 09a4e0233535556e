/**
 * The About panel and the application menu that reaches it: Signet's version and license, the
 * Electron/Chromium/Node versions it runs on, and the third-party notices generated at build
 * time (scripts/notices.ts → out/third-party-notices.txt, shipped inside app.asar).
 */
import { app, BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** out/main/index.js → out/third-party-notices.txt (inside app.asar when packaged). */
const noticesFile = join(import.meta.dirname, '../third-party-notices.txt');

function appLicense(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(app.getAppPath(), 'package.json'), 'utf8')) as {
      license?: string;
    };
    return pkg.license ?? 'MIT';
  } catch {
    return 'MIT';
  }
}

let noticesWindow: BrowserWindow | null = null;

/** Shows the notices as plain text in a small window without scripts, preload or devtools. */
export function showThirdPartyNotices(): void {
  if (noticesWindow) {
    noticesWindow.focus();
    return;
  }
  if (!existsSync(noticesFile)) {
    void dialog.showMessageBox({
      type: 'info',
      title: 'Third-party notices',
      message: 'The third-party notices are generated when Signet is packaged.',
      detail: 'In a development checkout, run `npm run build && npm run notices`.',
    });
    return;
  }
  noticesWindow = new BrowserWindow({
    width: 720,
    height: 640,
    title: 'Signet: third-party notices',
    autoHideMenuBar: true,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      devTools: false,
      spellcheck: false,
    },
  });
  noticesWindow.on('closed', () => {
    noticesWindow = null;
  });
  void noticesWindow.loadFile(noticesFile);
}

/**
 * Sets the About panel's contents (the `about` menu role shows it on every OS); `company` is
 * the managed branding's name (already checked: one line, no control characters), said first.
 */
export function setAboutPanel(company: string | null = null): void {
  const license = appLicense();
  const runtime = `Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node.js ${process.versions.node}`;
  app.setAboutPanelOptions({
    applicationName: 'Signet',
    applicationVersion: app.getVersion(),
    version: runtime,
    copyright: `Released under the ${license} License.`,
    credits: `${company ? `Set up for ${company}.\n` : ''}${runtime}.\nThird-party notices: Help → Third-party notices.`,
    authors: ['Signet contributors'],
  });
}

/**
 * Sets the About panel and the application menu: the standard roles plus Help → About Signet
 * and Third-party notices.
 */
export function installAboutMenu(): void {
  setAboutPanel();

  const isMac = process.platform === 'darwin';
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      ...(isMac ? [] : [{ role: 'about' as const, label: 'About Signet' }]),
      { label: 'Third-party notices', click: () => showThirdPartyNotices() },
    ],
  };
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : [{ role: 'fileMenu' as const }]),
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(app.isPackaged
          ? []
          : [
              { role: 'reload' as const },
              { role: 'toggleDevTools' as const },
              { type: 'separator' as const },
            ]),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    help,
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
