/**
 * Electron's security checklist, applied to every window and web contents of the app
 * (https://www.electronjs.org/docs/latest/tutorial/security). Each rule says which item of
 * the checklist it enforces.
 */
import { app, session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';

export { CONTENT_SECURITY_POLICY };

/** Only https links leave the app, and only to the system browser. */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    return new URL(raw).protocol === 'https:';
  } catch {
    return false;
  }
}

/** Checklist items 4, 5, 7 (permissions, CSP, session-wide): once, before any window. */
export function hardenSession(): void {
  const ses = session.defaultSession;
  // 5. Handle (refuse) every permission request, and every permission check. The clipboard
  // included: main writes it (the Copy buttons go through IPC), the page never does.
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // 7. A CSP header on anything served over http(s) (the dev server); file:// uses the meta tag.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
}

/** Checklist items 13, 14, 12 for each web contents: navigation, new windows, webviews. */
export function hardenWebContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  // 13. Disable or limit navigation: the page never leaves the app.
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  // 14. Disable or limit creation of new windows: https links open in the system browser.
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  // 12. Verify WebView options before creation: there are none in Signet, so refuse all.
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Applies the per-contents rules to every web contents the app ever creates. */
export function hardenAllWebContents(isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isAppUrl));
}
