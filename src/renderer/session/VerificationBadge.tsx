import type { Verification } from '../../shared/session';

/** The id_token's signature check, in one badge. */
export function VerificationBadge({ verification: v }: { verification: Verification }) {
  if (v.status === 'verified')
    return (
      <p className="badge badge-ok" data-status="verified">
        <span aria-hidden="true">✓ </span>Signature verified
        <span className="badge-detail">
          {v.alg}
          {v.kid ? ` · key ${v.kid}` : ''}
        </span>
      </p>
    );
  if (v.status === 'unverifiable')
    return (
      <p className="badge badge-warn" data-status="unverifiable">
        <span aria-hidden="true">! </span>Signature not verifiable
        <span className="badge-detail">
          {v.alg ?? 'HS256'}
          {v.reason ? ` · ${v.reason}` : ' · signed with the client secret'}
        </span>
      </p>
    );
  return (
    <p className="badge badge-bad" data-status="failed">
      <span aria-hidden="true">✗ </span>Verification failed
      <span className="badge-detail">{v.reason ?? 'unknown reason'}</span>
    </p>
  );
}
