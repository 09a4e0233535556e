/**
 * The AD connection report (`signet test-connection`, Diagnostics → Test connection): each
 * listed test account signed in once, what came back, and whether that is what IT expected.
 * Pure types, shared by core (which builds it), the CLI and the renderer (which show it).
 * No password ever appears in a report: the accounts' passwords live only in the call.
 */
import type { ConnectionKind } from './settings';

/**
 * What an account is expected to do:
 * - `success` — it signs in;
 * - an error code (`invalid_user_password`, `unauthorized`, `too_many_attempts`, …) — it fails
 *   with that code (Signet's code, or the tenant's own code behind a `server_error`);
 * - `ldap:<sub-code>` (`ldap:533`, `ldap:52e`) — it fails with that AD bind sub-code.
 */
export type Expectation = string;

/** One test account, as the accounts file or the Diagnostics form lists it. */
export interface ReportAccount {
  username: string;
  /** Used for this one sign-in only; never stored, logged or reported. */
  password: string;
  expect?: Expectation;
  /** Free text for IT ("disabled in March", "service desk ticket 1234"). */
  note?: string;
}

/** One account's row in the report. */
export interface ReportAccountResult {
  /** 1-based position in the list. */
  index: number;
  username: string;
  note: string | null;
  result: 'success' | 'failure';
  /** `SignInError.code` of a failure; null on success. */
  errorCode: string | null;
  /** The sentence a user would read (failure); null on success. */
  message: string | null;
  /** The tenant's own `error_description`, when it sent one. */
  description: string | null;
  /** HTTP status of the tenant's answer (200 on success); null when no answer came. */
  status: number | null;
  /** AD bind sub-code (`52e`, `533`, …) and its meaning (spec §5), when the tenant sent one. */
  adSubCode: string | null;
  adMeaning: string | null;
  /** Who signed in (success only). */
  user: { sub: string; name?: string; email?: string } | null;
  /** Groups the successful sign-in carries (the id_token's `groups`); empty otherwise. */
  groups: string[];
  /** The id_token's verification; null when no token came back. */
  verification: 'verified' | 'unverifiable' | 'failed' | null;
  /** Milliseconds: the whole sign-in, and the tenant's request(s) within it. */
  timings: { totalMs: number; requestMs: number };
  /** The account's `expect`, as normalised; null when none was given. */
  expected: Expectation | null;
  /** Whether the result is what was expected; null when nothing was expected. */
  matches: boolean | null;
}

export interface ReportSummary {
  total: number;
  succeeded: number;
  failed: number;
  /** Accounts with an `expect` whose result matched it. */
  matched: number;
  /** Accounts with an `expect` whose result differed (the CLI exits 1 when > 0). */
  mismatched: number;
  /** Accounts without an `expect` (they count towards neither). */
  unchecked: number;
  totalMs: number;
}

/** The whole report. */
export interface ConnectionReport {
  /** The tenant's base URL. */
  tenant: string;
  clientId: string;
  connection: { name: string; kind: ConnectionKind };
  /** ISO times the run started and ended. */
  startedAt: string;
  finishedAt: string;
  accounts: ReportAccountResult[];
  summary: ReportSummary;
}
