import { useState } from 'react';
import type { SignInError } from '../../shared/errors';
import type { SessionResult, SignOutResult } from '../../shared/session';
import { asSignInError, signet } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { ClaimsTable } from './ClaimsTable';
import { ExpiryCountdown } from './ExpiryCountdown';
import { TokensPanel } from './TokensPanel';
import { UserCard } from './UserCard';
import { VerificationBadge } from './VerificationBadge';

/** The signed-in screen: who, the token's claims and checks, the tokens, and sign-out. */
export function SignedInView({
  session,
  onSignedOut,
  onRefreshed,
}: {
  session: SessionResult;
  onSignedOut: (result: SignOutResult) => void;
  onRefreshed: (session: SessionResult) => void;
}) {
  const [busy, setBusy] = useState<'' | 'out' | 'refresh'>('');
  const [error, setError] = useState<SignInError | null>(null);

  async function signOut() {
    setBusy('out');
    setError(null);
    try {
      onSignedOut(await signet.signOut({}));
    } catch (err) {
      setError(asSignInError(err));
      setBusy('');
    }
  }

  async function refresh() {
    setBusy('refresh');
    setError(null);
    try {
      onRefreshed(await signet.refresh({}));
    } catch (err) {
      setError(asSignInError(err));
    } finally {
      setBusy('');
    }
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
        <button
          type="button"
          className="primary"
          disabled={Boolean(busy)}
          onClick={() => void signOut()}
        >
          {busy === 'out' ? 'Signing out…' : 'Sign out'}
        </button>
        {session.refreshable && (
          <button
            type="button"
            className="secondary"
            disabled={Boolean(busy)}
            onClick={() => void refresh()}
          >
            {busy === 'refresh' ? 'Refreshing…' : 'Refresh token'}
          </button>
        )}
      </div>
      <ClaimsTable claims={session.claims} />
      <TokensPanel key={session.obtainedAt} refreshable={session.refreshable} />
      <p className="muted small">
        Signed in to {session.tenant} ({session.protocol} protocol) in{' '}
        {Math.round(session.timings.totalMs)} ms.
      </p>
    </div>
  );
}
