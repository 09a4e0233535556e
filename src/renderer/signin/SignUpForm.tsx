import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { FormConnection } from '../../shared/client-config';
import { scopeChoiceFor, type ScopeChoice } from '../../shared/ipc';
import {
  checkPassword,
  type PasswordRule,
  type PasswordVerdict,
} from '../../shared/password-policy';
import type { SessionResult } from '../../shared/session';
import { signet } from '../api';
import { CallForm } from '../components/CallForm';
import { FieldRow } from '../components/FieldRow';
import { useCancellableCall } from '../hooks/use-cancellable-call';
import type { Prefill } from './mode';
import { EmailField } from './EmailField';
import { EMAIL_FIELD_ERROR, looksLikeEmail, normalEmail } from './email';
import { PasswordInput } from './PasswordInput';
import { PasswordRules } from './PasswordRules';
import { refusedRules, rulesSummary } from './policy-verdicts';
import { shownText } from './shown-text';
import { connectionLabel } from './username-label';
import { useT, type MessageKey } from '../i18n';
import { rich } from '../i18n/rich';

/** How long typing must pause before the live region reads the checklist's summary. */
const SUMMARY_PAUSE_MS = 800;

export interface SignUpFormProps {
  /** The database connection the account is created on (sign-up allowed on it). */
  connection: FormConnection;
  /** What the password form's username field held: the email when it looks like one. */
  username: string;
  /** The settings' default scope: the sign-in after sign-up asks for it, as the form would. */
  scope: string | undefined;
  onSignedIn: (session: SessionResult) => void;
  onBack: (prefill: Prefill) => void;
}

/**
 * Lock's "Sign Up" for a database connection (`/dbconnections/signup`, spec §7): email, a
 * username where the connection `requires_username`, and a password checked as it is typed
 * against the connection's policy with `password-sheriff`, the library the tenant refuses
 * with, so the checklist says what the tenant will say. A password that misses a rule is
 * refused here before anything is sent; the tenant's own refusal, its rules included, shows
 * when it still refuses (a policy the window did not know). Then it signs in with the same
 * credentials. Loaded lazily, with password-sheriff, when the view opens.
 */
