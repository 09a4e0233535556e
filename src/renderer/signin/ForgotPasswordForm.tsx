import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { FormConnection } from '../../shared/client-config';
import { signet } from '../api';
import { CallForm } from '../components/CallForm';
import { useCancellableCall } from '../hooks/use-cancellable-call';
import type { Prefill } from './mode';
import { EmailField } from './EmailField';
import { EMAIL_FIELD_ERROR, looksLikeEmail, normalEmail } from './email';
import { shownText } from './shown-text';
import { connectionLabel } from './username-label';
import { useT, type MessageKey } from '../i18n';
import { rich } from '../i18n/rich';

export interface ForgotPasswordFormProps {
  /** The database connection whose password is reset (reset allowed on it). */
  connection: FormConnection;
  /** What the password form's username field held: the email when it looks like one. */
  username: string;
  onBack: (prefill: Prefill) => void;
}

/**
 * Lock's "Don't remember your password?" (`/dbconnections/change_password`, spec §7): an
 * email, then the tenant's sentence ("We've just sent you an email to reset your password.",
 * the same whether or not the address has an account) in a status region, and back to
 * sign-in with the address filled in. The new password is chosen on the tenant's own page,
 * from the link in the email.
 */
export default function ForgotPasswordForm({
  connection,
  username,
  onBack,
}: ForgotPasswordFormProps) {
  const t = useT();
  const ids = useId();
  const [email, setEmail] = useState(() => (looksLikeEmail(username) ? username.trim() : ''));
  // The tenant's sentence (data, as it sent it), or true when it sent none.
  const [sent, setSent] = useState<string | true>('');
  const [emailError, setEmailError] = useState<MessageKey | ''>('');
  const emailRef = useRef<HTMLInputElement>(null);
  const call = useCancellableCall();
  const backRef = useRef<HTMLButtonElement>(null);

  // The form goes away once the email is on its way: focus to what is left to do.
  useEffect(() => {
    if (sent) backRef.current?.focus();
  }, [sent]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!looksLikeEmail(email)) {
      setEmailError(EMAIL_FIELD_ERROR);
      emailRef.current?.focus();
      return;
    }
    const address = normalEmail(email);
    const answer = await call.run(
      t('signin.forgot.sending'),
      () => signet.resetPassword({ connection: connection.name, email: address }),
      { cancelled: t('signin.forgot.cancelled') },
    );
    if (answer) setSent(shownText(answer.message, 300) || true);
  }

  return (
    <div className="form">
      {/* Present (empty) from the start, so the tenant's sentence is announced when it comes. */}
      <p role="status" className={sent ? 'notice' : 'visually-hidden'}>
        {sent === true ? t('signin.forgot.accepted') : <span translate="no">{sent}</span>}
      </p>
      {!sent && (
        <CallForm
          call={call}
          onSubmit={onSubmit}
          noValidate
          label={t('screen.forgot')}
          submit={t('signin.forgot.submit')}
        >
          <p id={`${ids}-hint`} className="field-hint">
            {rich(t, 'signin.forgot.hint', {
              connection: (
                <strong translate="no" dir="auto">
                  {connectionLabel(connection, t)}
                </strong>
              ),
            })}
          </p>
          <EmailField
            id={`${ids}-email`}
            inputRef={emailRef}
            hint={`${ids}-hint`}
            error={emailError && t(emailError)}
            value={email}
            onChange={(v) => {
              setEmail(v);
              setEmailError('');
            }}
          />
        </CallForm>
      )}
      <div className="account-links">
        <button
          ref={backRef}
          type="button"
          className="link-button"
          disabled={call.busy}
          // What was typed before, when nothing was typed here (a username that is no email).
          onClick={() =>
            onBack({ connection: connection.name, username: email.trim() || username })
          }
        >
          {t('signin.backToSignIn')}
        </button>
      </div>
    </div>
  );
}
