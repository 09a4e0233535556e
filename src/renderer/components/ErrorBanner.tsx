import { useId, useState } from 'react';
import type { SignInError } from '../../shared/errors';
import { adSubcodeMeaning } from '../diagnostics/ad-subcodes';
import { useT } from '../i18n';
import { errorSentence } from '../i18n/error-text';
import { shownText } from '../signin/shown-text';
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
 * A failed call, as the user reads it: core's sentence and hint up front, in the window's
 * language, and for IT a details toggle with the code, HTTP status, the server's description
 * and the AD sub-code, shown as sent (`translate="no"`: IT searches for them as they are).
 */
export function ErrorBanner({ error, onDismiss }: { error: SignInError; onDismiss?: () => void }) {
  const t = useT();
  const { message, hint } = errorSentence(t, error);
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const sub = ldapSubcode(error);
  const issues = Array.isArray(error.detail?.issues) ? (error.detail.issues as unknown[]) : [];
  const serverCode = typeof error.detail?.error === 'string' ? error.detail.error : undefined;
  return (
    <div className="banner banner-error" role="alert" data-code={error.code}>
      <div className="banner-main">
        <p className="banner-message">{message}</p>
        {hint && <p className="banner-hint">{hint}</p>}
      </div>
      <div className="banner-actions">
        <ToggleButton
          expanded={open}
          onToggle={setOpen}
          controls={detailsId}
          className="link-button"
        >
          {open ? t('errors.banner.hideDetails') : t('errors.banner.details')}
        </ToggleButton>
        {onDismiss && (
          <button
            type="button"
            className="icon-button"
            aria-label={t('errors.banner.dismiss')}
            onClick={onDismiss}
          >
            ×
          </button>
        )}
      </div>
      <dl id={detailsId} className="banner-details" hidden={!open}>
        <dt>{t('errors.banner.code')}</dt>
        <dd translate="no" dir="ltr">
          <code>{error.code}</code>
        </dd>
        {serverCode && serverCode !== error.code && (
          <>
            <dt>{t('errors.banner.tenantCode')}</dt>
            <dd translate="no" dir="ltr">
              <code>{serverCode}</code>
            </dd>
          </>
        )}
        {error.status !== undefined && (
          <>
            <dt>{t('errors.banner.status')}</dt>
            <dd translate="no" dir="ltr">
              {error.status}
            </dd>
          </>
        )}
        {error.description && (
          <>
            <dt>{t('errors.banner.description')}</dt>
            <dd translate="no" dir="auto">
              {error.description}
            </dd>
          </>
        )}
        {sub && (
          <>
            <dt>{t('errors.banner.adSubcode')}</dt>
            <dd translate="no" dir="auto">
              <code dir="ltr">{sub.code}</code> — {sub.meaning}
            </dd>
          </>
        )}
        {issues.length > 0 && (
          <>
            <dt>{t('errors.banner.issues')}</dt>
            <dd translate="no" lang="en">
              <ul className="banner-issues">
                {issues.map((i) => (
                  <li key={String(i)} dir="auto">
                    {shownText(String(i), 500)}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}
