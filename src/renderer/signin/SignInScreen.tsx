import { lazy, useEffect, useRef, useState } from 'react';
import type { LastLogin } from '../../shared/ipc';
import type { SignInFormProps } from './form-props';
import { Tabs, type TabItem } from '../components/Tabs';
import { PasswordForm } from './PasswordForm';
import { LazyPart } from '../components/Loading';
import type { SignInError } from '../../shared/errors';
import { asSignInError, signet } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { LastLoginOffer } from './LastLoginOffer';
import { SIGN_IN, type Prefill, type SignInMode } from './mode';
import { useT } from '../i18n';

// libphonenumber-js and its metadata (~35 KB gzipped) load only for the SMS tab.
const loadSms = () => import('../sms/SmsForm');
const SmsForm = lazy(loadSms);
// Sign-up (with password-sheriff) and reset load only when opened.
const SignUpForm = lazy(() => import('./SignUpForm'));
const ForgotPasswordForm = lazy(() => import('./ForgotPasswordForm'));

/** Starts fetching the SMS tab's code while the page is idle, so the tab opens at once. */
export function prefetchSms(): void {
  void loadSms().catch(() => undefined);
}

export interface SignInScreenProps extends SignInFormProps {
  /** The view: sign-in tabs, sign-up or reset (App holds it for the heading). */
  mode: SignInMode;
  onMode: (mode: SignInMode) => void;
  /** While App looks for a remembered session: no "Continue as…" (the session may come back). */
  restoring?: boolean;
}

/**
 * The signed-out Account screen: "Continue as…" when someone signed in last, the
 * Password/LDAP and SMS tabs, or the sign-up or reset form of a database connection.
 */
export function SignInScreen({
  view,
  connections,
  onSignedIn,
  mode,
  onMode,
  restoring = false,
}: SignInScreenProps) {
  const t = useT();
  const hasPassword = connections.some((c) => c.kind !== 'sms');
  const hasSms = connections.some((c) => c.kind === 'sms');
  const [tab, setTab] = useState(hasPassword || !hasSms ? 'password' : 'sms');
  // What the forms start with; a new key remounts them with it.
  const [prefill, setPrefill] = useState<Prefill>();
  const [formKey, setFormKey] = useState(0);
  const [last, setLast] = useState<LastLogin | null>(null);
  const [forgetError, setForgetError] = useState<SignInError | null>(null);
  const forgotten = useRef(false);
  const tabs = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    signet
      .lastLogin({})
      .then((l) => {
        if (live) setLast(l);
      })
      .catch(() => undefined); // nothing to offer
    return () => {
      live = false;
    };
  }, []);

  // After "Not you?", the form's first field (the offer's buttons are gone).
  useEffect(() => {
    if (!forgotten.current) return;
    forgotten.current = false;
    tabs.current?.querySelector<HTMLElement>('[role="tabpanel"] input')?.focus();
  }, [last]);

  const fill = (p: Prefill, sms: boolean) => {
    setPrefill(p);
    setTab(sms ? 'sms' : 'password');
    setFormKey((k) => k + 1);
  };

  if (mode.view !== 'signin') {
    const back = (p: Prefill) => {
      fill(p, false);
      onMode(SIGN_IN);
    };
    const connection = connections.find((c) => c.name === mode.connection);
    const allowed =
      connection?.kind === 'database' &&
      (mode.view === 'signup' ? connection.showSignup : connection.showForgot) !== false;
    if (!connection || !allowed)
      return (
        <p className="empty">
          {mode.view === 'signup' ? t('signin.signupNotOffered') : t('signin.resetNotOffered')}{' '}
          <button type="button" className="link-button" onClick={() => onMode(SIGN_IN)}>
            {t('signin.backToSignIn')}
          </button>
        </p>
      );
    return (
      <LazyPart>
        {mode.view === 'signup' ? (
          <SignUpForm
            connection={connection}
            username={mode.username}
            scope={view.settings.scope}
            onSignedIn={onSignedIn}
            onBack={back}
          />
        ) : (
          <ForgotPasswordForm connection={connection} username={mode.username} onBack={back} />
        )}
      </LazyPart>
    );
  }

  const lastConnection =
    last && !restoring
      ? connections.find((c) => c.name === last.connection && c.kind === last.kind)
      : undefined;

  // A prefill goes to the form of its connection's kind only (an SMS number is no username).
  const prefillOf = (sms: boolean) =>
    prefill && (connections.find((c) => c.name === prefill.connection)?.kind === 'sms') === sms
      ? prefill
      : undefined;
  const formProps = { view, connections, onSignedIn, onMode };
  const items: TabItem[] = [];
  if (hasPassword || !hasSms)
    items.push({
      id: 'password',
      label: t('signin.tab.password'),
      panel: <PasswordForm key={formKey} {...formProps} prefill={prefillOf(false)} />,
    });
  if (hasSms)
    items.push({
      id: 'sms',
      label: t('signin.tab.sms'),
      panel: (
        <LazyPart>
          <SmsForm key={formKey} {...formProps} prefill={prefillOf(true)} />
        </LazyPart>
      ),
    });

  return (
    <>
      {last && lastConnection && (
        <LastLoginOffer
          last={last}
          connection={lastConnection}
          onContinue={() => {
            fill({ connection: last.connection, username: last.username }, last.kind === 'sms');
            setLast(null);
          }}
          onForget={() => {
            forgotten.current = true;
            setLast(null);
            signet.forgetLastLogin({}).catch((err: unknown) => setForgetError(asSignInError(err)));
          }}
        />
      )}
      {forgetError && <ErrorBanner error={forgetError} onDismiss={() => setForgetError(null)} />}
      <div ref={tabs}>
        <Tabs label={t('signin.tabs.label')} items={items} selected={tab} onSelect={setTab} />
      </div>
    </>
  );
}
