import { useFormat } from '../i18n/format';
import { useT } from '../i18n';
import { useNow } from '../hooks/use-now';
import { rich } from '../i18n/rich';

/** A live countdown to the id_token's expiry, with its date and time in the window's language. */
export function ExpiryCountdown({ expiresAt }: { expiresAt: string | null }) {
  const t = useT();
  const f = useFormat();
  const now = useNow(1000);
  if (!expiresAt) return <p className="badge">{t('session.expiry.none')}</p>;
  const at = Date.parse(expiresAt);
  const left = at - now;
  const local = <span className="badge-detail">{f.dateTime(at)}</span>;
  return left > 0 ? (
    <p className="badge badge-neutral">
      {rich(t, 'session.expiry.in', {
        clock: (
          <time role="timer" dateTime={expiresAt} className="countdown">
            {f.clock(left)}
          </time>
        ),
      })}
      {local}
    </p>
  ) : (
    <p className="badge badge-warn">
      {rich(t, 'session.expiry.expired', {
        when: <time dateTime={expiresAt}>{f.relative(at, now)}</time>,
      })}
      {local}
    </p>
  );
}
