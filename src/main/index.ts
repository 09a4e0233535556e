/**
 * The Electron main process: app lifecycle, the one window and its security, and the IPC
 * contract. Everything else (network, tokens, keychain) is in core/, behind `SignetService`.
 */
import { app, BrowserWindow, clipboard } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installAboutMenu, setAboutPanel } from './about';
import { createSignetService, type SignetService } from './service';
import { emit, registerIpc, userInputTracker } from './ipc';
import { hardenAllWebContents, hardenSession } from './security';
import { rememberBounds, savedBounds } from './window-state';
import { windowTitle } from '../shared/branding';

const rendererDir = join(import.meta.dirname, '../renderer');
// The dev server's URL only in development: a packaged app loads nothing but its own files.
const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const pageUrl = devUrl ?? pathToFileURL(join(rendererDir, 'index.html')).href;
const isAppUrl = (url: string): boolean => {
  try {
    const u = new URL(url);
    const page = new URL(pageUrl);
    return u.protocol === page.protocol && u.host === page.host && u.pathname === page.pathname;
  } catch {
    return false;
  }
};

// The standalone `signet` the installers carry (extraResources), or a checkout's build:cli.
const cliDir = app.isPackaged
  ? join(process.resourcesPath, 'cli')
  : join(import.meta.dirname, '../../dist/cli');

let window: BrowserWindow | null = null;
let service: SignetService | null = null;
/** Real clicks and key presses in the window: a token reveal needs one a moment before. */
const userInput = userInputTracker();

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 480,
    height: 720,
    minWidth: 420,
    minHeight: 560,
    ...savedBounds(),
    show: false,
    title: windowTitle(null),
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true, // checklist 3
      sandbox: true, // checklist 4
      nodeIntegration: false, // checklist 2
      webSecurity: true, // checklist 6
      allowRunningInsecureContent: false, // checklist 8
      experimentalFeatures: false, // checklist 9
      enableBlinkFeatures: '', // checklist 10
      devTools: !app.isPackaged, // no devtools in production builds
      spellcheck: false,
    },
  });
  rememberBounds(w);
  brandTitle(w);
  userInput.watch(w.webContents);
  w.once('ready-to-show', () => w.show());
  w.on('closed', () => {
    window = null;
  });
  void w.loadURL(pageUrl);
  return w;
}

/**
 * Titles the window (and the About panel) with the managed branding's name ("Acme — Signet"),
 * and keeps the page's own `<title>` from replacing it.
 */
function brandTitle(w: BrowserWindow): void {
  w.on('page-title-updated', (event) => event.preventDefault());
  void service?.calls.branding({}).then(
    (b) => {
      setAboutPanel(b.name);
      if (!w.isDestroyed()) w.setTitle(windowTitle(b.name));
    },
    () => undefined,
  );
}

// One instance: a second launch focuses the first window.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  hardenAllWebContents(isAppUrl);
  void app.whenReady().then(() => {
    hardenSession();
    installAboutMenu();
    service = createSignetService({
      onSessionChanged: (session) => emit(window, 'sessionChanged', session),
      onKeepFreshChanged: (state) => emit(window, 'keepFreshChanged', state),
      clipboard,
      cliDirs: [cliDir],
      localTenantByDefault: !app.isPackaged,
      userGesture: userInput.recent,
      systemLocale: app.getLocale(),
    });
    registerIpc(service, () => window, isAppUrl);
    window = createWindow();
    app.on('activate', () => {
      if (!window) window = createWindow();
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    void service?.close();
  });
}
