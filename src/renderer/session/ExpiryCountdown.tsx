import { relativeTime } from '../../shared/claims';
import { useNow } from '../hooks/use-now';

/** "1:02:03": hours, minutes, seconds left. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

/** A live countdown to the id_token's expiry. */
export function ExpiryCountdown({ expiresAt }: { expiresAt: string | null }) {
  const now = useNow(1000);
  if (!expiresAt) return <p className="badge">No expiry</p>;
  const at = Date.parse(expiresAt);
  const left = at - now;
  const local = new Date(at).toLocaleString();
  return left > 0 ? (
    <p className="badge badge-neutral">
      Expires in{' '}
      <time role="timer" dateTime={expiresAt} className="countdown">
        {clock(left)}
      </time>
      <span className="badge-detail">{local}</span>
    </p>
  ) : (
    <p className="badge badge-warn">
      Expired <time dateTime={expiresAt}>{relativeTime(at, now)}</time>
      <span className="badge-detail">{local}</span>
    </p>
  );
}
