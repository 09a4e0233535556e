import { useState, type FormEvent, type ReactNode } from 'react';
import type { SignInError } from '../../shared/errors';
import type { SettingsView } from '../../shared/ipc';
import type { LanguageTag } from '../../shared/languages';
import type {
  Connection,
  Protocol,
  Settings,
  SettingsField as Field,
  SettingsPatch,
} from '../../shared/settings';
import { asSignInError, signet } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { useT, type MessageKey, type Translate } from '../i18n';
import { ConnectionsEditor } from './ConnectionsEditor';
import { LanguagePicker } from './LanguagePicker';
import { Code, rich } from '../i18n/rich';
import { ScopeChoice } from './ScopeChoice';
import { LockReason, LockTag, SettingsField } from './SettingsField';

/** Each protocol's words, and the endpoint it names (data: kept left to right in Arabic). */
const PROTOCOLS: Record<Protocol, { key: MessageKey; endpoint?: string }> = {
  legacy: { key: 'settings.protocol.legacy', endpoint: '/oauth/ro' },
  modern: { key: 'settings.protocol.modern', endpoint: '/oauth/token' },
  auto: { key: 'settings.protocol.auto' },
};

/** An `<option>` holds text only: a left-to-right isolate (LRI … PDI) keeps a path's slashes in place. */
const ltr = (text: string) => `\u2066${text}\u2069`;

type TextField = 'tenant' | 'clientId' | 'scope' | 'device' | 'proxy' | 'caFile';
const TEXT_KEYS: TextField[] = ['tenant', 'clientId', 'scope', 'device', 'proxy', 'caFile'];

interface Draft {
  tenant: string;
  clientId: string;
  scope: string;
  device: string;
  proxy: string;
  caFile: string;
  protocol: Protocol;
  useLocalTenant: boolean;
  connections: Connection[];
  /** `''`: Automatic (no `language` in the user's file). */
  language: LanguageTag | '';
}

const draftOf = (s: Settings): Draft => ({
  tenant: s.tenant ?? '',
  clientId: s.clientId ?? '',
  scope: s.scope,
  device: s.device ?? '',
  proxy: s.proxy ?? '',
  caFile: s.caFile ?? '',
  protocol: s.protocol,
  useLocalTenant: s.useLocalTenant,
  connections: s.connections,
  language: s.language ?? '',
});

/** A plain text field: its label and hint, in the window's language. */
interface TextRow {
  field: Exclude<TextField, 'scope'>;
  label: MessageKey;
  hint: (t: Translate) => ReactNode;
  placeholder?: string;
}

const textRow = (
  field: TextRow['field'],
  placeholder?: string,
  hint?: TextRow['hint'],
): TextRow => ({
  field,
  label: `settings.${field}.label` as const,
  hint: hint ?? ((t) => t(`settings.${field}.hint` as const)),
  ...(placeholder ? { placeholder } : {}),
});

const TENANT = textRow('tenant', 'acme.eu.auth0.com', (t) =>
  rich(t, 'settings.tenant.hint', { example: <Code>acme.eu.auth0.com</Code> }),
);
const CLIENT_ID = textRow('clientId');
/** After the scope choice. */
const LATER_ROWS: TextRow[] = [
  textRow('device', undefined, (t) =>
    rich(t, 'settings.device.hint', { offline: <Code>offline_access</Code> }),
  ),
  textRow('proxy', 'http://proxy.corp:3128', (t) =>
    rich(t, 'settings.proxy.hint', {
      example: <Code>http://proxy.corp:3128</Code>,
      variable: <Code>HTTPS_PROXY</Code>,
    }),
  ),
  textRow('caFile'),
];

