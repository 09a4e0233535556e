/**
 * The connection report's accounts file: CSV (RFC 4180, header row `username,password,expect,
 * note`) or JSON (an array of `{username, password?, expect?, note?}`), and the `expect`
 * vocabulary. Pure (no Node), so the renderer can read a file the user picked the same way.
 *
 * Error messages name lines, items and columns but never quote a field: a field may be a
 * password.
 */
import Papa from 'papaparse';
import type { Expectation, ReportAccount, ReportAccountResult } from './report';

/** An account as read from a file: the password may be missing (the CLI then prompts). */
export interface AccountEntry extends Omit<ReportAccount, 'password'> {
  password?: string;
  /** Where it was: the CSV line its record starts on, or the JSON item (1-based). */
  line: number;
}

/** A file that cannot be read as an accounts list (the CLI exits 2). */
export class AccountsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountsFileError';
  }
}

export const ACCOUNT_COLUMNS = ['username', 'password', 'expect', 'note'] as const;

/** One CSV record and the line it starts on (a quoted field may span lines). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** A quoted field: its quotes doubled inside (RFC 4180). */
const QUOTED_FIELD = /"(?:[^"]|"")*"/y;
/** An unquoted field: everything up to the next comma or line break. */
const BARE_FIELD = /[^,\n]*/y;

/**
 * Checks one record's raw text against RFC 4180's field grammar, which Papa Parse reads
 * leniently (it takes a quote inside an unquoted field as text and skips spaces after a closing
 * quote). Throws naming the line of the problem, never its text.
 */
function checkQuoting(raw: string, firstLine: number): void {
  const lineAt = (pos: number) => firstLine + (raw.slice(0, pos).match(/\n/g)?.length ?? 0);
  let pos = 0;
  for (;;) {
    if (raw[pos] === '"') {
      QUOTED_FIELD.lastIndex = pos;
      if (!QUOTED_FIELD.test(raw))
        throw new AccountsFileError(`line ${lineAt(pos)}: a quoted field is never closed`);
      pos = QUOTED_FIELD.lastIndex;
      if (pos < raw.length && raw[pos] !== ',' && raw[pos] !== '\n')
        throw new AccountsFileError(
          `line ${lineAt(pos)}: text after a closing quote (a quoted field must end at the comma or line end)`,
        );
    } else {
      BARE_FIELD.lastIndex = pos;
      BARE_FIELD.test(raw);
      if (raw.slice(pos, BARE_FIELD.lastIndex).includes('"'))
        throw new AccountsFileError(
          `line ${lineAt(pos)}: a quote inside an unquoted field (quote the whole field and double the quote: "a""b")`,
        );
      pos = BARE_FIELD.lastIndex;
    }
    if (raw[pos] !== ',') return;
    pos++;
  }
}

/**
 * Splits CSV text into records (RFC 4180) with Papa Parse: fields separated by commas,
 * records by CRLF, LF or CR; a field containing a comma, quote or line break is quoted, its
 * quotes doubled (a line break inside quotes is read as LF). A leading byte-order mark is
 * ignored, blank lines are skipped. Strict where a lenient reader would guess: a quote inside
 * an unquoted field, text after a closing quote, or an unclosed quote is an error naming the
 * line (see `checkQuoting`).
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  const records: CsvRecord[] = [];
  let start = 0; // where the current record's raw text starts
  let line = 1; // the line it starts on
  Papa.parse<string[]>(src, {
    delimiter: ',',
    newline: '\n',
    quoteChar: '"',
    escapeChar: '"',
    step: (row) => {
      const end = row.meta.cursor;
      const raw = src.slice(start, end).replace(/\n$/, '');
      // A line of nothing (or only spaces) is skipped; a quoted or comma-separated one is not.
      if (raw.trim() !== '') {
        checkQuoting(raw, line);
        // Papa Parse reports any quoting error checkQuoting let through: refuse it too.
        if (row.errors.length > 0)
          throw new AccountsFileError(`line ${line}: the quotes of this record do not match`);
        records.push({ fields: row.data, line });
      }
      line += src.slice(start, end).match(/\n/g)?.length ?? 0;
      start = end;
    },
  });
  return records;
}

/**
 * Normalises an `expect` value: `success`, an error code (`invalid_user_password`,
 * `unauthorized`, `a0.mfa_required`, …) or `ldap:<AD sub-code>` (`ldap:533`). Throws
 * `AccountsFileError` for anything else.
 */
