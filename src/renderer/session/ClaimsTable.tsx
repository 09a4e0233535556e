import type { ClaimView } from '../../shared/claims';
import { useNow } from '../hooks/use-now';
import { useT, type Translate } from '../i18n';
import { useFormat, type Formatters } from '../i18n/format';
import { claimLabel } from './claim-label';

/**
 * A claim's value: times in the window's language (date, time and how long from now), lists as
 * chips, booleans as yes/no; the value itself is data (`translate="no"`).
 */
function Value({
  claim,
  now,
  t,
  f,
}: {
  claim: ClaimView;
  now: number;
  t: Translate;
  f: Formatters;
}) {
  if (claim.kind === 'time' && claim.iso) {
    const ms = Date.parse(claim.iso);
    return (
      <>
        <time dateTime={claim.iso}>{f.dateTime(ms)}</time>{' '}
        <span className="muted">({f.relative(ms, now)})</span>
      </>
    );
  }
  const strings = Array.isArray(claim.raw) && claim.raw.every((x) => typeof x === 'string');
  if (claim.kind === 'list' && claim.items && strings)
    return claim.items.length ? (
      <ul className="chips" aria-label={claimLabel(t, claim.name)} translate="no" dir="auto">
        {claim.items.map((item, i) => (
          <li key={`${i}-${item}`} className="chip">
            {item}
          </li>
        ))}
      </ul>
    ) : (
      <span className="muted">{t('session.claims.none')}</span>
    );
  if (claim.kind === 'boolean')
    return (
      <span className="claim-text">
        {t(claim.raw ? 'session.claims.yes' : 'session.claims.no')}
      </span>
    );
  // A picture sent inline is kilobytes of base64: name it, the raw value has the rest.
  if (typeof claim.raw === 'string' && claim.raw.startsWith('data:')) {
    const type = /^data:([^;,]*)/.exec(claim.raw)?.[1] || 'data';
    return (
      <span className="claim-text">
        {t('session.claims.inline', { type, count: claim.raw.length })}
      </span>
    );
  }
  return (
    <span className="claim-text" translate="no" dir="auto">
      {claim.formatted}
    </span>
  );
}

/** The id_token's claims: friendly label, formatted value, and the raw value on demand. */
export function ClaimsTable({ claims }: { claims: ClaimView[] }) {
  const t = useT();
  const f = useFormat();
  const now = useNow(30_000);
  return (
    <table className="claims">
      <caption>{t('session.claims.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('session.claims.claim')}</th>
          <th scope="col">{t('session.claims.value')}</th>
        </tr>
      </thead>
      <tbody>
        {claims.map((c) => {
          const label = claimLabel(t, c.name);
          return (
            <tr key={c.name} data-claim={c.name}>
              <th scope="row">
                {label !== c.name ? label : <span translate="no">{label}</span>}
                {label !== c.name && (
                  <code className="claim-name" translate="no">
                    {c.name}
                  </code>
                )}
              </th>
              <td>
                <Value claim={c} now={now} t={t} f={f} />
                <details className="raw">
                  <summary>
                    <span aria-hidden="true">{t('session.claims.raw')}</span>
                    <span className="visually-hidden">
                      {t('session.claims.rawOf', { claim: c.name })}
                    </span>
                  </summary>
                  <pre translate="no" dir="ltr">
                    {JSON.stringify(c.raw, null, 2)}
                  </pre>
                </details>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
