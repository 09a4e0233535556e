import { useEffect, useRef, type ClipboardEvent, type KeyboardEvent } from 'react';
import { OTP_CODE_LENGTH } from '../../shared/auth0-protocol';
import { useT } from '../i18n';

const LENGTH = OTP_CODE_LENGTH;

/**
 * A 6-digit one-time code as six boxes: typing advances, Backspace goes back, a paste fills
 * them all, and the sixth digit submits (`onComplete`).
 */
export function CodeInput({
  legend,
  value,
  onChange,
  onComplete,
  disabled = false,
  autoFocus = false,
  describedBy,
}: {
  legend: string;
  value: string;
  onChange: (code: string) => void;
  onComplete: (code: string) => void;
  disabled?: boolean;
  autoFocus?: boolean;
  describedBy?: string;
}) {
  const t = useT();
  const boxes = useRef<(HTMLInputElement | null)[]>([]);
  const digits = value.padEnd(LENGTH, ' ').slice(0, LENGTH).split('');

  useEffect(() => {
    if (autoFocus) boxes.current[Math.min(value.length, LENGTH - 1)]?.focus();
    // Only when the step appears, not on every digit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [autoFocus]);

  function set(next: string, focusIndex: number) {
    const code = next.replace(/\D/g, '').slice(0, LENGTH);
    onChange(code);
    boxes.current[Math.min(focusIndex, LENGTH - 1)]?.focus();
    if (code.length === LENGTH) onComplete(code);
  }

  function onInput(index: number, raw: string) {
    const typed = raw.replace(/\D/g, '');
    if (!typed) return;
    // A box holds one digit; several typed at once (autofill) fill onward.
    const before = value.slice(0, index);
    set(before + typed + value.slice(before.length + typed.length), before.length + typed.length);
  }

  function onKeyDown(index: number, e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Backspace') {
      e.preventDefault();
      const at = value.length > index ? index : index - 1;
      if (at < 0) return;
      onChange(value.slice(0, at));
      boxes.current[at]?.focus();
    } else if (e.key === 'ArrowLeft' && index > 0) {
      e.preventDefault();
      boxes.current[index - 1]?.focus();
    } else if (e.key === 'ArrowRight' && index < LENGTH - 1) {
      e.preventDefault();
      boxes.current[index + 1]?.focus();
    }
  }

  function onPaste(e: ClipboardEvent<HTMLInputElement>) {
    const pasted = e.clipboardData.getData('text').replace(/\D/g, '');
    if (!pasted) return;
    e.preventDefault();
    set(pasted, pasted.length);
  }

  return (
    <fieldset className="code-input" disabled={disabled} aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {/* Digits run left to right in every language (a code is no word). */}
      <div className="code-boxes" dir="ltr">
        {digits.map((d, i) => (
          <input
            key={i}
            ref={(el) => {
              boxes.current[i] = el;
            }}
            className="code-box"
            type="text"
            inputMode="numeric"
            autoComplete={i === 0 ? 'one-time-code' : 'off'}
            aria-label={t('shell.code.digit', { n: i + 1, total: LENGTH })}
            value={d.trim()}
            onChange={(e) => onInput(i, e.target.value.replace(d.trim(), '') || e.target.value)}
            onKeyDown={(e) => onKeyDown(i, e)}
            onPaste={onPaste}
            onFocus={(e) => e.target.select()}
          />
        ))}
      </div>
    </fieldset>
  );
}