export default function SignUpForm({
  connection,
  username: typed,
  scope: defaultScope,
  onSignedIn,
  onBack,
}: SignUpFormProps) {
  const t = useT();
  const ids = useId();
  const [email, setEmail] = useState(() => (looksLikeEmail(typed) ? typed : ''));
  const [username, setUsername] = useState(() => (looksLikeEmail(typed) ? '' : typed));
  // Kept out of React state (see PasswordInput); the checklist holds only the verdict.
  const password = useRef('');
  const passwordRef = useRef<HTMLInputElement>(null);
  const policy = connection.passwordPolicy;
  const [verdict, setVerdict] = useState<PasswordVerdict | null>(() =>
    policy ? checkPassword(policy, '') : null,
  );
  const [typing, setTyping] = useState(false);
  const [summary, setSummary] = useState<PasswordRule[] | null>(null);
  const [passwordError, setPasswordError] = useState(false);
  const [emailError, setEmailError] = useState<MessageKey | ''>('');
  const emailRef = useRef<HTMLInputElement>(null);
  const [created, setCreated] = useState('');
  const [scope] = useState<ScopeChoice>(() => scopeChoiceFor(defaultScope));
  const call = useCancellableCall();
  const { busy, error } = call;
  const tenantRules = refusedRules(error);
  const passwordRefused = tenantRules !== null;

  // The policy may arrive after the view opened (the client's configuration): check again.
  useEffect(() => {
    setVerdict(policy ? checkPassword(policy, password.current) : null);
  }, [policy]);

  // The live region hears the summary once typing pauses, not at every key.
  useEffect(() => {
    if (!verdict || !typing) return;
    const timer = setTimeout(() => setSummary(verdict.rules), SUMMARY_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [verdict, typing]);

  // After a refusal of the password, the field is ready for another one.
  useEffect(() => {
    if (!busy && passwordRefused) passwordRef.current?.focus();
  }, [busy, passwordRefused]);

  function onPassword(value: string) {
    password.current = value;
    setTyping(true);
    setPasswordError(false);
    // The tenant's refusal (and its rules) was about the password before this one.
    if (passwordRefused) call.setError(null);
    if (policy) setVerdict(checkPassword(policy, value));
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!created && !looksLikeEmail(email)) {
      setEmailError(EMAIL_FIELD_ERROR);
      emailRef.current?.focus();
      return;
    }
    if (verdict && !verdict.verified) {
      setPasswordError(true);
      setSummary(verdict.rules);
      passwordRef.current?.focus();
      return;
    }
    const pw = password.current;
    const address = normalEmail(email);
    if (!created) {
      const account = await call.run(
        t('signin.signup.creating'),
        () =>
          signet.signUp({
            connection: connection.name,
            email: address,
            password: pw,
            ...(connection.requiresUsername ? { username: username.trim() } : {}),
          }),
        { cancelled: t('signin.signup.cancelled') },
      );
      if (!account) return;
      // The tenant's words for the address: one safe line (what was typed, if it sent none).
      setCreated(shownText(account.email) || address);
    }
    const session = await call.run(
      t('signin.signingIn'),
      () => signet.signIn({ connection: connection.name, username: address, password: pw, scope }),
      { cancelled: t('signin.cancelled') },
    );
    if (!session) return;
    password.current = '';
    onSignedIn(session);
  }

  const describedBy = [
    passwordError && `${ids}-password-error`,
    tenantRules && `${ids}-refused-label ${ids}-refused`,
    verdict && `${ids}-rules-label ${ids}-rules`,
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <CallForm
      call={call}
      onSubmit={onSubmit}
      noValidate
      label={t('screen.signUp')}
      submit={created ? t('signin.submit') : t('signin.signup.submit')}
      after={
        <div className="account-links">
          <button
            type="button"
            className="link-button"
            disabled={busy}
            // The email, else what the sign-in form had (a username that is no email).
            onClick={() => onBack({ connection: connection.name, username: email.trim() || typed })}
          >
            {t('signin.backToSignIn')}
          </button>
        </div>
      }
    >
      {tenantRules && (
        <div className="refused-rules">
          <PasswordRules
            id={`${ids}-refused`}
            rules={tenantRules}
            label={t('signin.signup.refused')}
          />
        </div>
      )}
      {/* Present (empty) from the start, so "was created" is announced when it comes, even
          when the sign-in after it is refused. */}
      <p role="status" className={created ? 'notice' : 'visually-hidden'}>
        {created && (
          <>
            {rich(t, 'signin.signup.created', {
              email: (
                <strong translate="no" dir="auto">
                  {created}
                </strong>
              ),
            })}
          </>
        )}
      </p>
      {!created && (
        <p className="field-hint">
          {rich(t, 'signin.signup.newOn', {
            connection: (
              <strong translate="no" dir="auto">
                {connectionLabel(connection, t)}
              </strong>
            ),
          })}
        </p>
      )}
      <EmailField
        id={`${ids}-email`}
        inputRef={emailRef}
        readOnly={created !== ''}
        error={emailError && t(emailError)}
        value={email}
        onChange={(v) => {
          setEmail(v);
          setEmailError('');
        }}
      />
      {connection.requiresUsername && !created && (
        <FieldRow id={`${ids}-username`} label={t('signin.username')}>
          <input
            id={`${ids}-username`}
            type="text"
            autoComplete="username"
            autoCapitalize="off"
            spellCheck={false}
            required
            aria-describedby={`${ids}-username-hint`}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
          <p id={`${ids}-username-hint`} className="field-hint">
            {t('signin.signup.usernameHint')}
          </p>
        </FieldRow>
      )}
      <PasswordInput
        onChange={onPassword}
        inputRef={passwordRef}
        autoComplete="new-password"
        describedBy={describedBy || undefined}
        invalid={passwordError || tenantRules !== null}
      />
      {passwordError && (
        <p id={`${ids}-password-error`} className="field-error">
          {t('signin.signup.passwordError')}
        </p>
      )}
      {verdict ? (
        <div className="password-checklist">
          <PasswordRules
            id={`${ids}-rules`}
            rules={verdict.rules}
            label={t('signin.rules.label')}
          />
          <p className="field-hint" aria-live="polite">
            {summary && rulesSummary(summary, t)}
          </p>
        </div>
      ) : (
        <p className="field-hint">{t('signin.signup.tenantChecks')}</p>
      )}
    </CallForm>
  );
}
