import { useState, type FormEvent } from 'react';
import type { SignInError } from '../../shared/errors';
import type { SettingsView } from '../../shared/ipc';
import type {
  Connection,
  Protocol,
  Settings,
  SettingsField as Field,
  SettingsPatch,
} from '../../shared/settings';
import { asSignInError, signet } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { LabelOptions } from '../components/LabelOptions';
import { ConnectionsEditor } from './ConnectionsEditor';
import { SettingsField } from './SettingsField';

const PROTOCOLS: Record<Protocol, string> = {
  legacy: 'Legacy (/oauth/ro)',
  modern: 'Modern (/oauth/token)',
  auto: 'Automatic (legacy first, then modern)',
};

type TextField = 'tenant' | 'clientId' | 'scope' | 'device' | 'proxy' | 'caFile';

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
});

const TEXT_FIELDS: { field: TextField; label: string; hint: string; placeholder?: string }[] = [
  {
    field: 'tenant',
    label: 'Tenant',
    hint: 'Your Auth0 domain, e.g. acme.eu.auth0.com.',
    placeholder: 'acme.eu.auth0.com',
  },
  { field: 'clientId', label: 'Client ID', hint: 'The application’s client ID on the tenant.' },
  {
    field: 'scope',
    label: 'Default scope',
    hint: 'Used when you do not pick one; offline_access keeps you signed in.',
  },
  { field: 'device', label: 'Device name', hint: 'Sent with offline_access to name this device.' },
  {
    field: 'proxy',
    label: 'Proxy',
    hint: 'e.g. http://proxy.corp:3128; overrides HTTPS_PROXY.',
    placeholder: 'http://proxy.corp:3128',
  },
  {
    field: 'caFile',
    label: 'CA certificates file',
    hint: 'A PEM file of extra CA certificates (TLS inspection).',
  },
];

/** The settings screen: every field of SettingsView, locked ones disabled with the reason. */
export function SettingsScreen({
  view,
  onSaved,
}: {
  view: SettingsView;
  onSaved: (view: SettingsView) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(view.settings));
  const [error, setError] = useState<SignInError | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const lock = (f: Field) => view.locked.find((l) => l.field === f);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setStatus('');
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    const before = draftOf(view.settings);
    const patch: SettingsPatch = {};
    const errors: Partial<Record<Field, string>> = {};
    for (const { field } of TEXT_FIELDS) {
      if (lock(field) || draft[field].trim() === before[field].trim()) continue;
      // An emptied field is removed from the user's file (back to its default).
      patch[field] = draft[field].trim() || null;
    }
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
      setStatus('Nothing changed.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const next = await signet.saveSettings(patch);
      onSaved(next);
      setDraft(draftOf(next.settings));
      setStatus('Settings saved.');
    } catch (err) {
      setError(asSignInError(err));
    } finally {
      setBusy(false);
    }
  }

  const connectionsLock = lock('connections');
  return (
    <form className="form settings" onSubmit={save} aria-busy={busy} aria-label="Settings">
      <p className="muted">
        Signing in to <strong>{view.tenant || 'no tenant'}</strong> as client{' '}
        <code>{view.clientId || '—'}</code>
        {view.usingLocalTenant ? ' (the local tenant).' : '.'}
      </p>
      {view.managedIgnored && (
        <p className="muted" role="note">
          Your organisation’s managed configuration <code>{view.managedIgnored.path}</code> is not
          in force. {view.managedIgnored.reason}
        </p>
      )}
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      <fieldset className="plain" disabled={busy}>
        <div className={`field checkbox${lock('useLocalTenant') ? ' locked' : ''}`}>
          <label>
            <input
              type="checkbox"
              checked={draft.useLocalTenant}
              disabled={Boolean(lock('useLocalTenant'))}
              onChange={(e) => set('useLocalTenant', e.target.checked)}
            />
            Use the local tenant
          </label>
          <p className="field-hint">
            {lock('useLocalTenant')
              ? `Locked: ${lock('useLocalTenant')?.reason}`
              : 'Sign in to the tenant built into Signet (for trying it out and for tests).'}
          </p>
        </div>
        {TEXT_FIELDS.map(({ field, label, hint, placeholder }) => (
          <SettingsField
            key={field}
            label={label}
            hint={hint}
            locked={lock(field)}
            error={fieldErrors[field]}
          >
            {({ id, disabled, describedBy }) => (
              <input
                id={id}
                type="text"
                spellCheck={false}
                value={draft[field]}
                placeholder={placeholder}
                disabled={disabled}
                aria-describedby={describedBy}
                aria-invalid={fieldErrors[field] ? true : undefined}
                onChange={(e) => set(field, e.target.value)}
              />
            )}
          </SettingsField>
        ))}
        <SettingsField label="Protocol" locked={lock('protocol')} hint="Which endpoint signs in.">
          {({ id, disabled, describedBy }) => (
            <select
              id={id}
              value={draft.protocol}
              disabled={disabled}
              aria-describedby={describedBy}
              onChange={(e) => set('protocol', e.target.value as Protocol)}
            >
              <LabelOptions labels={PROTOCOLS} />
            </select>
          )}
        </SettingsField>
        <fieldset className={`connections-field${connectionsLock ? ' locked' : ''}`}>
          <legend>
            Connections{connectionsLock && <span className="lock-tag"> (locked)</span>}
          </legend>
          <ConnectionsEditor
            value={draft.connections}
            onChange={(c) => set('connections', c)}
            disabled={Boolean(connectionsLock)}
            describedBy="connections-hint"
          />
          <p id="connections-hint" className="field-hint">
            {connectionsLock
              ? `Locked: ${connectionsLock.reason}`
              : view.connectionsNamed
                ? 'The connections the sign-in tabs offer, by their name on the tenant.'
                : 'None saved: the sign-in tabs offer the client’s own connections (from its configuration on the tenant), or these when it has none. Saving a list here replaces them.'}
          </p>
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary">
            {busy ? 'Saving…' : 'Save settings'}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(draftOf(view.settings));
              setFieldErrors({});
              setError(null);
              setStatus('');
            }}
          >
            Undo changes
          </button>
        </div>
      </fieldset>
      <p role="status" className="muted">
        {status}
      </p>
    </form>
  );
}
