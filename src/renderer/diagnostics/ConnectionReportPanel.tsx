/**
 * Diagnostics → Connection report: IT lists test accounts (from a CSV/JSON file read in the
 * page, or typed), Signet signs each one in once against a connection (`testConnection`), and
 * the report shows what came back for each and whether it is what was expected.
 *
 * Passwords: held only in the password inputs and a private map (not React state, so never in
 * a DOM attribute), sent in the one call, and cleared from both when the run ends — whatever
 * way it ends. The report itself never contains them.
 */
import { REPORT_LIMITS } from '../../shared/auth0-protocol';
import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type ChangeEvent,
  type FormEvent,
  type ReactNode,
} from 'react';
import type { SettingsView } from '../../shared/ipc';
import type { ConnectionReport, ReportAccount } from '../../shared/report';
import {
  AccountsFileError,
  normaliseExpectation,
  parseAccountsFile,
} from '../../shared/report-accounts';
import { signet } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { ConnectionSelect, useConnectionChoice } from '../components/ConnectionSelect';
import { FieldRow } from '../components/FieldRow';
import { CallForm } from '../components/CallForm';
import { useCancellableCall } from '../hooks/use-cancellable-call';
import {
  accountFieldId,
  ReportAccountsEditor,
  type AccountRow,
  type PasswordBinding,
  type RowErrors,
} from './ReportAccountsEditor';
import { ReportResults, reportFiles, revokeReportFiles, type ReportFiles } from './ReportResults';
import { useT, type Translate } from '../i18n';
import { useFormat, type Formatters } from '../i18n/format';
import { Code, Data, rich } from '../i18n/rich';

/** Most accounts one run may list (the `testConnection` request's limit). */
const MAX_ACCOUNTS = REPORT_LIMITS.accounts;
/** An accounts file larger than this is not one (200 accounts fit in a few KB). */
const MAX_FILE_BYTES = 1024 * 1024;

let nextRowId = 1;
const newRow = (patch: Partial<Omit<AccountRow, 'id'>> = {}): AccountRow => ({
  id: nextRowId++,
  username: '',
  expect: '',
  note: '',
  ...patch,
});

/**
 * What loading the accounts file did, kept as facts (not a sentence) so it reads in the
 * window's current language even after a switch.
 */
type FileStatus =
  | { ok: true; file: string; count: number; missing: number }
  | { ok: false; file: string; why: 'tooLarge'; kb: number }
  | { ok: false; file: string; why: 'tooMany'; count: number }
  | { ok: false; file: string; why: 'unreadable' }
  /** The parser's reason: English, naming lines and columns, never a field's value. */
  | { ok: false; file: string; why: 'invalid'; reason: string };

/** The file status as a sentence, the file name (and the parser's reason) as sent. */
function fileStatusText(status: FileStatus, t: Translate, f: Formatters): ReactNode {
  const file = () => <Data ltr>{status.file}</Data>;
  if (status.ok) {
    const loaded = rich(t, 'diagnostics.report.loaded', { 0: file }, { count: status.count });
    if (!status.missing) return loaded;
    return (
      <>
        {loaded} {t('diagnostics.report.missingPasswords', { count: status.missing })}
      </>
    );
  }
  switch (status.why) {
    case 'tooLarge':
      return rich(
        t,
        'diagnostics.report.fileTooLarge',
        { 0: file },
        {
          size: f.number(status.kb, { style: 'unit', unit: 'kilobyte' }),
          max: MAX_ACCOUNTS,
        },
      );
    case 'tooMany':
      return rich(
        t,
        'diagnostics.report.fileTooMany',
        { 0: file },
        { count: status.count, max: MAX_ACCOUNTS },
      );
    case 'unreadable':
      return rich(t, 'diagnostics.report.fileUnreadable', { 0: file });
    case 'invalid':
      return rich(t, 'diagnostics.report.fileInvalid', {
        0: file,
        1: () => (
          <span translate="no" lang="en" dir="ltr">
            {status.reason}
          </span>
        ),
      });
  }
}

