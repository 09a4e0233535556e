import type { CheckReport } from '../../shared/session';

const STEP_NAMES: Record<string, string> = {
  dns: 'DNS',
  tcp: 'TCP connection',
  tls: 'TLS',
  'openid-configuration': 'OpenID configuration',
  jwks: 'Signing keys (JWKS)',
  clock: 'Clock',
};

/** The tenant check's steps, one line each. */
export function CheckReportView({ report }: { report: CheckReport }) {
  return (
    <section className="check-report" aria-labelledby="check-heading">
      <h3 id="check-heading">
        Tenant check: {report.ok ? 'all good' : 'problems found'}{' '}
        <span className="muted">({Math.round(report.totalMs)} ms)</span>
      </h3>
      <ul className="check-steps">
        {report.steps.map((s) => (
          <li key={s.name} className={s.ok ? (s.skipped ? 'skipped' : 'ok') : 'bad'}>
            <span className="step-mark" aria-hidden="true">
              {s.ok ? (s.skipped ? '–' : '✓') : '✗'}
            </span>
            <span>
              <strong>{STEP_NAMES[s.name] ?? s.name}</strong>
              <span className="visually-hidden">
                {s.ok ? (s.skipped ? ': skipped' : ': passed') : ': failed'}
              </span>{' '}
              — {s.summary} <span className="muted">({Math.round(s.ms)} ms)</span>
              {s.error && <span className="field-error"> {s.error.message}</span>}
            </span>
          </li>
        ))}
      </ul>
      {report.clockSkewSeconds !== null && (
        <p className="muted">Clock difference with the tenant: {report.clockSkewSeconds} s.</p>
      )}
    </section>
  );
}
