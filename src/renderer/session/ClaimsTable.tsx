import { relativeTime, type ClaimView } from '../../shared/claims';
import { useNow } from '../hooks/use-now';

function Value({ claim, now }: { claim: ClaimView; now: number }) {
  if (claim.kind === 'time' && claim.iso) {
    const ms = Date.parse(claim.iso);
    return (
      <>
        <time dateTime={claim.iso}>{new Date(ms).toLocaleString()}</time>{' '}
        <span className="muted">({relativeTime(ms, now)})</span>
      </>
    );
  }
  const strings = Array.isArray(claim.raw) && claim.raw.every((x) => typeof x === 'string');
  if (claim.kind === 'list' && claim.items && strings)
    return claim.items.length ? (
      <ul className="chips" aria-label={claim.label}>
        {claim.items.map((item, i) => (
          <li key={`${i}-${item}`} className="chip">
            {item}
          </li>
        ))}
      </ul>
    ) : (
      <span className="muted">none</span>
    );
  // A picture sent inline is kilobytes of base64: name it, the raw value has the rest.
  if (typeof claim.raw === 'string' && claim.raw.startsWith('data:')) {
    const type = /^data:([^;,]*)/.exec(claim.raw)?.[1] || 'data';
    return (
      <span className="claim-text">
        Inline {type} ({claim.raw.length} characters)
      </span>
    );
  }
  return <span className="claim-text">{claim.formatted}</span>;
}

/** The id_token's claims: friendly label, formatted value, and the raw value on demand. */
export function ClaimsTable({ claims }: { claims: ClaimView[] }) {
  const now = useNow(30_000);
  return (
    <table className="claims">
      <caption>Claims in the ID token</caption>
      <thead>
        <tr>
          <th scope="col">Claim</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {claims.map((c) => (
          <tr key={c.name} data-claim={c.name}>
            <th scope="row">
              {c.label}
              {c.label !== c.name && <code className="claim-name">{c.name}</code>}
            </th>
            <td>
              <Value claim={c} now={now} />
              <details className="raw">
                <summary>
                  Raw<span className="visually-hidden"> value of {c.name}</span>
                </summary>
                <pre>{JSON.stringify(c.raw, null, 2)}</pre>
              </details>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
