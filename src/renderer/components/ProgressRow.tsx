import type { CancellableCall } from '../hooks/use-cancellable-call';
import { useT } from '../i18n';

/**
 * Under a form: while its call runs, a spinner, what is happening and a Cancel button; after
 * it, the call's notice. Announced politely to screen readers.
 */
export function ProgressRow({ call }: { call: CancellableCall }) {
  const t = useT();
  return (
    <div className="progress-row" aria-live="polite">
      {call.busy ? (
        <>
          <span className="spinner" aria-hidden="true" />
          <span role="status">{call.status}</span>
          <button type="button" className="secondary" onClick={call.cancel}>
            {t('shell.cancel')}
          </button>
        </>
      ) : (
        call.notice && <span role="status">{call.notice}</span>
      )}
    </div>
  );
}
