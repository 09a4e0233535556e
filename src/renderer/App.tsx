import { lazy, useEffect, useRef, useState } from 'react';
import type { SignInError } from '../shared/errors';
import { formConnections, type ClientConfigView } from '../shared/client-config';
import type { SettingsView } from '../shared/ipc';
import type { SessionResult, SignOutResult } from '../shared/session';
import { asSignInError, signet } from './api';
import { BrandHeader } from './branding/BrandHeader';
import { ErrorBanner } from './components/ErrorBanner';
import { prefetchSms, SignInScreen } from './signin/SignInScreen';
import { LazyPart, Loading } from './components/Loading';
import { setLanguage, useT, withArea, type Translate } from './i18n';
import { errorSentence } from './i18n/error-text';
import { modeTitle, SIGN_IN, type SignInMode } from './signin/mode';

type Screen = 'home' | 'settings' | 'diagnostics';

// Not needed to show the form: loaded when first shown (or prefetched when the window is idle).
const loadSignedIn = withArea('session', () => import('./session/SignedInView'));
const loadSettings = withArea('settings', () => import('./settings/SettingsScreen'));
const loadDiagnostics = withArea('diagnostics', () => import('./diagnostics/DiagnosticsScreen'));
const SignedInView = lazy(() => loadSignedIn().then((m) => ({ default: m.SignedInView })));
const SettingsScreen = lazy(() => loadSettings().then((m) => ({ default: m.SettingsScreen })));
const DiagnosticsScreen = lazy(() =>
  loadDiagnostics().then((m) => ({ default: m.DiagnosticsScreen })),
);

/**
 * How long the sign-in form waits for the client's configuration (ms) when settings name no
 * connections (else the form does not wait): core answers from its last good copy on disk at
 * once, even a stale one (refreshing it in the background for the next launch), and asks the
 * tenant only when it has none, so this bounds the first launch on a slow or dead network.
 * A configuration that comes later only updates the form's connections: the form is not
 * remounted, and what was typed, the picked connection and the focus stay.
 */
const CLIENT_CONFIG_WAIT_MS = 1500;

/**
 * The tenant's display name for the header: its host (`acme.eu.auth0.com`, data: shown as-is),
 * or "Local tenant" when the built-in one is in use.
 */
function tenantName(view: SettingsView, t: Translate): { text: string; data: boolean } {
  if (view.usingLocalTenant) return { text: t('shell.localTenant'), data: false };
  try {
    return { text: new URL(view.tenant).host, data: true };
  } catch {
    return { text: view.tenant, data: true };
  }
}

function signedOutNotice(r: SignOutResult, t: Translate): string {
  if (r.revoked) return t('signout.revoked');
  if (r.revokeError)
    return t('signout.revokeFailed', { reason: errorSentence(t, r.revokeError).message });
  return t('signout.done');
}

