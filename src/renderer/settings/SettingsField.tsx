import { useId, type ReactNode } from 'react';
import type { LockedField } from '../../shared/settings';
import { useT } from '../i18n';
import { Code, rich } from '../i18n/rich';

/** Why a field cannot be changed: the managed configuration that sets it, named by its path. */
export function LockReason({ locked }: { locked: LockedField }) {
  const t = useT();
  return rich(t, 'settings.locked', { path: <Code>{locked.source}</Code> });
}

/** " (locked)" after a field's label or legend, when managed configuration sets it. */
export function LockTag({ locked }: { locked: LockedField | undefined }) {
  const t = useT();
  return locked ? <span className="lock-tag"> {t('settings.lockedTag')}</span> : null;
}

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
  hint?: ReactNode;
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
        <LockTag locked={locked} />
      </label>
      {children({ id, disabled: Boolean(locked), describedBy })}
      <p id={describedBy} className={error ? 'field-error' : 'field-hint'}>
        {error ?? (locked ? <LockReason locked={locked} /> : hint)}
      </p>
    </div>
  );
}
