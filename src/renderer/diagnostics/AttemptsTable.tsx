import { Fragment, useState } from 'react';
import type { Attempt } from '../../shared/session';
import { ToggleButton } from '../components/ToggleButton';
import { useT } from '../i18n';
import { useFormat } from '../i18n/format';
import { AdSubcodeCell, CodeCell } from './CodeCell';
import { Code, Data, rich } from '../i18n/rich';

const COLUMNS = 9;
/** Timings in the window's digits: "123 ms". */
const MS = { style: 'unit', unit: 'millisecond' } as const;

/**
 * Every request of this run, newest first, with its redacted request and answer on demand.
 * Each cell carries its column's name (`data-label`): on a narrow window the rows stack into
 * cards (styles.css, Diagnostics) and the name shows above the value.
 */
export function AttemptsTable({ attempts }: { attempts: Attempt[] }) {
  const t = useT();
  const f = useFormat();
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (i: number) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(i)) next.add(i);
      return next;
    });
  const rows = attempts.map((a, i) => ({ a, i })).reverse();
  const col = {
    time: t('diagnostics.col.time'),
    endpoint: t('diagnostics.col.endpoint'),
    connection: t('diagnostics.col.connection'),
    username: t('diagnostics.col.username'),
    status: t('diagnostics.col.status'),
    error: t('diagnostics.col.error'),
    ms: t('diagnostics.col.ms'),
    exchange: t('diagnostics.col.exchange'),
  };
  return (
    <div
      className="table-scroll"
      role="region"
      aria-label={t('diagnostics.requests.label')}
      tabIndex={0}
    >
      <table className="attempts stacking">
        <caption>{t('diagnostics.requests.caption', { count: f.number(attempts.length) })}</caption>
        <thead>
          <tr>
            <th scope="col">{col.time}</th>
            <th scope="col">{col.endpoint}</th>
            <th scope="col">{col.connection}</th>
            <th scope="col">{col.username}</th>
            <th scope="col">{col.status}</th>
            <th scope="col">{col.error}</th>
            <th scope="col">{t('diagnostics.col.adSubcode')}</th>
            <th scope="col">{col.ms}</th>
            <th scope="col">
              <span className="visually-hidden">{col.exchange}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={COLUMNS} className="muted">
                {t('diagnostics.requests.none')}
              </td>
            </tr>
          )}
          {rows.map(({ a, i }) => (
            <Fragment key={i}>
              <tr className={a.errorCode ? 'failed' : 'succeeded'}>
                <td data-label={col.time}>
                  <time dateTime={a.at}>{f.time(Date.parse(a.at))}</time>
                </td>
                <td data-label={col.endpoint} className="wide">
                  <Code>
                    {a.method} {a.endpoint}
                  </Code>
                </td>
                <td data-label={col.connection}>
                  {a.connection ? <Data>{a.connection}</Data> : '—'}
                </td>
                <td data-label={col.username}>{a.username ? <Data>{a.username}</Data> : '—'}</td>
                <td data-label={col.status} className="status">
                  {a.status !== undefined ? <Data ltr>{a.status}</Data> : '—'}
                </td>
                <CodeCell code={a.errorCode} label={col.error}>
                  {a.errorDescription && (
                    <div className="muted">
                      <bdi translate="no" lang="en">
                        {a.errorDescription}
                      </bdi>
                    </div>
                  )}
                </CodeCell>
                <AdSubcodeCell code={a.ldapStatus} meaning={a.ldapMeaning} />
                <td data-label={col.ms}>
                  {f.number(Math.round(a.timings.totalMs), MS)}
                  {a.timings.headersMs !== undefined && (
                    <div className="muted">
                      {t('diagnostics.requests.headers', {
                        duration: f.number(Math.round(a.timings.headersMs), MS),
                      })}
                    </div>
                  )}
                </td>
                <td className="exchange-toggle">
                  <ToggleButton
                    expanded={open.has(i)}
                    onToggle={() => toggle(i)}
                    controls={`attempt-${i}`}
                    className="link-button"
                  >
                    {rich(
                      t,
                      open.has(i) ? 'diagnostics.requests.hide' : 'diagnostics.requests.show',
                      { 0: (hidden) => <span className="visually-hidden">{hidden}</span> },
                      {
                        n: f.number(i + 1),
                      },
                    )}
                  </ToggleButton>
                </td>
              </tr>
              <tr id={`attempt-${i}`} hidden={!open.has(i)} className="attempt-detail">
                <td colSpan={COLUMNS}>
                  <div className="exchange">
                    <div>
                      <h4>{t('diagnostics.requests.request')}</h4>
                      <pre translate="no" dir="ltr">
                        {JSON.stringify(a.request, null, 2)}
                      </pre>
                    </div>
                    <div>
                      <h4>{t('diagnostics.requests.response')}</h4>
                      {a.response ? (
                        <pre translate="no" dir="ltr">
                          {JSON.stringify(a.response, null, 2)}
                        </pre>
                      ) : (
                        <pre>{t('diagnostics.requests.noAnswer')}</pre>
                      )}
                    </div>
                  </div>
                </td>
              </tr>
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
