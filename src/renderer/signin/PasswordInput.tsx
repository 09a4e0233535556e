import { useId, useState, type KeyboardEvent, type Ref } from 'react';
import { ToggleButton } from '../components/ToggleButton';
import { useT } from '../i18n';

/**
 * A password field with show/hide and a Caps Lock warning. Uncontrolled on purpose: a
 * controlled input makes React mirror the password into the element's `value` attribute.
 */
export function PasswordInput({
  onChange,
  inputRef,
  autoComplete = 'current-password',
  describedBy,
  invalid,
}: {
  onChange: (value: string) => void;
  inputRef?: Ref<HTMLInputElement>;
  /** `new-password` where one is chosen (sign-up), so a password manager offers to make one. */
  autoComplete?: 'current-password' | 'new-password';
  /** Ids of what describes the field (sign-up: its policy checklist and error). */
  describedBy?: string | undefined;
  invalid?: boolean;
}) {
  const t = useT();
  const id = useId();
  const [shown, setShown] = useState(false);
  const [capsLock, setCapsLock] = useState(false);
  const check = (e: KeyboardEvent<HTMLInputElement>) =>
    setCapsLock(e.getModifierState?.('CapsLock') ?? false);
  return (
    <div className="field">
      <label htmlFor={id}>{t('signin.password')}</label>
      <div className="input-with-button">
        <input
          id={id}
          ref={inputRef}
          type={shown ? 'text' : 'password'}
          autoComplete={autoComplete}
          required
          spellCheck={false}
          aria-invalid={invalid || undefined}
          aria-describedby={
            [describedBy, capsLock ? `${id}-caps` : ''].filter(Boolean).join(' ') || undefined
          }
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={check}
          onKeyUp={check}
          onBlur={() => setCapsLock(false)}
        />
        <ToggleButton pressed={shown} onToggle={setShown} controls={id} className="secondary">
          {/* Seen: "Show"; heard: "Show password" (the visible word is part of the name). */}
          <span aria-hidden="true">
            {shown ? t('signin.password.hide') : t('signin.password.show')}
          </span>
          <span className="visually-hidden">
            {shown ? t('signin.password.hideFull') : t('signin.password.showFull')}
          </span>
        </ToggleButton>
      </div>
      <p id={`${id}-caps`} className="field-warning" aria-live="polite">
        {capsLock ? t('signin.password.capsLock') : ''}
      </p>
    </div>
  );
}
