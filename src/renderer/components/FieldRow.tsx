import type { ReactNode } from 'react';

/**
 * A labelled form row: the label bound to the control's id, the control, then (when there
 * is one) the field's error with the id `<id>-error` the control's aria-describedby names.
 */
export function FieldRow({
  id,
  label,
  className = 'field',
  error,
  children,
}: {
  id: string;
  label: ReactNode;
  className?: string;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
