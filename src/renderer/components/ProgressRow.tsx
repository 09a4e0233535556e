import type { CancellableCall } from '../hooks/use-cancellable-call';

/**
 * Under a form: while its call runs, a spinner, what is happening and a Cancel button; after
 * it, the call's notice. Announced politely to screen readers.
 */
export function ProgressRow({ call }: { call: CancellableCall }) {
  return (
    <div className="progress-row" aria-live="polite">
      {call.busy ? (
        <>
          <span className="spinner" aria-hidden="true" />
          <span role="status">{call.status}</span>
          <button type="button" className="secondary" onClick={call.cancel}>
            Cancel
          </button>
        </>
      ) : (
        call.notice && <span role="status">{call.notice}</span>
      )}
    </div>
  );
}
