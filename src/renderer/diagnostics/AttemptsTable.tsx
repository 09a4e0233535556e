import { Fragment, useState } from 'react';
import type { Attempt } from '../../shared/session';
import { ToggleButton } from '../components/ToggleButton';
import { AdSubcodeCell, CodeCell } from './CodeCell';

const COLUMNS = 9;

/** Every request of this run, newest first, with its redacted request and answer on demand. */
export function AttemptsTable({ attempts }: { attempts: Attempt[] }) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (i: number) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(i)) next.add(i);
      return next;
    });
  const rows = attempts.map((a, i) => ({ a, i })).reverse();
  return (
    <div className="table-scroll" role="region" aria-label="Requests this run" tabIndex={0}>
      <table className="attempts">
        <caption>Requests this run ({attempts.length})</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Endpoint</th>
            <th scope="col">Connection</th>
            <th scope="col">Username</th>
            <th scope="col">Status</th>
            <th scope="col">Error</th>
            <th scope="col">AD sub-code</th>
            <th scope="col">ms</th>
            <th scope="col">
              <span className="visually-hidden">Request and answer</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={COLUMNS} className="muted">
                No request yet this run.
              </td>
            </tr>
          )}
          {rows.map(({ a, i }) => (
            <Fragment key={i}>
              <tr className={a.errorCode ? 'failed' : 'succeeded'}>
                <td>
                  <time dateTime={a.at}>{new Date(a.at).toLocaleTimeString()}</time>
                </td>
                <td>
                  <code>
                    {a.method} {a.endpoint}
                  </code>
                </td>
                <td>{a.connection ?? '—'}</td>
                <td>{a.username ?? '—'}</td>
                <td>{a.status ?? '—'}</td>
                <CodeCell code={a.errorCode}>
                  {a.errorDescription && <div className="muted">{a.errorDescription}</div>}
                </CodeCell>
                <AdSubcodeCell code={a.ldapStatus} meaning={a.ldapMeaning} />
                <td>
                  {Math.round(a.timings.totalMs)}
                  {a.timings.headersMs !== undefined && (
                    <div className="muted">headers {Math.round(a.timings.headersMs)}</div>
                  )}
                </td>
                <td>
                  <ToggleButton
                    expanded={open.has(i)}
                    onToggle={() => toggle(i)}
                    controls={`attempt-${i}`}
                    className="link-button"
                  >
                    {open.has(i) ? 'Hide' : 'Show'}
                    <span className="visually-hidden"> request {i + 1}</span>
                  </ToggleButton>
                </td>
              </tr>
              <tr id={`attempt-${i}`} hidden={!open.has(i)} className="attempt-detail">
                <td colSpan={COLUMNS}>
                  <div className="exchange">
                    <div>
                      <h4>Request (redacted)</h4>
                      <pre>{JSON.stringify(a.request, null, 2)}</pre>
                    </div>
                    <div>
                      <h4>Response (redacted)</h4>
                      <pre>{a.response ? JSON.stringify(a.response, null, 2) : 'no answer'}</pre>
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
