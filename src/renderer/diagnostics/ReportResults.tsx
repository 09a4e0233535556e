import { useId, type Ref } from 'react';
import type { ConnectionReport, ReportAccountResult } from '../../shared/report';
import { reportMarkdown } from '../../shared/report-format';
import { useT, type MessageKey, type Translate } from '../i18n';
import { useFormat, type Formatters } from '../i18n/format';
import { AdSubcodeCell, CodeCell } from './CodeCell';
import { Code, Data, rich } from '../i18n/rich';

/** The table's columns, in order: each header's key (also each cell's card label). */
const COLUMNS = {
  index: 'diagnostics.col.index',
  account: 'diagnostics.col.account',
  expected: 'diagnostics.col.expected',
  result: 'diagnostics.col.result',
  matches: 'diagnostics.col.matches',
  error: 'diagnostics.col.error',
  adSubcode: 'diagnostics.col.adSubcode',
  groups: 'diagnostics.col.groups',
  token: 'diagnostics.col.token',
  ms: 'diagnostics.col.ms',
  note: 'diagnostics.col.note',
} as const satisfies Record<string, MessageKey>;

type Labels = Record<keyof typeof COLUMNS, string>;

const VERIFICATION: Record<NonNullable<ReportAccountResult['verification']>, MessageKey> = {
  verified: 'diagnostics.report.verified',
  unverifiable: 'diagnostics.report.unverifiable',
  failed: 'diagnostics.report.verifyFailed',
};

function Matches({ r, t }: { r: ReportAccountResult; t: Translate }) {
  if (r.matches === null)
    return (
      <span className="muted">
        —<span className="visually-hidden">{t('diagnostics.report.noExpectation')}</span>
      </span>
    );
  return r.matches ? (
    <span className="match-ok">
      <span aria-hidden="true">✓</span>{' '}
      <span className="visually-hidden">{t('diagnostics.report.matches')}</span>
    </span>
  ) : (
    <span className="match-bad">
      <span aria-hidden="true">✗</span> {t('diagnostics.report.differs')}
    </span>
  );
}

function Row({
  r,
  label,
  t,
  f,
}: {
  r: ReportAccountResult;
  label: Labels;
  t: Translate;
  f: Formatters;
}) {
  const cls = [
    r.result === 'success' ? 'succeeded' : 'failed',
    r.matches === false ? 'differs' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <tr className={cls} data-account={r.username}>
      <td data-label={label.index}>{f.number(r.index)}</td>
      <th scope="row" data-label={label.account} className="wide">
        <Data>{r.username}</Data>
        {r.user?.name && (
          <div className="muted">
            <Data>{r.user.name}</Data>
          </div>
        )}
      </th>
      <td data-label={label.expected}>{r.expected ? <Code>{r.expected}</Code> : '—'}</td>
      <td data-label={label.result} className="report-result">
        {t(r.result === 'success' ? 'diagnostics.report.signedIn' : 'diagnostics.report.failed')}
      </td>
      <td data-label={label.matches}>
        <Matches r={r} t={t} />
      </td>
      <CodeCell code={r.errorCode} label={label.error} shown={r.result === 'failure'}>
        {r.status !== null && (
          <div>
            <Data ltr>HTTP {r.status}</Data>
          </div>
        )}
        {r.message && (
          <div className="muted">
            <bdi translate="no" lang="en">
              {r.message}
            </bdi>
          </div>
        )}
      </CodeCell>
      <AdSubcodeCell code={r.adSubCode} meaning={r.adMeaning} />
      <td data-label={label.groups}>
        {r.groups.length ? (
          <ul
            className="chips"
            aria-label={t('diagnostics.report.groupsOf', { username: r.username })}
            translate="no"
          >
            {r.groups.map((g, i) => (
              <li key={`${i}-${g}`} className="chip" dir="auto">
                {g}
              </li>
            ))}
          </ul>
        ) : (
          '—'
        )}
      </td>
      <td data-label={label.token}>{r.verification ? t(VERIFICATION[r.verification]) : '—'}</td>
      <td data-label={label.ms} className="numeric">
        {f.number(r.timings.totalMs, { style: 'unit', unit: 'millisecond' })}
      </td>
      <td data-label={label.note}>{r.note ? <Data>{r.note}</Data> : ''}</td>
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
  const t = useT();
  const f = useFormat();
  const headingId = useId();
  const s = report.summary;
  const label = Object.fromEntries(
    Object.entries(COLUMNS).map(([id, key]) => [id, t(key)]),
  ) as Labels;
  const counts = {
    total: s.total,
    succeeded: f.number(s.succeeded),
    failed: f.number(s.failed),
    matched: f.number(s.matched),
    mismatched: s.mismatched,
    unchecked: f.number(s.unchecked),
    duration: f.number(s.totalMs, { style: 'unit', unit: 'millisecond' }),
  };
  return (
    <section className="report-results" aria-labelledby={headingId}>
      <h3 id={headingId} ref={headingRef} tabIndex={-1}>
        {rich(t, 'diagnostics.report.heading', {
          0: () => <Code>{report.connection.name}</Code>,
          1: () => (
            <span className="muted">
              (
              {report.connection.kind === 'ad' ? (
                <Data ltr>AD/LDAP</Data>
              ) : (
                t('diagnostics.report.database')
              )}
              )
            </span>
          ),
        })}
      </h3>
      <p className={`report-summary ${s.mismatched > 0 ? 'differs' : 'as-expected'}`}>
        {t(
          s.unchecked ? 'diagnostics.report.summaryUnchecked' : 'diagnostics.report.summary',
          counts,
        )}{' '}
        <strong>
          {s.mismatched > 0
            ? t('diagnostics.report.mismatched', { count: s.mismatched })
            : s.matched > 0
              ? t('diagnostics.report.allMatched')
              : t('diagnostics.report.noExpectations')}
        </strong>
      </p>
      <div
        className="table-scroll"
        role="region"
        aria-label={t('diagnostics.report.results')}
        tabIndex={0}
      >
        <table className="report-table stacking">
          <caption>
            {rich(t, 'diagnostics.report.caption', {
              0: () => <Data ltr>{report.tenant}</Data>,
              1: () => (
                <time dateTime={report.startedAt}>{f.time(Date.parse(report.startedAt))}</time>
              ),
            })}
          </caption>
          <thead>
            <tr>
              {Object.entries(label).map(([id, text]) => (
                <th key={id} scope="col">
                  {text}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.accounts.map((r) => (
              <Row key={r.index} r={r} label={label} t={t} f={f} />
            ))}
          </tbody>
        </table>
      </div>
      <div className="actions report-exports">
        <span>{t('diagnostics.report.export')}</span>
        {(
          [
            ['Markdown', files.markdown],
            ['JSON', files.json],
          ] as const
        ).map(([format, file]) => (
          <a
            key={format}
            href={file.url}
            download={file.filename}
            className="download"
            aria-label={t('diagnostics.report.download', { format, file: file.filename })}
          >
            <span translate="no">{format}</span>
          </a>
        ))}
      </div>
    </section>
  );
}
