import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { OTP_CODE_LENGTH } from '../../shared/auth0-protocol';
import type { ScopeChoice, SettingsView } from '../../shared/ipc';
import type { SessionResult } from '../../shared/session';
import { signet } from '../api';
import { CodeInput } from '../components/CodeInput';
import { ErrorBanner } from '../components/ErrorBanner';
import { CallForm } from '../components/CallForm';
import { useCancellableCall } from '../hooks/use-cancellable-call';
import { PasswordInput } from './PasswordInput';
import { ScopePicker, scopeChoiceFor } from './ScopePicker';
import { ConnectionSelect } from '../components/ConnectionSelect';
import { usernameField } from './username-label';

const MFA_CODES = new Set(['a0.mfa_required', 'mfa_required']);

/** Password sign-in for database and AD/LDAP connections, with the MFA code step. */
export function PasswordForm({
  view,
  onSignedIn,
}: {
  view: SettingsView;
  onSignedIn: (session: SessionResult) => void;
}) {
  const connections = view.settings.connections.filter((c) => c.kind !== 'sms');
  const ids = useId();
  const [connectionName, setConnectionName] = useState(connections[0]?.name ?? '');
  const [username, setUsername] = useState('');
  // Kept out of React state (see PasswordInput): only this call and the input hold it.
  const password = useRef('');
  const [scope, setScope] = useState<ScopeChoice>(() => scopeChoiceFor(view.settings.scope));
  const call = useCancellableCall();
  const { busy, error, setError } = call;
  const [step, setStep] = useState<'credentials' | 'mfa'>('credentials');
  const [mfaCode, setMfaCode] = useState('');
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const connection = connections.find((c) => c.name === connectionName) ?? connections[0];
  const field = usernameField(connection?.kind ?? 'database');

  useEffect(() => {
    performance.mark('signet:form-interactive');
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
    const session = await call.run(
      'Signing in…',
      () =>
        signet.signIn({
          connection: connection.name,
          username: username.trim(),
          password: password.current,
          scope,
          ...(code ? { mfaCode: code } : {}),
        }),
      {
        cancelled: 'Sign-in cancelled.',
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

  if (connections.length === 0)
    return (
      <p className="empty">
        No password connection is configured. Add a Database or AD/LDAP connection in Settings.
      </p>
    );

  if (step === 'mfa')
    return (
      <CallForm
        call={call}
        onSubmit={onSubmit}
        labelledBy={`${ids}-mfa`}
        banner={false}
        fieldset={false}
      >
        <h3 id={`${ids}-mfa`}>Two-step verification</h3>
        <p id={`${ids}-mfa-hint`}>
          Enter the {OTP_CODE_LENGTH}-digit code from your authenticator app to finish signing in as{' '}
          <strong>{username}</strong>.
        </p>
        {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
        <CodeInput
          legend="Authenticator code"
          value={mfaCode}
          onChange={setMfaCode}
          onComplete={(c) => void submit(c)}
          disabled={busy}
          autoFocus
          describedBy={`${ids}-mfa-hint`}
        />
        <div className="actions">
          <button
            type="submit"
            className="primary"
            disabled={busy || mfaCode.length !== OTP_CODE_LENGTH}
          >
            Verify
          </button>
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
            Back
          </button>
        </div>
      </CallForm>
    );

  return (
    <CallForm submit="Sign in" call={call} onSubmit={onSubmit} label="Sign in with a password">
      <ConnectionSelect
        id={`${ids}-connection`}
        label="Connection"
        connections={connections}
        value={connection?.name}
        onChange={setConnectionName}
      />
      <div className="field">
        <label htmlFor={`${ids}-username`}>{field.label}</label>
        <input
          id={`${ids}-username`}
          ref={usernameRef}
          type="text"
          inputMode={field.inputMode}
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          required
          placeholder={field.placeholder}
          aria-describedby={`${ids}-username-hint`}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <p id={`${ids}-username-hint`} className="field-hint">
          {field.hint}
        </p>
      </div>
      <PasswordInput
        onChange={(v) => {
          password.current = v;
        }}
        inputRef={passwordRef}
      />
      <ScopePicker value={scope} onChange={setScope} device={view.settings.device} />
    </CallForm>
  );
}
