import { useId, type Ref } from 'react';
import type { ConnectionReport, ReportAccountResult } from '../../shared/report';
import { reportMarkdown, summaryLine } from '../../shared/report-format';
import { AdSubcodeCell, CodeCell } from './CodeCell';

const COLUMNS = [
  '#',
  'Account',
  'Expected',
  'Result',
  'Matches',
  'Error',
  'AD sub-code',
  'Groups',
  'Token',
  'ms',
  'Note',
];

const VERIFICATION: Record<NonNullable<ReportAccountResult['verification']>, string> = {
  verified: 'verified',
  unverifiable: 'unverifiable (HS256)',
  failed: 'failed',
};

function Matches({ r }: { r: ReportAccountResult }) {
  if (r.matches === null)
    return (
      <span className="muted">
        —<span className="visually-hidden">no expectation</span>
      </span>
    );
  return r.matches ? (
    <span className="match-ok">
      <span aria-hidden="true">✓</span> <span className="visually-hidden">matches</span>
    </span>
  ) : (
    <span className="match-bad">
      <span aria-hidden="true">✗</span> differs
    </span>
  );
}

function Row({ r }: { r: ReportAccountResult }) {
  const cls = [
    r.result === 'success' ? 'succeeded' : 'failed',
    r.matches === false ? 'differs' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <tr className={cls} data-account={r.username}>
      <td>{r.index}</td>
      <th scope="row">
        {r.username}
        {r.user?.name && <div className="muted">{r.user.name}</div>}
      </th>
      <td>{r.expected ? <code>{r.expected}</code> : '—'}</td>
      <td className="report-result">{r.result === 'success' ? 'signed in' : 'failed'}</td>
      <td>
        <Matches r={r} />
      </td>
      <CodeCell code={r.errorCode} shown={r.result === 'failure'}>
        {r.status !== null && <div>HTTP {r.status}</div>}
        {r.message && <div className="muted">{r.message}</div>}
      </CodeCell>
      <AdSubcodeCell code={r.adSubCode} meaning={r.adMeaning} />
      <td>
        {r.groups.length ? (
          <ul className="chips" aria-label={`Groups of ${r.username}`}>
            {r.groups.map((g, i) => (
              <li key={`${i}-${g}`} className="chip">
                {g}
              </li>
            ))}
          </ul>
        ) : (
          '—'
        )}
      </td>
      <td>{r.verification ? VERIFICATION[r.verification] : '—'}</td>
      <td className="numeric">{r.timings.totalMs}</td>
      <td>{r.note ?? ''}</td>
    </tr>
  );
}

/** `corp-ldap` → a safe piece of a file name. */
const slug = (s: string) => s.replace(/[^a-z0-9._-]+/gi, '-').replace(/^-+|-+$/g, '') || 'report';

export interface ReportFiles {
  markdown: { url: string; filename: string };
  json: { url: string; filename: string };
}

/** The report's Markdown and JSON as object URLs; the caller revokes them (`revokeReportFiles`). */
export function reportFiles(report: ConnectionReport): ReportFiles {
  const stem = `signet-connection-report-${slug(report.connection.name)}-${report.startedAt.replace(/[:.]/g, '-')}`;
  const url = (text: string, type: string) => URL.createObjectURL(new Blob([text], { type }));
  return {
    markdown: { url: url(reportMarkdown(report), 'text/markdown'), filename: `${stem}.md` },
    json: {
      url: url(JSON.stringify(report, null, 2), 'application/json'),
      filename: `${stem}.json`,
    },
  };
}

export function revokeReportFiles(files: ReportFiles): void {
  URL.revokeObjectURL(files.markdown.url);
  URL.revokeObjectURL(files.json.url);
}

/** A finished connection report: the summary, one row per account, and the exports. */
export function ReportResults({
  report,
  files,
  headingRef,
}: {
  report: ConnectionReport;
  files: ReportFiles;
  headingRef: Ref<HTMLHeadingElement>;
}) {
  const headingId = useId();
  const s = report.summary;
  return (
    <section className="report-results" aria-labelledby={headingId}>
      <h3 id={headingId} ref={headingRef} tabIndex={-1}>
        Report: <code>{report.connection.name}</code>{' '}
        <span className="muted">({report.connection.kind === 'ad' ? 'AD/LDAP' : 'Database'})</span>
      </h3>
      <p className={`report-summary ${s.mismatched > 0 ? 'differs' : 'as-expected'}`}>
        {summaryLine(s)}.{' '}
        <strong>
          {s.mismatched > 0
            ? `${s.mismatched} account${s.mismatched === 1 ? '' : 's'} did not do what was expected.`
            : s.matched > 0
              ? 'Every account did what was expected.'
              : 'No account had an expectation to check.'}
        </strong>
      </p>
      <div
        className="table-scroll"
        role="region"
        aria-label="Connection report results"
        tabIndex={0}
      >
        <table className="report-table">
          <caption>
            Accounts tested on {report.tenant} at{' '}
            <time dateTime={report.startedAt}>
              {new Date(report.startedAt).toLocaleTimeString()}
            </time>
          </caption>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.accounts.map((r) => (
              <Row key={r.index} r={r} />
            ))}
          </tbody>
        </table>
      </div>
      <div className="actions report-exports">
        <span>Export:</span>
        <a href={files.markdown.url} download={files.markdown.filename} className="download">
          Markdown<span className="visually-hidden"> report ({files.markdown.filename})</span>
        </a>
        <a href={files.json.url} download={files.json.filename} className="download">
          JSON<span className="visually-hidden"> report ({files.json.filename})</span>
        </a>
      </div>
    </section>
  );
}
