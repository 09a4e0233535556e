import type { RefObject } from 'react';
import { FieldRow } from '../components/FieldRow';
import { useT } from '../i18n';
import { EMAIL_EXAMPLE } from './username-label';

/**
 * The email field of sign-up and password reset: `type="text" inputMode="email"` (Signet's own
 * field error and IDN handling, not Chromium's bubble: see email.ts), its error announced
 * through FieldRow, and `hint` (the id of a sentence about it) kept in its description.
 */
export function EmailField(props: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  error: string;
  inputRef: RefObject<HTMLInputElement | null>;
  hint?: string;
  readOnly?: boolean;
}) {
  const t = useT();
  const { id, error, hint, inputRef } = props;
  const describedBy = [error ? `${id}-error` : '', hint ?? ''].filter(Boolean).join(' ');
  return (
    <FieldRow id={id} label={t('signin.email')} error={error}>
      <input
        id={id}
        ref={inputRef}
        type="text"
        inputMode="email"
        dir="ltr"
        autoComplete="email"
        autoCapitalize="off"
        spellCheck={false}
        required
        readOnly={props.readOnly}
        placeholder={EMAIL_EXAMPLE}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </FieldRow>
  );
}