/** The app: a header with the three screens, and the screen in view. */
export function App() {
  const t = useT();
  const [screen, setScreen] = useState<Screen>('home');
  const [view, setView] = useState<SettingsView | null>(null);
  const [loadError, setLoadError] = useState<SignInError | null>(null);
  const [session, setSession] = useState<SessionResult | null>(null);
  const [restoring, setRestoring] = useState(true);
  const [restoreError, setRestoreError] = useState<SignInError | null>(null);
  // Kept as the result, not a sentence: the notice follows a language switch.
  const [notice, setNotice] = useState<SignOutResult | null>(null);
  // Signed out: the sign-in tabs, sign-up or password reset (the heading names it).
  const [mode, setMode] = useState<SignInMode>(SIGN_IN);
  // The client's configuration (spec §8): asked for with the settings; the form waits for it at
  // most CLIENT_CONFIG_WAIT_MS.
  const [clientConfig, setClientConfig] = useState<ClientConfigView | null>(null);
  const [clientSettled, setClientSettled] = useState(false);
  /** Counts the asks: only the newest answer lands (a settings save may overtake the first). */
  const clientAsk = useRef(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  const waitTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  /** The form waits for the client's configuration at most CLIENT_CONFIG_WAIT_MS from now. */
  function armClientWait() {
    clearTimeout(waitTimer.current);
    waitTimer.current = setTimeout(() => setClientSettled(true), CLIENT_CONFIG_WAIT_MS);
  }

  useEffect(() => {
    let live = true;
    // Marks for bench/renderer.ts: first render, and the settings the form waits for.
    performance.mark('signet:app-mounted');
    // The settings first (the form waits for them), then the remembered session, so the
    // keychain and a possible refresh do not hold up the form.
    const settings = signet.getSettings({}).then(
      async (v) => {
        performance.mark('signet:settings-received');
        // The form shows in the view's language at once (not English first, then a switch).
        await setLanguage(v.language).catch(() => undefined);
        if (live) setView(v);
      },
      (err: unknown) => {
        if (live) setLoadError(asSignInError(err));
      },
    );
    // Beside the settings, not after them: main knows the tenant, and the form waits for both.
    void askClientConfig(false, () => live);
    armClientWait();
    void settings
      .then(() => signet.restore({}))
      .then((s) => {
        if (live && s) setSession(s);
      })
      .catch((err: unknown) => {
        const e = asSignInError(err);
        if (live && e.code !== 'cancelled') setRestoreError(e);
      })
      .finally(() => {
        if (live) setRestoring(false);
      });
    const off = signet.onSessionChanged((s) => {
      setSession(s);
      if (s) {
        setNotice(null);
        setMode(SIGN_IN);
      }
    });
    const idle = window.requestIdleCallback ?? ((f: () => void) => setTimeout(f, 200));
    idle(() => {
      prefetchSms();
      void loadSignedIn();
    });
    return () => {
      live = false;
      clearTimeout(waitTimer.current);
      off();
    };
  }, []);

  /** Asks main for the client's configuration; `refresh` after a settings change. */
  function askClientConfig(refresh: boolean, live: () => boolean = () => true) {
    const ask = ++clientAsk.current;
    return signet
      .clientConfig(refresh ? { refresh: true } : {})
      .then((c) => {
        if (live() && ask === clientAsk.current) setClientConfig(c);
      })
      .catch(() => undefined)
      .finally(() => {
        if (live() && ask === clientAsk.current) {
          clearTimeout(waitTimer.current);
          setClientSettled(true);
        }
      });
  }

  // Move focus to the new screen's heading when the screen (or sign-in state) changes.
  const signedIn = session !== null;
  useEffect(() => {
    if (!moved.current) {
      moved.current = true;
      return;
    }
    heading.current?.focus();
  }, [screen, signedIn, mode.view]);

  const go = (s: Screen) => setScreen(s);
  const tenant = view ? tenantName(view, t) : null;
  const title =
    screen === 'settings'
      ? t('screen.settings')
      : screen === 'diagnostics'
        ? t('screen.diagnostics')
        : signedIn
          ? t('screen.signedIn')
          : modeTitle(mode, t);

  let body;
  if (loadError) body = <ErrorBanner error={loadError} />;
  else if (!view) body = <Loading />;
  else if (screen === 'settings')
    body = (
      <SettingsScreen
        view={view}
        onSaved={(v) => {
          // A catalog that fails to load leaves the window in its language (still usable).
          setLanguage(v.language).catch(() => undefined);
          setView(v);
          // Another tenant, client or proxy: the connections the form offers may change. The
          // form waits for the new answer as at launch (not for connections settings name).
          setClientConfig(null);
          setClientSettled(false);
          armClientWait();
          void askClientConfig(true);
        }}
      />
    );
  else if (screen === 'diagnostics') body = <DiagnosticsScreen view={view} />;
  else if (session)
    body = (
      <SignedInView
        session={session}
        onRefreshed={setSession}
        onSignedOut={(r) => {
          setSession(null);
          setNotice(r);
        }}
      />
    );
  else if (!clientSettled && !view.connectionsNamed) body = <Loading />;
  else {
    const connections = formConnections(
      { connections: view.settings.connections, connectionsNamed: view.connectionsNamed },
      clientConfig,
    );
    body = (
      <>
        {restoring && (
          <p role="status" className="muted small">
            {t('shell.restoring')}
          </p>
        )}
        {restoreError && (
          <ErrorBanner error={restoreError} onDismiss={() => setRestoreError(null)} />
        )}
        {notice && (
          <p role="status" className="notice">
            {signedOutNotice(notice, t)}
          </p>
        )}
        {/* Never keyed on the connections: a late configuration must not remount the form. */}
        <SignInScreen
          view={view}
          connections={connections}
          mode={mode}
          onMode={(m) => {
            setMode(m);
            setNotice(null);
          }}
          restoring={restoring}
          onSignedIn={(s) => {
            setSession(s);
            setRestoreError(null);
            setNotice(null);
            setMode(SIGN_IN);
          }}
        />
      </>
    );
  }

  return (
    // Diagnostics has wide tables (the connection report): it may use more of a wide window.
    // The signed-out Account screen is a centred card on wide windows, as Lock's form is.
    <div
      className={
        screen === 'diagnostics'
          ? 'app app-wide'
          : screen === 'home' && !signedIn
            ? 'app app-card'
            : 'app'
      }
    >
      <header className="app-header">
        <div className="brand">
          <BrandHeader />
          {tenant && (
            <p className="brand-tenant" data-tenant>
              <span className="visually-hidden">{t('shell.tenant')} </span>
              {tenant.data ? (
                <span dir="ltr" translate="no">
                  {tenant.text}
                </span>
              ) : (
                tenant.text
              )}
            </p>
          )}
        </div>
        <nav aria-label={t('nav.label')}>
          <ul>
            {(
              [
                ['home', t('nav.account')],
                ['settings', t('nav.settings')],
                ['diagnostics', t('nav.diagnostics')],
              ] as const
            ).map(([id, label]) => (
              <li key={id}>
                <button
                  type="button"
                  className="nav-button"
                  aria-current={screen === id ? 'page' : undefined}
                  onClick={() => go(id)}
                >
                  {label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      {/* data-client-config: where the window's copy of the client's configuration came from. */}
      <main className="screen" data-client-config={clientConfig?.source ?? 'pending'}>
        <h2 ref={heading} tabIndex={-1} className="screen-title">
          {title}
        </h2>
        <LazyPart>{body}</LazyPart>
      </main>
    </div>
  );
}
