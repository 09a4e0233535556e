import type { Verification } from '../../shared/session';
import { useT } from '../i18n';
import { useErrorText } from '../i18n/error-text';

/**
 * The id_token's signature check, in one badge. The algorithm and key id are details for IT,
 * shown as they are (`translate="no"`), as an error's code is; core's reason is shown in the
 * window's language from its key (a reason without one, from an older session, as sent).
 */
export function VerificationBadge({ verification: v }: { verification: Verification }) {
  const t = useT();
  const text = useErrorText();
  const reason = (r: string) =>
    v.reasonI18n ? (
      text({ message: r, i18n: v.reasonI18n }).message
    ) : (
      <span translate="no">{r}</span>
    );
  if (v.status === 'verified')
    return (
      <p className="badge badge-ok" data-status="verified">
        <span aria-hidden="true">✓ </span>
        {t('session.verify.verified')}
        <span className="badge-detail">
          <span translate="no">{v.alg}</span>
          {v.kid && (
            <>
              {' · '}
              {t('session.verify.key', { kid: v.kid })}
            </>
          )}
        </span>
      </p>
    );
  if (v.status === 'unverifiable')
    return (
      <p className="badge badge-warn" data-status="unverifiable">
        <span aria-hidden="true">! </span>
        {t('session.verify.unverifiable')}
        <span className="badge-detail">
          <span translate="no">{v.alg ?? 'HS256'}</span>
          {' · '}
          {v.reason ? reason(v.reason) : t('session.verify.clientSecret')}
        </span>
      </p>
    );
  return (
    <p className="badge badge-bad" data-status="failed">
      <span aria-hidden="true">✗ </span>
      {t('session.verify.failed')}
      <span className="badge-detail">
        {v.reason ? reason(v.reason) : t('session.verify.unknown')}
      </span>
    </p>
  );
}
