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

/**
 * The one permission the app's own page gets: writing text to the clipboard (the "Copy"
 * buttons of revealed tokens, after a click). Chromium sanitises what is written and needs a
 * user gesture; reading the clipboard stays refused, as does everything for any other page.
 */
export const ALLOWED_PERMISSION = 'clipboard-sanitized-write';

/** Whether `permission` may be granted to a page at `url` (item 5: refuse all but one). */
export function permissionAllowed(
  permission: string,
  url: string | undefined,
  isAppUrl: (url: string) => boolean,
): boolean {
  return permission === ALLOWED_PERMISSION && url !== undefined && isAppUrl(url);
}

/** Checklist items 4, 5, 7 (permissions, CSP, session-wide): once, before any window. */
export function hardenSession(isAppUrl: (url: string) => boolean): void {
  const ses = session.defaultSession;
  // 5. Handle every permission request and check: all refused but the app page's clipboard write.
  ses.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(permissionAllowed(permission, details.requestingUrl, isAppUrl)),
  );
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    permissionAllowed(permission, details.requestingUrl ?? requestingOrigin, isAppUrl),
  );
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