export function normaliseExpectation(raw: string): Expectation {
  const s = raw.trim();
  if (/^success$/i.test(s)) return 'success';
  const ldap = /^ldap:\s*([0-9a-f]{2,8})$/i.exec(s);
  if (ldap) return `ldap:${ldap[1]!.toLowerCase()}`;
  if (/^[a-z][a-z0-9_.]*$/i.test(s) && !/^ldap$/i.test(s)) return s;
  throw new AccountsFileError(
    'expect must be "success", an error code such as invalid_user_password, or ldap:<AD sub-code> such as ldap:533',
  );
}

/** Whether a report row's outcome is what `expected` says. */
export function matchesExpectation(
  expected: Expectation,
  row: Pick<ReportAccountResult, 'result' | 'errorCode' | 'adSubCode'> & {
    /** The tenant's own code when Signet's differs (e.g. behind `server_error`). */
    tenantCode?: string | null;
  },
): boolean {
  if (expected === 'success') return row.result === 'success';
  if (row.result === 'success') return false;
  if (expected.startsWith('ldap:')) return row.adSubCode === expected.slice(5);
  return row.errorCode === expected || (row.tenantCode ?? null) === expected;
}

function entry(
  values: { username?: string; password?: string; expect?: string; note?: string },
  line: number,
  where: string,
): AccountEntry {
  const username = (values.username ?? '').trim();
  if (!username) throw new AccountsFileError(`${where}: the username is empty`);
  const out: AccountEntry = { username, line };
  // A password is taken exactly as written (spaces may be part of it); empty means "ask".
  if (values.password) out.password = values.password;
  const expect = values.expect?.trim();
  if (expect) {
    try {
      out.expect = normaliseExpectation(expect);
    } catch (err) {
      throw new AccountsFileError(`${where}: ${(err as Error).message}`);
    }
  }
  const note = values.note?.trim();
  if (note) out.note = note;
  return out;
}

/** Reads a CSV accounts file; see `parseCsv` and the module comment. */
export function parseAccountsCsv(text: string): AccountEntry[] {
  const records = parseCsv(text);
  const header = records.shift();
  if (!header) throw new AccountsFileError('the file is empty (expected a header row)');
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const known = new Set<string>(ACCOUNT_COLUMNS);
  columns.forEach((c, i) => {
    if (!known.has(c))
      throw new AccountsFileError(
        `line ${header.line}: column ${i + 1} of the header is not one of username, password, expect, note (the first row must be the header, separated by commas)`,
      );
    if (columns.indexOf(c) !== i)
      throw new AccountsFileError(`line ${header.line}: the column ${c} appears twice`);
  });
  if (!columns.includes('username'))
    throw new AccountsFileError(`line ${header.line}: the header has no username column`);
  if (records.length === 0) throw new AccountsFileError('the file lists no accounts');
  return records.map((r) => {
    if (r.fields.length !== columns.length)
      throw new AccountsFileError(
        `line ${r.line}: ${r.fields.length} field${r.fields.length === 1 ? '' : 's'}, but the header has ${columns.length} (quote a field that contains a comma)`,
      );
    const values: Record<string, string> = {};
    columns.forEach((c, i) => (values[c] = r.fields[i]!));
    return entry(values, r.line, `line ${r.line}`);
  });
}

/** Reads a JSON accounts file: an array of `{username, password?, expect?, note?}`. */
export function parseAccountsJson(text: string): AccountEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    // The parser's message quotes the text around the problem; only its position is kept.
    const pos = /position (\d+)/.exec(String((err as Error).message));
    const at = pos ? ` (line ${text.slice(0, Number(pos[1])).split('\n').length})` : '';
    throw new AccountsFileError(`not valid JSON${at}`);
  }
  if (!Array.isArray(json))
    throw new AccountsFileError('expected a JSON array of {username, password, expect, note}');
  if (json.length === 0) throw new AccountsFileError('the file lists no accounts');
  // Checked by hand rather than with zod: the renderer may use this and never loads zod.
  const known = new Set<string>(ACCOUNT_COLUMNS);
  return json.map((item: unknown, i) => {
    const where = `item ${i + 1}`;
    if (!item || typeof item !== 'object' || Array.isArray(item))
      throw new AccountsFileError(`${where}: must be an object {username, password, expect, note}`);
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(item)) {
      // Field names are echoed, values never (one may be a password).
      if (!known.has(k))
        throw new AccountsFileError(
          `${where}: unknown field ${JSON.stringify(k.slice(0, 40))} (expected username, password, expect, note)`,
        );
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') throw new AccountsFileError(`${where}: ${k} must be a string`);
      values[k] = v;
    }
    return entry(values, i + 1, where);
  });
}

/** Reads an accounts file by its name: `.json` is JSON, anything else CSV (`.csv`, `.txt`). */
export function parseAccountsFile(name: string, text: string): AccountEntry[] {
  return /\.json$/i.test(name) ? parseAccountsJson(text) : parseAccountsCsv(text);
}
