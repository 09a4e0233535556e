import { useEffect, useState } from 'react';
import { relativeTime } from '../../shared/claims';
import type { KeepFreshState } from '../../shared/ipc';
import type { SessionResult } from '../../shared/session';
import { signet } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { useNow } from '../hooks/use-now';

/** Keep-fresh's state, as main pushes it (fetched once, then followed). */
function useKeepFresh(): KeepFreshState | null {
  const [state, setState] = useState<KeepFreshState | null>(null);
  useEffect(() => {
    let live = true;
    let heard = false;
    const off = signet.onKeepFreshChanged((s) => {
      heard = true;
      setState(s);
    });
    signet.keepFresh({}).then(
      (s) => {
        // An event that arrived meanwhile is newer than this answer.
        if (live && !heard) setState(s);
      },
      () => undefined,
    );
    return () => {
      live = false;
      off();
    };
  }, []);
  return state;
}

function When({ iso, now }: { iso: string; now: number }) {
  const ms = Date.parse(iso);
  return (
    <>
      <time dateTime={iso}>{new Date(ms).toLocaleTimeString()}</time>{' '}
      <span className="muted">({relativeTime(ms, now)})</span>
    </>
  );
}

const SUMMARY: Record<KeepFreshState['status'], string> = {
  off: '',
  scheduled: 'Signet renews your token before it expires, so tools always find a valid one.',
  refreshing: 'Signet is renewing your token now…',
  retrying: 'Signet could not renew your token and will try again.',
  stopped:
    'Signet stopped renewing your token: the tenant refused. Sign in again to keep tools working.',
};

/**
 * Whether main keeps the session fresh for other tools: when it last renewed the token, when
 * it renews next, and what failed. A session without a refresh token is said to expire.
 */
export function KeepFreshStatus({ session }: { session: SessionResult }) {
  const state = useKeepFresh();
  const now = useNow(30_000);
  if (!state) return null;
  if (!session.refreshable || state.status === 'off')
    return (
      <p className="muted fine" role="status" data-keep-fresh="off">
        {session.refreshable
          ? 'Signet does not renew this session.'
          : 'This session has no refresh token, so Signet cannot renew it: tools work until it expires. Sign in with “Keep me signed in” to have it renewed.'}
      </p>
    );
  return (
    <div className="keep-fresh" data-keep-fresh={state.status}>
      <p role="status" className="fine">
        {SUMMARY[state.status]}
      </p>
      <dl className="facts">
        <div>
          <dt>Last renewed</dt>
          <dd>
            {state.lastRefreshedAt ? <When iso={state.lastRefreshedAt} now={now} /> : 'Not yet'}
          </dd>
        </div>
        <div>
          <dt>{state.status === 'retrying' ? 'Next try' : 'Next renewal'}</dt>
          <dd>
            {state.nextRefreshAt ? (
              <When iso={state.nextRefreshAt} now={now} />
            ) : state.status === 'refreshing' ? (
              'Now'
            ) : (
              'None planned'
            )}
          </dd>
        </div>
        {state.status === 'retrying' && state.lastError && (
          <div>
            <dt>Last failure</dt>
            <dd>
              {state.lastError.message}
              {state.lastErrorAt && (
                <>
                  {' '}
                  <When iso={state.lastErrorAt} now={now} />
                </>
              )}
            </dd>
          </div>
        )}
      </dl>
      {state.status === 'stopped' && state.lastError && <ErrorBanner error={state.lastError} />}
    </div>
  );
}
