import { useEffect, useState } from 'react';
import type { KeepFreshState } from '../../shared/ipc';
import type { SessionResult } from '../../shared/session';
import { signet } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { useNow } from '../hooks/use-now';
import { useT, type MessageKey } from '../i18n';
import { useFormat } from '../i18n/format';
import { errorSentence } from '../i18n/error-text';

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

/** A time of today's renewals: the time of day, and how long from now. */
function When({ iso, now }: { iso: string; now: number }) {
  const f = useFormat();
  const ms = Date.parse(iso);
  return (
    <>
      <time dateTime={iso}>{f.time(ms)}</time>{' '}
      <span className="muted">({f.relative(ms, now)})</span>
    </>
  );
}

/** What keep-fresh is doing, in one sentence per state that renews. */
const SUMMARY: Record<Exclude<KeepFreshState['status'], 'off'>, MessageKey> = {
  scheduled: 'session.fresh.scheduled',
  refreshing: 'session.fresh.refreshing',
  retrying: 'session.fresh.retrying',
  stopped: 'session.fresh.stopped',
};

/**
 * Whether main keeps the session fresh for other tools: when it last renewed the token, when
 * it renews next, and what failed. A session without a refresh token is said to expire.
 */
export function KeepFreshStatus({ session }: { session: SessionResult }) {
  const t = useT();
  const state = useKeepFresh();
  const now = useNow(30_000);
  if (!state) return null;
  if (!session.refreshable || state.status === 'off')
    return (
      <p className="muted fine" role="status" data-keep-fresh="off">
        {t(session.refreshable ? 'session.fresh.off' : 'session.fresh.noRefresh')}
      </p>
    );
  return (
    <div className="keep-fresh" data-keep-fresh={state.status}>
      <p role="status" className="fine">
        {t(SUMMARY[state.status])}
      </p>
      <dl className="facts">
        <div>
          <dt>{t('session.fresh.lastRenewed')}</dt>
          <dd>
            {state.lastRefreshedAt ? (
              <When iso={state.lastRefreshedAt} now={now} />
            ) : (
              t('session.fresh.notYet')
            )}
          </dd>
        </div>
        <div>
          <dt>
            {t(state.status === 'retrying' ? 'session.fresh.nextTry' : 'session.fresh.nextRenewal')}
          </dt>
          <dd>
            {state.nextRefreshAt ? (
              <When iso={state.nextRefreshAt} now={now} />
            ) : (
              t(state.status === 'refreshing' ? 'session.fresh.now' : 'session.fresh.nonePlanned')
            )}
          </dd>
        </div>
        {state.status === 'retrying' && state.lastError && (
          <div>
            <dt>{t('session.fresh.lastFailure')}</dt>
            <dd>
              {errorSentence(t, state.lastError).message}
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
