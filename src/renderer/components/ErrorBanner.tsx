import { useId, useState } from 'react';
import type { SignInError } from '../../shared/errors';
import { adSubcodeMeaning } from '../diagnostics/ad-subcodes';
import { ToggleButton } from './ToggleButton';

/** The AD bind sub-code of an error, wherever core put it. */
export function ldapSubcode(error: SignInError): { code: string; meaning: string } | null {
  const d = error.detail ?? {};
  const raw = d.ldapStatus ?? d.ldap_status;
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const code = String(raw).toLowerCase();
  const meaning = typeof d.ldapMeaning === 'string' ? d.ldapMeaning : adSubcodeMeaning(code);
  return { code, meaning };
}

/**
 * A failed call, as the user reads it: core's sentence and hint up front, and for IT a
 * details toggle with the code, HTTP status, the server's description and the AD sub-code.
 */
export function ErrorBanner({ error, onDismiss }: { error: SignInError; onDismiss?: () => void }) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const sub = ldapSubcode(error);
  const issues = Array.isArray(error.detail?.issues) ? (error.detail.issues as unknown[]) : [];
  const serverCode = typeof error.detail?.error === 'string' ? error.detail.error : undefined;
  return (
    <div className="banner banner-error" role="alert" data-code={error.code}>
      <div className="banner-main">
        <p className="banner-message">{error.message}</p>
        {error.hint && <p className="banner-hint">{error.hint}</p>}
        {issues.length > 0 && (
          <ul className="banner-issues">
            {issues.map((i) => (
              <li key={String(i)}>{String(i)}</li>
            ))}
          </ul>
        )}
      </div>
      <div className="banner-actions">
        <ToggleButton
          expanded={open}
          onToggle={setOpen}
          controls={detailsId}
          className="link-button"
        >
          {open ? 'Hide details' : 'Details'}
        </ToggleButton>
        {onDismiss && (
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss error"
            onClick={onDismiss}
          >
            ×
          </button>
        )}
      </div>
      <dl id={detailsId} className="banner-details" hidden={!open}>
        <dt>Code</dt>
        <dd>
          <code>{error.code}</code>
          {serverCode && serverCode !== error.code && (
            <>
              {' '}
              (tenant: <code>{serverCode}</code>)
            </>
          )}
        </dd>
        {error.status !== undefined && (
          <>
            <dt>HTTP status</dt>
            <dd>{error.status}</dd>
          </>
        )}
        {error.description && (
          <>
            <dt>Description</dt>
            <dd>{error.description}</dd>
          </>
        )}
        {sub && (
          <>
            <dt>AD sub-code</dt>
            <dd>
              <code>{sub.code}</code> — {sub.meaning}
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}
