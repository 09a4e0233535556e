import type { FormEvent, ReactNode } from 'react';
import type { CancellableCall } from '../hooks/use-cancellable-call';
import { ErrorBanner } from './ErrorBanner';
import { ProgressRow } from './ProgressRow';

/**
 * A form whose submit runs one cancellable call (`useCancellableCall`): busy while it runs,
 * the call's refusal in a banner above the fields, the inputs disabled (one fieldset) with the
 * submit button last, and the progress row under them. The password, SMS and connection-report forms share it.
 */
export function CallForm({
  call,
  onSubmit,
  label,
  labelledBy,
  noValidate,
  banner = true,
  fieldset = true,
  submit,
  below,
  after,
  children,
}: {
  call: CancellableCall;
  onSubmit: (e: FormEvent) => void;
  label?: string;
  labelledBy?: string;
  noValidate?: boolean;
  /** false: the form shows `call.error` itself, elsewhere. */
  banner?: boolean;
  /** false: the form disables its own inputs (e.g. a code input). */
  fieldset?: boolean;
  /** The primary button's text, after the fields (omit when `children` has its own). */
  submit?: string;
  /** After the primary button, inside the fieldset (the Advanced disclosure: below the fold). */
  below?: ReactNode;
  /** Under the progress row, outside the disabled fieldset (links to other views). */
  after?: ReactNode;
  children: ReactNode;
}) {
  return (
    <form
      className="form"
      onSubmit={onSubmit}
      aria-busy={call.busy}
      aria-label={label}
      aria-labelledby={labelledBy}
      noValidate={noValidate}
    >
      {banner && call.error && (
        <ErrorBanner error={call.error} onDismiss={() => call.setError(null)} />
      )}
      {fieldset ? (
        <fieldset className="plain" disabled={call.busy}>
          {children}
          {submit && (
            <div className="actions">
              <button type="submit" className="primary">
                {submit}
              </button>
            </div>
          )}
          {below}
        </fieldset>
      ) : (
        children
      )}
      <ProgressRow call={call} />
      {after}
    </form>
  );
}
