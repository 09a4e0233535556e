/**
 * The connection report for IT: signs each listed test account in, one after another, and
 * reports what came back — error code, AD bind sub-code and its meaning, groups, timings —
 * and whether that is what the account's `expect` said. Nothing is kept: every sign-in is
 * `keep: "none"` (no keychain, no memory), passwords are used for their one
 * request and never copied into the report (the attempts log is redacted by construction).
 */
import { adSubcodeMeaning } from '../shared/ad-subcodes.js';
import { invalidInput, type Said, type SignInError } from '../shared/errors.js';
import type {
  ConnectionReport,
  ReportAccount,
  ReportAccountResult,
  ReportSummary,
} from '../shared/report.js';
import {
  AccountsFileError,
  matchesExpectation,
  normaliseExpectation,
} from '../shared/report-accounts.js';
import type { ConnectionKind } from '../shared/settings.js';
import type { SessionResult } from '../shared/session.js';
import { SignInFailure, fail, throwIfCancelled, toSignInError } from './errors.js';
import type { SignetCore, TenantTarget } from './session.js';

export type { ConnectionReport, ReportAccount, ReportAccountResult, ReportSummary };
export {
  AccountsFileError,
  parseAccountsCsv,
  parseAccountsFile,
  parseAccountsJson,
  parseCsv,
  type AccountEntry,
} from '../shared/report-accounts.js';
import { errorText } from '../shared/error-text.js';
export { reportMarkdown, reportText, summaryLine } from '../shared/report-format.js';

export interface ConnectionReportRequest extends TenantTarget {
  /** The connection's name on the tenant (`corp-ldap`). */
  connection: string;
  /** database or ad; default: the connection's kind in settings, else `ad`. */
  kind?: ConnectionKind;
  accounts: ReportAccount[];
  /** Default `openid profile` (the whole profile, groups included). */
  scope?: string;
  signal?: AbortSignal;
  /** Called after each account (the CLI shows progress on a terminal). */
  onAccount?: (row: ReportAccountResult, done: number, total: number) => void;
}

export const REPORT_SCOPE = 'openid profile';

/**
 * Errors that mean the tenant itself was not reached: when the first account gets one, the
 * run stops and rejects with it (a report of N identical network errors tells IT nothing).
 */
function tenantUnreachable(e: SignInError): boolean {
  if (['network_unreachable', 'dns_failed', 'tls_error'].includes(e.code)) return true;
  return e.code === 'timeout' && e.detail?.phase === 'connect';
}

const whole = (ms: number) => Math.round(ms);

function groupsOf(s: SessionResult): string[] {
  if (s.profile.groups) return s.profile.groups;
  // A tenant may namespace the claim (`https://example.com/groups`).
  const claim = s.claims.find((c) => /(^|[/:])groups$/i.test(c.name) && Array.isArray(c.raw));
  return claim ? (claim.items ?? (claim.raw as unknown[]).map(String)) : [];
}

function successRow(
  base: Pick<ReportAccountResult, 'index' | 'username' | 'note' | 'expected'>,
  s: SessionResult,
  totalMs: number,
): ReportAccountResult {
  const { expected, ...head } = base;
  const row: ReportAccountResult = {
    ...head,
    result: 'success',
    errorCode: null,
    message: null,
    description: null,
    status: 200,
    adSubCode: null,
    adMeaning: null,
    user: {
      sub: s.profile.sub,
      ...(s.profile.name ? { name: s.profile.name } : {}),
      ...(s.profile.email ? { email: s.profile.email } : {}),
    },
    groups: groupsOf(s),
    verification: s.verification.status,
    timings: { totalMs: whole(totalMs), requestMs: whole(s.timings.requestMs) },
    expected,
    matches: null,
  };
  if (expected) row.matches = matchesExpectation(expected, row);
  return row;
}

function failureRow(
  base: Pick<ReportAccountResult, 'index' | 'username' | 'note' | 'expected'>,
  e: SignInError,
  totalMs: number,
): ReportAccountResult {
  const d = e.detail ?? {};
  const adSubCode = typeof d.ldapStatus === 'string' ? d.ldapStatus : null;
  const adMeaning =
    typeof d.ldapMeaning === 'string'
      ? d.ldapMeaning
      : adSubCode
        ? (adSubcodeMeaning(adSubCode) ?? null)
        : null;
  const { expected, ...head } = base;
  const row: ReportAccountResult = {
    ...head,
    result: 'failure',
    errorCode: e.code,
    message: e.message,
    description: e.description ?? null,
    status: e.status ?? null,
    adSubCode,
    adMeaning,
    user: null,
    groups: [],
    verification: e.code === 'token_invalid' ? 'failed' : null,
    // For a failure the request is (nearly) all of it: the answer ended the attempt.
    timings: { totalMs: whole(totalMs), requestMs: whole(totalMs) },
    expected,
    matches: null,
  };
  const tenantCode = typeof d.error === 'string' ? d.error : null;
  if (expected) row.matches = matchesExpectation(expected, { ...row, tenantCode });
  return row;
}

