import { useId, type ReactNode } from 'react';
import type { LockedField } from '../../shared/settings';

/**
 * One settings row: label, control (given the ids to use), hint, and — when managed
 * configuration locks the field — the control disabled with the reason.
 */
export function SettingsField({
  label,
  hint,
  locked,
  error,
  children,
}: {
  label: string;
  hint?: string;
  locked?: LockedField | undefined;
  error?: string | undefined;
  children: (props: { id: string; disabled: boolean; describedBy: string }) => ReactNode;
}) {
  const id = useId();
  const describedBy = `${id}-hint`;
  return (
    <div className={`field${locked ? ' locked' : ''}`}>
      <label htmlFor={id}>
        {label}
        {locked && <span className="lock-tag"> (locked)</span>}
      </label>
      {children({ id, disabled: Boolean(locked), describedBy })}
      <p id={describedBy} className={error ? 'field-error' : 'field-hint'}>
        {error ?? (locked ? `Locked: ${locked.reason}` : hint)}
      </p>
    </div>
  );
}