/** The settings screen: every field of SettingsView, locked ones disabled with the reason. */
export function SettingsScreen({
  view,
  onSaved,
}: {
  view: SettingsView;
  onSaved: (view: SettingsView) => void;
}) {
  const t = useT();
  const [draft, setDraft] = useState<Draft>(() => draftOf(view.settings));
  const [error, setError] = useState<SignInError | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  // A key, not a sentence: "Settings saved." is said in the language just saved.
  const [status, setStatus] = useState<MessageKey | null>(null);
  const [busy, setBusy] = useState(false);
  const lock = (f: Field) => view.locked.find((l) => l.field === f);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setStatus(null);
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    const before = draftOf(view.settings);
    const patch: SettingsPatch = {};
    const errors: Partial<Record<Field, string>> = {};
    for (const field of TEXT_KEYS) {
      if (lock(field) || draft[field].trim() === before[field].trim()) continue;
      // An emptied field is removed from the user's file (back to its default).
      patch[field] = draft[field].trim() || null;
    }
    // Automatic removes `language` from the user's file: the OS's language again.
    if (!lock('language') && draft.language !== before.language)
      patch.language = draft.language || null;
    if (!lock('protocol') && draft.protocol !== before.protocol) patch.protocol = draft.protocol;
    if (!lock('useLocalTenant') && draft.useLocalTenant !== before.useLocalTenant)
      patch.useLocalTenant = draft.useLocalTenant;
    if (
      !lock('connections') &&
      JSON.stringify(draft.connections) !== JSON.stringify(before.connections)
    )
      patch.connections = draft.connections.map((c) => ({
        name: c.name.trim(),
        kind: c.kind,
        ...(c.label?.trim() ? { label: c.label.trim() } : {}),
      }));
    setFieldErrors(errors);
    if (Object.keys(errors).length) return;
    if (Object.keys(patch).length === 0) {
      setStatus('settings.unchanged');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const next = await signet.saveSettings(patch);
      onSaved(next);
      setDraft(draftOf(next.settings));
      setStatus('settings.saved');
    } catch (err) {
      setError(asSignInError(err));
    } finally {
      setBusy(false);
    }
  }

  const textField = ({ field, label, hint, placeholder }: TextRow) => (
    <SettingsField
      key={field}
      label={t(label)}
      hint={hint(t)}
      locked={lock(field)}
      error={fieldErrors[field]}
    >
      {({ id, disabled, describedBy }) => (
        <input
          id={id}
          type="text"
          spellCheck={false}
          // Values are data (domains, IDs, paths, URLs): as typed, left to right.
          translate="no"
          dir={field === 'device' ? 'auto' : 'ltr'}
          value={draft[field]}
          placeholder={placeholder}
          disabled={disabled}
          aria-describedby={describedBy}
          aria-invalid={fieldErrors[field] ? true : undefined}
          onChange={(e) => set(field, e.target.value)}
        />
      )}
    </SettingsField>
  );

  const localLock = lock('useLocalTenant');
  const connectionsLock = lock('connections');
  const tenant = view.tenant ? (
    <strong translate="no" dir="ltr">
      {view.tenant}
    </strong>
  ) : (
    <strong>{t('settings.noTenant')}</strong>
  );
  return (
    <form
      className="form settings"
      onSubmit={save}
      aria-busy={busy}
      aria-label={t('settings.form')}
    >
      <p className="muted">
        {rich(t, view.usingLocalTenant ? 'settings.introLocal' : 'settings.intro', {
          tenant,
          clientId: <Code>{view.clientId || '—'}</Code>,
        })}
      </p>
      {view.managedIgnored && (
        <p className="muted" role="note">
          {rich(t, 'settings.managedIgnored', {
            path: <Code>{view.managedIgnored.path}</Code>,
            // Main's words for IT (owner, mode, the rule): English, as Diagnostics shows them.
            reason: (
              <span translate="no" lang="en">
                {view.managedIgnored.reason}
              </span>
            ),
          })}
        </p>
      )}
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      <fieldset className="plain" disabled={busy}>
        <LanguagePicker
          value={draft.language}
          onChange={(l) => set('language', l)}
          systemLanguage={view.systemLanguage}
          windowLanguage={view.language}
          locked={lock('language')}
        />
        <div className={`field checkbox${localLock ? ' locked' : ''}`}>
          <label>
            <input
              type="checkbox"
              checked={draft.useLocalTenant}
              disabled={Boolean(localLock)}
              aria-describedby="local-tenant-hint"
              onChange={(e) => set('useLocalTenant', e.target.checked)}
            />
            {t('settings.localTenant.label')}
            <LockTag locked={localLock} />
          </label>
          <p id="local-tenant-hint" className="field-hint">
            {localLock ? <LockReason locked={localLock} /> : t('settings.localTenant.hint')}
          </p>
        </div>
        {textField(TENANT)}
        {textField(CLIENT_ID)}
        <ScopeChoice value={draft.scope} onChange={(s) => set('scope', s)} locked={lock('scope')} />
        {LATER_ROWS.map(textField)}
        <SettingsField
          label={t('settings.protocol.label')}
          locked={lock('protocol')}
          hint={t('settings.protocol.hint')}
        >
          {({ id, disabled, describedBy }) => (
            <select
              id={id}
              value={draft.protocol}
              disabled={disabled}
              aria-describedby={describedBy}
              onChange={(e) => set('protocol', e.target.value as Protocol)}
            >
              {(Object.keys(PROTOCOLS) as Protocol[]).map((p) => {
                const { key, endpoint } = PROTOCOLS[p];
                return (
                  <option key={p} value={p}>
                    {endpoint ? t(key, { endpoint: ltr(endpoint) }) : t(key)}
                  </option>
                );
              })}
            </select>
          )}
        </SettingsField>
        <fieldset className={`connections-field${connectionsLock ? ' locked' : ''}`}>
          <legend>
            {t('settings.connections.legend')}
            <LockTag locked={connectionsLock} />
          </legend>
          <ConnectionsEditor
            value={draft.connections}
            onChange={(c) => set('connections', c)}
            disabled={Boolean(connectionsLock)}
            describedBy="connections-hint"
          />
          <p id="connections-hint" className="field-hint">
            {connectionsLock ? (
              <LockReason locked={connectionsLock} />
            ) : view.connectionsNamed ? (
              t('settings.connections.hint')
            ) : (
              t('settings.connections.hintNone')
            )}
          </p>
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary">
            {busy ? t('settings.saving') : t('settings.save')}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(draftOf(view.settings));
              setFieldErrors({});
              setError(null);
              setStatus(null);
            }}
          >
            {t('settings.undo')}
          </button>
        </div>
      </fieldset>
      <p role="status" className="muted">
        {status && t(status)}
      </p>
    </form>
  );
}
