import type { ComponentProps, ReactNode } from 'react';
import { OTP_CODE_LENGTH } from '../../shared/auth0-protocol';
import { CodeInput } from './CodeInput';

/**
 * The one-time-code step of a form (authenticator MFA, SMS): the code boxes (focused, off
 * while a call runs), then the submit button (enabled once the code is complete) and the
 * step's other actions. `inputKey` remounts only the boxes (a resent code clears them), so
 * focus on the actions stays put.
 */
export function CodeStep({
  busy,
  submit,
  inputKey,
  children,
  ...input
}: Omit<ComponentProps<typeof CodeInput>, 'disabled' | 'autoFocus'> & {
  busy: boolean;
  /** The submit button's text. */
  submit: string;
  inputKey?: number;
  /** The step's other buttons, after the submit button. */
  children: ReactNode;
}) {
  return (
    <>
      <CodeInput key={inputKey} {...input} disabled={busy} autoFocus />
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={busy || input.value.length !== OTP_CODE_LENGTH}
        >
          {submit}
        </button>
        {children}
      </div>
    </>
  );
}
