import type { CheckReport, CheckStep } from '../../shared/session';
import { useT, type MessageKey } from '../i18n';
import { useFormat } from '../i18n/format';
import { Data } from '../i18n/rich';
import { errorSentence } from '../i18n/error-text';

/**
 * Each step's name: translated where it is words; DNS and TLS are protocol names, the same in
 * every language, so they show as sent.
 */
const STEP_NAMES: Record<CheckStep['name'], MessageKey | { name: string }> = {
  dns: { name: 'DNS' },
  tcp: 'diagnostics.check.tcp',
  tls: { name: 'TLS' },
  'openid-configuration': 'diagnostics.check.openid',
  jwks: 'diagnostics.check.jwks',
  clock: 'diagnostics.check.clock',
};

/**
 * The tenant check's steps, one line each. A step's summary is core's line, shown in the
 * window's language from its key (hosts, ciphers, issuers inside it stay as written); the
 * exported report keeps it in English.
 */
export function CheckReportView({ report }: { report: CheckReport }) {
  const t = useT();
  const f = useFormat();
  const ms = (n: number) => f.number(Math.round(n), { style: 'unit', unit: 'millisecond' });
  return (
    <section className="check-report" aria-labelledby="check-heading">
      <h3 id="check-heading">
        {t(report.ok ? 'diagnostics.check.allGood' : 'diagnostics.check.problems')}{' '}
        <span className="muted">({ms(report.totalMs)})</span>
      </h3>
      <ul className="check-steps">
        {report.steps.map((s) => {
          const name = STEP_NAMES[s.name] ?? { name: s.name };
          return (
            <li key={s.name} className={s.ok ? (s.skipped ? 'skipped' : 'ok') : 'bad'}>
              <span className="step-mark" aria-hidden="true">
                {s.ok ? (s.skipped ? '–' : '✓') : '✗'}
              </span>
              <span>
                <strong>{typeof name === 'string' ? t(name) : <Data ltr>{name.name}</Data>}</strong>
                <span className="visually-hidden">
                  {t(
                    s.ok
                      ? s.skipped
                        ? 'diagnostics.check.skipped'
                        : 'diagnostics.check.passed'
                      : 'diagnostics.check.failed',
                  )}
                </span>{' '}
                —{' '}
                {s.summaryI18n ? (
                  <span>
                    {errorSentence(t, { message: s.summary, i18n: s.summaryI18n }).message}
                  </span>
                ) : (
                  <span translate="no" lang="en" dir="ltr">
                    {s.summary}
                  </span>
                )}{' '}
                <span className="muted">({ms(s.ms)})</span>
                {s.error &&
                  (s.error.i18n ? (
                    <span className="field-error"> {errorSentence(t, s.error).message}</span>
                  ) : (
                    <span className="field-error" translate="no" lang="en" dir="ltr">
                      {' '}
                      {s.error.message}
                    </span>
                  ))}
              </span>
            </li>
          );
        })}
      </ul>
      {report.clockSkewSeconds !== null && (
        <p className="muted">
          {t('diagnostics.check.clockSkew', {
            difference: f.number(report.clockSkewSeconds, { style: 'unit', unit: 'second' }),
          })}
        </p>
      )}
    </section>
  );
}
