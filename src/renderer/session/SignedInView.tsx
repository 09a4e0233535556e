import type { SessionResult, SignOutResult } from '../../shared/session';
import { signet } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { useCancellableCall } from '../hooks/use-cancellable-call';
import { useT } from '../i18n';
import { useFormat } from '../i18n/format';
import { ClaimsTable } from './ClaimsTable';
import { ExpiryCountdown } from './ExpiryCountdown';
import { OtherToolsPanel } from './OtherToolsPanel';
import { TokensPanel } from './TokensPanel';
import { UserCard } from './UserCard';
import { VerificationBadge } from './VerificationBadge';
import { rich } from '../i18n/rich';

/** The running call's status (its button says it in the window's language). */
const SIGNING_OUT = 'sign-out';
const REFRESHING = 'refresh';

/**
 * The signed-in screen: who, the token's claims and checks, the tokens, the account's use from
 * other tools, and sign-out.
 */
export function SignedInView({
  session,
  onSignedOut,
  onRefreshed,
}: {
  session: SessionResult;
  onSignedOut: (result: SignOutResult) => void;
  onRefreshed: (session: SessionResult) => void;
}) {
  const t = useT();
  const f = useFormat();
  const call = useCancellableCall();
  const { busy, error, setError } = call;

  async function signOut() {
    const result = await call.run(SIGNING_OUT, () => signet.signOut({}));
    if (result) onSignedOut(result);
  }

  async function refresh() {
    const refreshed = await call.run(REFRESHING, () => signet.refresh({}));
    if (refreshed) onRefreshed(refreshed);
  }

  return (
    <div className="signed-in">
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      <UserCard session={session} />
      <div className="badges">
        <VerificationBadge verification={session.verification} />
        <ExpiryCountdown expiresAt={session.expiresAt} />
      </div>
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={() => void signOut()}>
          {t(call.status === SIGNING_OUT ? 'session.signingOut' : 'session.signOut')}
        </button>
        {session.refreshable && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void refresh()}
          >
            {t(call.status === REFRESHING ? 'session.refreshing' : 'session.refresh')}
          </button>
        )}
      </div>
      <ClaimsTable claims={session.claims} />
      <TokensPanel key={session.obtainedAt} refreshable={session.refreshable} />
      {/* Another account is another panel: nothing copied or fetched for the last one stays. */}
      <OtherToolsPanel
        key={`${session.tenant} ${session.clientId} ${session.username}`}
        session={session}
      />
      <p className="muted small">
        {rich(
          t,
          'session.footer',
          {
            tenant: (
              <span translate="no" dir="ltr">
                {session.tenant}
              </span>
            ),
          },
          {
            protocol: session.protocol,
            duration: f.number(Math.round(session.timings.totalMs), {
              style: 'unit',
              unit: 'millisecond',
            }),
          },
        )}
      </p>
    </div>
  );
}
