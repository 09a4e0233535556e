import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { OTP_CODE_LENGTH } from '../../shared/auth0-protocol';
import type { SignInFormProps } from './form-props';
import { signet } from '../api';
import { CodeStep } from '../components/CodeStep';
import { ErrorBanner } from '../components/ErrorBanner';
import { CallForm } from '../components/CallForm';
import { useCancellableCall } from '../hooks/use-cancellable-call';
import { PasswordInput } from './PasswordInput';
import { useScopeChoice } from './ScopePicker';
import { ConnectionSelect, useConnectionChoice } from '../components/ConnectionSelect';
import { FieldRow } from '../components/FieldRow';
import { usernameField } from './username-label';
import { AccountLinks } from './AccountLinks';
import { useHomeRealm } from './use-home-realm';
import { HomeRealmNotice } from './HomeRealmNotice';
import { normalEmail } from './email';
import { useT } from '../i18n';
import { rich } from '../i18n/rich';

const MFA_CODES = new Set(['a0.mfa_required', 'mfa_required']);

/** Password sign-in for database and AD/LDAP connections, with the MFA code step. */
export function PasswordForm({
  view,
  connections: offered,
  onSignedIn,
  prefill,
  onMode,
}: SignInFormProps) {
  const t = useT();
  const ids = useId();
  const choice = useConnectionChoice(offered);
  const { connections, connection } = choice;
  const [username, setUsername] = useState(prefill?.username ?? '');
  // Kept out of React state (see PasswordInput): only this call and the input hold it.
  const password = useRef('');
  const { scope, keep, advanced } = useScopeChoice(view);
  const call = useCancellableCall();
  const { busy, error, setError } = call;
  const [step, setStep] = useState<'credentials' | 'mfa'>('credentials');
  const [mfaCode, setMfaCode] = useState('');
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const realm = useHomeRealm(choice, setUsername, usernameRef);

  const field = usernameField(connection?.kind ?? 'database', t);

  useEffect(() => {
    performance.mark('signet:form-interactive');
    // "Continue as…" (or back from sign-up/reset): that connection, and the password to type.
    if (prefill) {
      choice.setName(prefill.connection);
      (prefill.username ? passwordRef : usernameRef).current?.focus();
    }
    // Once, at mount: the prefill is a starting point, not a binding.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // After a refusal, once the inputs are enabled again, the password is ready for a retry.
  const refocus = useRef(false);
  useEffect(() => {
    if (busy || !refocus.current) return;
    refocus.current = false;
    passwordRef.current?.focus();
  }, [busy]);

  async function submit(code?: string) {
    if (!connection || busy) return;
    // An email of an AD connection's domain: the form switches there and stops, so the user
    // sees the switch (and may undo it) before the password goes to the directory.
    if (!code) {
      const to = realm.discover(username, 'submit');
      if (to.switched) {
        setUsername(to.username);
        return;
      }
    }
    const target = connection;
    const name = target.kind === 'database' ? normalEmail(username) : username.trim();
    const session = await call.run(
      t('signin.signingIn'),
      () =>
        signet.signIn({
          connection: target.name,
          username: name,
          password: password.current,
          scope,
          ...(code ? { mfaCode: code } : {}),
        }),
      {
        cancelled: t('signin.cancelled'),
        refused: (e) => {
          if (MFA_CODES.has(e.code) && !code) {
            setStep('mfa');
            return true;
          }
          setMfaCode('');
          if (step === 'credentials') refocus.current = true;
          return false;
        },
      },
    );
    if (!session) return;
    password.current = '';
    setMfaCode('');
    onSignedIn(session);
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void submit(step === 'mfa' ? mfaCode : undefined);
  }

  if (connections.length === 0) return <p className="empty">{t('signin.noPasswordConnection')}</p>;

  if (step === 'mfa')
    return (
      <CallForm
        call={call}
        onSubmit={onSubmit}
        labelledBy={`${ids}-mfa`}
        banner={false}
        fieldset={false}
      >
        <h3 id={`${ids}-mfa`}>{t('signin.mfa.title')}</h3>
        <p id={`${ids}-mfa-hint`}>
          {rich(
            t,
            'signin.mfa.hint',
            {
              username: (
                <strong translate="no" dir="auto">
                  {username}
                </strong>
              ),
            },
            { digits: OTP_CODE_LENGTH },
          )}
        </p>
        {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
        <CodeStep
          legend={t('signin.mfa.legend')}
          value={mfaCode}
          onChange={setMfaCode}
          onComplete={(c) => void submit(c)}
          busy={busy}
          describedBy={`${ids}-mfa-hint`}
          submit={t('signin.verify')}
        >
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => {
              password.current = '';
              setStep('credentials');
              setMfaCode('');
              setError(null);
            }}
          >
            {t('signin.back')}
          </button>
        </CodeStep>
      </CallForm>
    );

  return (
    <CallForm
      submit={t('signin.submit')}
      call={call}
      onSubmit={onSubmit}
      label={t('signin.password.formLabel')}
      below={advanced}
      after={onMode && <AccountLinks {...{ connection, username, onMode }} disabled={busy} />}
    >
      {/* Asked only when there is a choice (issue 13: the employee decides only that). */}
      {connections.length > 1 && (
        <ConnectionSelect
          label={t('signin.connection')}
          choice={{
            ...choice,
            // A connection picked by hand: HRD's switch (and its undo) no longer applies.
            setName: (n) => {
              realm.forget();
              choice.setName(n);
            },
          }}
        />
      )}
      <FieldRow id={`${ids}-username`} label={field.label}>
        <input
          id={`${ids}-username`}
          ref={usernameRef}
          type="text"
          inputMode={field.inputMode}
          dir="auto"
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          required
          placeholder={field.placeholder}
          aria-describedby={`${ids}-username-hint`}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          onBlur={(e) => {
            // Not while a button of the window takes the focus (a click on "Create an
            // account", Sign in, Settings): that click goes where it was aimed, and a submit
            // looks again itself.
            const to = e.relatedTarget;
            if (to instanceof HTMLElement && to.closest('button, a')) return;
            setUsername(realm.discover(username, 'blur').username);
          }}
        />
        <p id={`${ids}-username-hint`} className="field-hint">
          {field.hint}
        </p>
      </FieldRow>
      <HomeRealmNotice realm={realm} />
      <PasswordInput
        onChange={(v) => {
          password.current = v;
        }}
        inputRef={passwordRef}
      />
      {keep}
    </CallForm>
  );
}
