import { REPORT_LIMITS } from '../../shared/auth0-protocol';
import { useEffect, useRef, type ChangeEvent, type Ref } from 'react';
import { FieldRow } from '../components/FieldRow';
import { useT, type MessageKey } from '../i18n';
import { useFormat } from '../i18n/format';
import { rich } from '../i18n/rich';

/** One test account as the form holds it. Its password is not here: see `PasswordBinding`. */
export interface AccountRow {
  id: number;
  username: string;
  expect: string;
  note: string;
}

export interface RowErrors {
  username?: string;
  password?: string;
  expect?: string;
}

/**
 * The password inputs are uncontrolled: the value lives in the input and in the panel's
 * private map (never in React state, so never in a `value` attribute of the DOM).
 */
export interface PasswordBinding {
  ref(id: number): Ref<HTMLInputElement>;
  onInput(id: number, value: string): void;
}

/** What `expect` usually says, with the key of what it means; the field takes any code. */
export const EXPECT_SUGGESTIONS: readonly [string, MessageKey][] = [
  ['success', 'diagnostics.expect.success'],
  ['invalid_user_password', 'diagnostics.expect.invalid_user_password'],
  ['unauthorized', 'diagnostics.expect.unauthorized'],
  ['too_many_attempts', 'diagnostics.expect.too_many_attempts'],
  ['password_change_required', 'diagnostics.expect.password_change_required'],
  ['ldap:52e', 'diagnostics.expect.ldap52e'],
  ['ldap:532', 'diagnostics.expect.ldap532'],
  ['ldap:533', 'diagnostics.expect.ldap533'],
  ['ldap:701', 'diagnostics.expect.ldap701'],
  ['ldap:773', 'diagnostics.expect.ldap773'],
  ['ldap:775', 'diagnostics.expect.ldap775'],
];

/** The id of a row's input, so the form can focus the first invalid field. */
export const accountFieldId = (prefix: string, rowId: number, field: keyof RowErrors | 'note') =>
  `${prefix}-${rowId}-${field}`;

/**
 * The accounts of a connection report, one fieldset per account (username, password, expect,
 * note, remove), and the button that adds one. Moves focus to a new row's username, and after
 * a removal to the next row (or the add button).
 */
export function ReportAccountsEditor({
  idPrefix,
  expectHintId,
  rows,
  errors,
  password,
  focusRow,
  onChange,
  onAdd,
  onRemove,
}: {
  /** Unique per form: the inputs' ids are built from it (`accountFieldId`). */
  idPrefix: string;
  /** The hint that explains what `expect` takes. */
  expectHintId: string;
  rows: AccountRow[];
  errors: Record<number, RowErrors>;
  password: PasswordBinding;
  /** The row whose username should get focus (after add/remove); `'add'` for the add button. */
  focusRow: { id: number | 'add'; n: number } | null;
  onChange: (id: number, patch: Partial<Omit<AccountRow, 'id'>>) => void;
  onAdd: () => void;
  onRemove: (id: number) => void;
}) {
  const t = useT();
  const f = useFormat();
  const base = idPrefix;
  const usernames = useRef(new Map<number, HTMLInputElement>());
  const addButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!focusRow) return;
    if (focusRow.id === 'add') addButton.current?.focus();
    else usernames.current.get(focusRow.id)?.focus();
  }, [focusRow]);

  const listId = `${base}-expect-list`;
  return (
    <div className="report-accounts">
      <datalist id={listId}>
        {EXPECT_SUGGESTIONS.map(([value, meaning]) => (
          <option key={value} value={value}>
            {t(meaning)}
          </option>
        ))}
      </datalist>
      {rows.length === 0 && <p className="muted">{t('diagnostics.account.none')}</p>}
      {rows.map((row, i) => {
        const err = errors[row.id] ?? {};
        /** A field's row: its label, and its error when the row has one. */
        const fieldRow = (field: keyof RowErrors | 'note', label: string) => ({
          id: accountFieldId(base, row.id, field),
          label,
          className: 'report-field',
          error: field === 'note' ? undefined : err[field],
        });
        /** The input's id, validity and descriptions (its error, then any hint). */
        const checked = (field: keyof RowErrors, hint?: string) => {
          const id = accountFieldId(base, row.id, field);
          return {
            id,
            'aria-invalid': err[field] ? true : undefined,
            'aria-describedby':
              [err[field] ? `${id}-error` : '', hint ?? ''].filter(Boolean).join(' ') || undefined,
          };
        };
        /** A plain-text input that is not a name to correct or complete. */
        const text = (field: 'username' | 'expect') => ({
          type: 'text',
          autoComplete: 'off',
          autoCapitalize: 'off',
          spellCheck: false,
          value: row[field],
          onChange: (e: ChangeEvent<HTMLInputElement>) =>
            onChange(row.id, { [field]: e.target.value }),
        });
        return (
          <fieldset key={row.id} className="report-account" data-row={i + 1}>
            <legend className="visually-hidden">
              {t('diagnostics.account.legend', { n: f.number(i + 1) })}
            </legend>
            <FieldRow {...fieldRow('username', t('diagnostics.account.username'))}>
              <input
                {...checked('username')}
                {...text('username')}
                ref={(el) => {
                  if (el) usernames.current.set(row.id, el);
                  else usernames.current.delete(row.id);
                }}
              />
            </FieldRow>
            <FieldRow {...fieldRow('password', t('diagnostics.account.password'))}>
              <input
                {...checked('password')}
                ref={password.ref(row.id)}
                type="password"
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => password.onInput(row.id, e.target.value)}
              />
            </FieldRow>
            <FieldRow {...fieldRow('expect', t('diagnostics.account.expect'))}>
              <input
                {...checked('expect', expectHintId)}
                {...text('expect')}
                list={listId}
                placeholder={t('diagnostics.account.optional')}
              />
            </FieldRow>
            <FieldRow {...fieldRow('note', t('diagnostics.account.note'))}>
              <input
                id={accountFieldId(base, row.id, 'note')}
                type="text"
                autoComplete="off"
                maxLength={REPORT_LIMITS.noteLength}
                placeholder={t('diagnostics.account.optional')}
                value={row.note}
                onChange={(e) => onChange(row.id, { note: e.target.value })}
              />
            </FieldRow>
            <button
              type="button"
              className="secondary small report-remove"
              onClick={() => onRemove(row.id)}
            >
              {rich(
                t,
                'diagnostics.account.remove',
                { 0: (hidden) => <span className="visually-hidden">{hidden}</span> },
                { n: f.number(i + 1) },
              )}
            </button>
          </fieldset>
        );
      })}
      <button ref={addButton} type="button" className="secondary small" onClick={onAdd}>
        {t('diagnostics.account.add')}
      </button>
    </div>
  );
}