/** Counts the rows. */
export function summarise(rows: ReportAccountResult[], totalMs: number): ReportSummary {
  const count = (f: (r: ReportAccountResult) => boolean) => rows.filter(f).length;
  return {
    total: rows.length,
    succeeded: count((r) => r.result === 'success'),
    failed: count((r) => r.result === 'failure'),
    matched: count((r) => r.matches === true),
    mismatched: count((r) => r.matches === false),
    unchecked: count((r) => r.matches === null),
    totalMs: whole(totalMs),
  };
}

/** A sign-in that came back without an id_token is not a success row. */
const NO_TOKEN: SignInError = {
  code: 'bad_response',
  ...errorText('errors.report.noIdToken'),
  status: 200,
  detail: { problem: 'no id_token to verify' },
};

/**
 * An id_token Signet could not verify (HS256: signed with the client secret, which a desktop
 * app does not hold) proves nothing: anyone between Signet and the tenant could have made it.
 */
const unverified = (alg: string | null): SignInError => ({
  code: 'token_invalid',
  ...(alg ? errorText('errors.report.unverifiable', { alg }) : errorText('errors.report.unsigned')),
  status: 200,
  detail: { problem: 'id_token not verifiable', alg },
});

const invalid = (text: Said, field: string): SignInError => invalidInput(field, text);

/**
 * Runs the report: signs each account in sequentially (never in parallel: a directory's
 * lockout policy counts attempts) and resolves with one row per account plus a summary.
 *
 * Rejects (`SignInFailure`) only for the run as a whole: `config_invalid` (no tenant or
 * client), `invalid_input` (an empty list, a blank username or password, an unknown
 * `expect`), `cancelled` (the signal), or — when the very first account cannot reach the
 * tenant — that network error. Every per-account outcome, failure included, is a row.
 */
export async function runConnectionReport(
  core: SignetCore,
  req: ConnectionReportRequest,
): Promise<ConnectionReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const target = core.resolveTarget(req);
  if (!req.connection.trim()) fail(invalid(errorText('errors.report.noConnection'), 'connection'));
  const kind =
    req.kind ?? core.settings.connections.find((c) => c.name === req.connection)?.kind ?? 'ad';
  if (kind === 'sms') fail(invalid(errorText('errors.report.notSms'), 'kind'));
  if (req.accounts.length === 0) fail(invalid(errorText('errors.report.noAccounts'), 'accounts'));
  const accounts = req.accounts.map((a, i) => {
    const where = `accounts[${i}]`;
    if (!a.username.trim())
      fail(invalid(errorText('errors.report.noUsername', { n: i + 1 }), where));
    if (!a.password)
      fail(
        invalid(errorText('errors.report.noPassword', { n: i + 1, username: a.username }), where),
      );
    let expected: string | null = null;
    if (a.expect !== undefined && a.expect.trim()) {
      try {
        expected = normaliseExpectation(a.expect);
      } catch (err) {
        if (!(err instanceof AccountsFileError)) throw err;
        fail(invalid(`Account ${i + 1} (${a.username}): ${err.message}.`, `${where}.expect`));
      }
    }
    return { ...a, expected };
  });

  const rows: ReportAccountResult[] = [];
  for (const [i, a] of accounts.entries()) {
    throwIfCancelled(req.signal);
    const base = {
      index: i + 1,
      username: a.username.trim(),
      note: a.note?.trim() || null,
      expected: a.expected,
    };
    const t0 = performance.now();
    let row: ReportAccountResult;
    try {
      const s = await core.signIn({
        ...(req.tenant ? { tenant: req.tenant } : {}),
        ...(req.clientId ? { clientId: req.clientId } : {}),
        connection: req.connection,
        kind,
        username: a.username,
        password: a.password,
        scope: req.scope ?? REPORT_SCOPE,
        keep: 'none',
        ...(req.signal ? { signal: req.signal } : {}),
      });
      // A success is a sign-in with an id_token that verified (the README's promise); a scope
      // without openid gets none, and an HS256 token (`unverifiable`) proves nothing.
      if (s.verification.alg === null) fail(NO_TOKEN);
      if (s.verification.status !== 'verified') fail(unverified(s.verification.alg));
      row = successRow(base, s, performance.now() - t0);
    } catch (err) {
      const e = toSignInError(err);
      if (e.code === 'cancelled' || (i === 0 && tenantUnreachable(e)))
        throw err instanceof SignInFailure ? err : new SignInFailure(e);
      row = failureRow(base, e, performance.now() - t0);
    }
    rows.push(row);
    req.onAccount?.(row, rows.length, accounts.length);
  }

  return {
    tenant: target.tenant,
    clientId: target.clientId,
    connection: { name: req.connection, kind },
    startedAt,
    finishedAt: new Date().toISOString(),
    accounts: rows,
    summary: summarise(rows, performance.now() - started),
  };
}
