/**
 * The connection report as text: Markdown (a table, the failures' sentences, a summary line)
 * for tickets and wikis, and plain aligned text for a terminal. Pure, so the renderer's export
 * and the CLI print the same thing. The JSON form is the report object itself.
 *
 * Every value in a row came from a user (username, note, expect) or a tenant (description,
 * groups, AD meaning): the Markdown goes through one cell formatter (`markdownText`: one line,
 * Markdown and HTML escaped) and the text through `terminalLine`, so neither a forged row nor
 * a link, an image, raw HTML or a terminal escape can come out of a value.
 */
import type { ConnectionReport, ReportAccountResult, ReportSummary } from './report';
import { markdownText, terminalLine } from './untrusted-text';

const dash = '—';

/** `52e (wrong password)`, or — . */
function adText(r: ReportAccountResult): string {
  if (!r.adSubCode) return dash;
  return r.adMeaning ? `${r.adSubCode} (${r.adMeaning})` : r.adSubCode;
}

/** `invalid_user_password · HTTP 401`, or — on success. */
function errorText(r: ReportAccountResult): string {
  if (r.result === 'success') return dash;
  return [r.errorCode, r.status !== null ? `HTTP ${r.status}` : ''].filter(Boolean).join(' · ');
}

function matchText(r: ReportAccountResult): string {
  return r.matches === null ? dash : r.matches ? '✓' : '✗ differs';
}

/** The summary as one line. */
export function summaryLine(s: ReportSummary): string {
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  return (
    `${plural(s.total, 'account')}: ${s.succeeded} signed in, ${s.failed} failed · ` +
    `${s.matched} as expected, ${s.mismatched} differ${s.mismatched === 1 ? 's' : ''}` +
    (s.unchecked ? `, ${s.unchecked} without expectation` : '') +
    ` · ${s.totalMs} ms`
  );
}

/** The verdict a script or a reader wants first. */
function verdict(s: ReportSummary): string {
  if (s.mismatched > 0)
    return `${s.mismatched} account${s.mismatched === 1 ? '' : 's'} did not do what was expected.`;
  if (s.matched > 0) return 'Every account did what was expected.';
  return 'No account had an expectation to check.';
}

const cell = markdownText;

/** The cells both tables start with: #, account, expected, result, match, error, AD, groups. */
function accountCells(r: ReportAccountResult): string[] {
  return [
    String(r.index),
    r.username,
    r.expected ?? dash,
    r.result,
    matchText(r),
    errorText(r),
    adText(r),
    r.groups.length ? r.groups.join(', ') : dash,
  ];
}

/** The report as Markdown: a heading, one table row per account, the failures' details. */
export function reportMarkdown(report: ConnectionReport): string {
  const lines = [
    '# Connection report',
    '',
    `Connection ${cell(report.connection.name)} (${cell(report.connection.kind)}) · tenant ${cell(report.tenant)} · client ${cell(report.clientId)} · ${cell(report.startedAt)}`,
    '',
    '| # | Account | Expected | Result | Matches | Error | AD sub-code | Groups | Token | ms | Note |',
    '|---:|---|---|---|---|---|---|---|---|---:|---|',
  ];
  for (const r of report.accounts) {
    lines.push(
      `| ${[...accountCells(r), r.verification ?? dash, String(r.timings.totalMs), r.note ?? '']
        .map(cell)
        .join(' | ')} |`,
    );
  }
  const failures = report.accounts.filter((r) => r.result === 'failure');
  if (failures.length) {
    lines.push('', '## What the failures said', '');
    for (const r of failures)
      lines.push(
        `${r.index}. **${cell(r.username)}** — ${cell(r.message ?? '')}` +
          (r.description ? ` (tenant: “${cell(r.description)}”)` : ''),
      );
  }
  lines.push('', `**Summary:** ${summaryLine(report.summary)}. ${verdict(report.summary)}`, '');
  return lines.join('\n');
}

/** Pads columns to their widest cell (by code points, so ✓ and — count as one). */
function table(rows: string[][]): string[] {
  const len = (s: string) => [...s].length;
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => len(r[c] ?? ''))));
  return rows.map((r) =>
    r
      .map((v, c) => (c === r.length - 1 ? v : v + ' '.repeat(widths[c]! - len(v))))
      .join('  ')
      .trimEnd(),
  );
}

/** The report for a terminal: aligned columns, the failures' sentences, the summary. */
export function reportText(report: ConnectionReport): string {
  const rows = [
    ['#', 'account', 'expected', 'result', 'match', 'error', 'AD sub-code', 'groups', 'ms'],
    ...report.accounts.map((r) =>
      [...accountCells(r), String(r.timings.totalMs)].map(terminalLine),
    ),
  ];
  const t = terminalLine;
  const lines = [
    `Connection report: ${t(report.connection.name)} (${report.connection.kind}) at ${t(report.tenant)} (client ${t(report.clientId)})`,
    '',
    ...table(rows).map((l) => `  ${l}`),
  ];
  const failures = report.accounts.filter((r) => r.result === 'failure');
  if (failures.length) {
    lines.push('');
    for (const r of failures)
      lines.push(
        `  ${r.index} ${t(r.username)}: ${t(r.message ?? '')}` +
          (r.description ? ` (tenant: "${t(r.description)}")` : ''),
      );
  }
  const notes = report.accounts.filter((r) => r.note);
  if (notes.length) {
    lines.push('');
    for (const r of notes) lines.push(`  ${r.index} note: ${t(r.note ?? '')}`);
  }
  lines.push('', `${summaryLine(report.summary)}. ${verdict(report.summary)}`);
  return lines.join('\n');
}