/** The connection report form, its run, and its result. */
export default function ConnectionReportPanel({
  view,
  onRun,
}: {
  view: SettingsView;
  /** Called after every run (the attempts log has grown). */
  onRun?: () => void;
}) {
  const t = useT();
  const f = useFormat();
  const ids = useId();
  const choice = useConnectionChoice(view.settings.connections, 'ad');
  const { connections, connection } = choice;
  const [rows, setRows] = useState<AccountRow[]>(() => [newRow()]);
  const [errors, setErrors] = useState<Record<number, RowErrors>>({});
  const [formError, setFormError] = useState('');
  const [fileStatus, setFileStatus] = useState<FileStatus | null>(null);
  const [focusRow, setFocusRow] = useState<{ id: number | 'add'; n: number } | null>(null);
  const call = useCancellableCall();
  const { busy, error, setError } = call;
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const [result, setResult] = useState<{ report: ConnectionReport; files: ReportFiles } | null>(
    null,
  );
  // The export links' object URLs live as long as their report; a new report gets the focus.
  useEffect(() => {
    if (result) resultsHeading.current?.focus();
    return () => {
      if (result) revokeReportFiles(result.files);
    };
  }, [result]);
  const formErrorRef = useRef<HTMLParagraphElement>(null);

  // Passwords: the map is the truth; each input is uncontrolled and filled from it on mount.
  const passwords = useRef(new Map<number, string>());
  const inputs = useRef(new Map<number, HTMLInputElement>());
  const refs = useRef(new Map<number, (el: HTMLInputElement | null) => void>());
  const password: PasswordBinding = {
    ref: (id) => {
      let ref = refs.current.get(id);
      if (!ref) {
        ref = (el) => {
          if (el) {
            inputs.current.set(id, el);
            el.value = passwords.current.get(id) ?? '';
          } else inputs.current.delete(id);
        };
        refs.current.set(id, ref);
      }
      return ref;
    },
    onInput: (id, value) => {
      if (value) passwords.current.set(id, value);
      else passwords.current.delete(id);
    },
  };
  const clearPasswords = useCallback(() => {
    passwords.current.clear();
    for (const el of inputs.current.values()) el.value = '';
  }, []);

  const focus = (id: number | 'add') => setFocusRow((f) => ({ id, n: (f?.n ?? 0) + 1 }));

  function change(id: number, patch: Partial<Omit<AccountRow, 'id'>>) {
    setRows((rs) => rs.map((r) => (r.id === id ? { ...r, ...patch } : r)));
    // The field's error goes once it is edited.
    setErrors((es) => {
      if (!es[id]) return es;
      const next = { ...es[id] };
      for (const k of Object.keys(patch)) delete next[k as keyof RowErrors];
      return { ...es, [id]: next };
    });
  }

  function add() {
    const row = newRow();
    setRows((rs) => [...rs, row]);
    focus(row.id);
  }

  function remove(id: number) {
    const at = rows.findIndex((r) => r.id === id);
    const rest = rows.filter((r) => r.id !== id);
    setRows(rest);
    passwords.current.delete(id);
    refs.current.delete(id);
    const next = rest[at] ?? rest[at - 1];
    focus(next ? next.id : 'add');
  }

  async function loadFile(e: ChangeEvent<HTMLInputElement>) {
    const input = e.currentTarget;
    const file = input.files?.[0];
    // Choosing the same file again (after fixing it) must load it again.
    input.value = '';
    if (!file) return;
    setFormError('');
    if (file.size > MAX_FILE_BYTES) {
      setFileStatus({
        ok: false,
        file: file.name,
        why: 'tooLarge',
        kb: Math.round(file.size / 1024),
      });
      return;
    }
    try {
      const entries = parseAccountsFile(file.name, await file.text());
      if (entries.length > MAX_ACCOUNTS) {
        setFileStatus({ ok: false, file: file.name, why: 'tooMany', count: entries.length });
        return;
      }
      clearPasswords();
      refs.current.clear();
      const loaded = entries.map((entry) => {
        const row = newRow({
          username: entry.username,
          expect: entry.expect ?? '',
          note: entry.note ?? '',
        });
        if (entry.password) passwords.current.set(row.id, entry.password);
        return row;
      });
      setRows(loaded);
      setErrors({});
      const missing = entries.filter((x) => !x.password).length;
      setFileStatus({ ok: true, file: file.name, count: entries.length, missing });
    } catch (err) {
      // The parser's messages name lines and columns, never a field's value (it may be a password).
      setFileStatus(
        err instanceof AccountsFileError
          ? { ok: false, file: file.name, why: 'invalid', reason: err.message }
          : { ok: false, file: file.name, why: 'unreadable' },
      );
    }
  }

  /** The accounts to send, or the problems of each row. Blank rows are left out. */
  function collect(): { accounts: ReportAccount[]; errors: Record<number, RowErrors> } {
    const accounts: ReportAccount[] = [];
    const found: Record<number, RowErrors> = {};
    for (const row of rows) {
      const pw = passwords.current.get(row.id) ?? '';
      const username = row.username.trim();
      const expect = row.expect.trim();
      const note = row.note.trim();
      if (!username && !pw && !expect && !note) continue;
      const e: RowErrors = {};
      if (!username) e.username = t('diagnostics.report.needUsername');
      if (!pw) e.password = t('diagnostics.report.needPassword');
      if (expect) {
        try {
          normaliseExpectation(expect);
        } catch {
          e.expect = t('diagnostics.report.badExpect');
        }
      }
      if (Object.keys(e).length) found[row.id] = e;
      else
        accounts.push({
          username,
          password: pw,
          ...(expect ? { expect } : {}),
          ...(note ? { note } : {}),
        });
    }
    return { accounts, errors: found };
  }

  async function run(e: FormEvent) {
    e.preventDefault();
    if (busy || !connection) return;
    const { accounts, errors: found } = collect();
    setErrors(found);
    const invalid = Object.keys(found).length;
    let problem = '';
    if (invalid) problem = t('diagnostics.report.needAttention', { count: invalid });
    else if (accounts.length === 0) problem = t('diagnostics.report.noAccounts');
    else if (accounts.length > MAX_ACCOUNTS)
      problem = t('diagnostics.report.tooMany', { max: MAX_ACCOUNTS, count: accounts.length });
    setFormError(problem);
    if (problem) {
      const first = rows.find((r) => found[r.id]);
      if (first) {
        const f = found[first.id]!;
        const field = f.username ? 'username' : f.password ? 'password' : 'expect';
        document.getElementById(accountFieldId(`${ids}-row`, first.id, field))?.focus();
      } else formErrorRef.current?.focus();
      return;
    }
    setResult(null);
    const r = await call.run(
      t('diagnostics.report.testing', {
        count: accounts.length,
        connection: connection.label ?? connection.name,
      }),
      () => signet.testConnection({ connection: connection.name, accounts }),
      {
        cancelled: t('diagnostics.report.cancelled'),
        settled: () => {
          accounts.length = 0;
          clearPasswords();
        },
      },
    );
    onRun?.();
    if (!r) return;
    setResult({ report: r, files: reportFiles(r) });
    call.setNotice(t('diagnostics.report.cleared'));
  }

  if (connections.length === 0) return <p className="empty">{t('diagnostics.report.none')}</p>;

  return (
    <div className="connection-report">
      <p className="muted">{t('diagnostics.report.intro')}</p>
      <CallForm
        submit={t('diagnostics.report.run')}
        call={call}
        onSubmit={(e) => void run(e)}
        label={t('diagnostics.report.form')}
        noValidate
        banner={false}
      >
        <ConnectionSelect label={t('diagnostics.report.connection')} choice={choice} />
        <FieldRow id={`${ids}-file`} label={t('diagnostics.report.file')}>
          <input
            id={`${ids}-file`}
            type="file"
            accept=".csv,.json,.txt,text/csv,application/json"
            aria-describedby={`${ids}-file-hint${fileStatus ? ` ${ids}-file-status` : ''}`}
            onChange={(e) => void loadFile(e)}
          />
          <p id={`${ids}-file-hint`} className="field-hint">
            {rich(t, 'diagnostics.report.fileHint', {
              0: () => <Code>username, 1: password, 2: expect, 3: note</Code>,
              4: () => <Code>{'{username, password, expect, note}'}</Code>,
            })}
          </p>
          {fileStatus && (
            <p
              id={`${ids}-file-status`}
              role={fileStatus.ok ? 'status' : 'alert'}
              className={fileStatus.ok ? 'file-status' : 'field-error file-status'}
            >
              {fileStatusText(fileStatus, t, f)}
            </p>
          )}
        </FieldRow>
        <p id={`${ids}-expect-hint`} className="field-hint">
          {rich(t, 'diagnostics.report.expectHint', {
            0: () => <Code>success</Code>,
            1: () => <Code>invalid_user_password</Code>,
            2: () => <Code>unauthorized</Code>,
            3: () => <Code>ldap:533</Code>,
          })}
        </p>
        <ReportAccountsEditor
          idPrefix={`${ids}-row`}
          expectHintId={`${ids}-expect-hint`}
          rows={rows}
          errors={errors}
          password={password}
          focusRow={focusRow}
          onChange={change}
          onAdd={add}
          onRemove={remove}
        />
        {formError && (
          <p ref={formErrorRef} tabIndex={-1} role="alert" className="field-error">
            {formError}
          </p>
        )}
      </CallForm>
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {result && (
        <ReportResults report={result.report} files={result.files} headingRef={resultsHeading} />
      )}
    </div>
  );
}
