import type { Connection, ConnectionKind } from '../../shared/settings';
import { useT, type MessageKey } from '../i18n';

/** How the editor names a connection kind, in the window's language. */
const KIND_KEYS: Record<ConnectionKind, MessageKey> = {
  database: 'settings.connections.kind.database',
  ad: 'settings.connections.kind.ad',
  sms: 'settings.connections.kind.sms',
};

/** The connections the sign-in tabs offer: name on the tenant, kind, and label. */
export function ConnectionsEditor({
  value,
  onChange,
  disabled,
  describedBy,
}: {
  value: Connection[];
  onChange: (next: Connection[]) => void;
  disabled: boolean;
  describedBy: string;
}) {
  const t = useT();
  const update = (i: number, patch: Partial<Connection>) =>
    onChange(value.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <div className="connections" aria-describedby={describedBy}>
      {value.map((c, i) => (
        <fieldset key={i} className="connection-row" disabled={disabled}>
          <legend className="visually-hidden">{t('settings.connections.row', { n: i + 1 })}</legend>
          <label>
            <span>{t('settings.connections.name')}</span>
            {/* Names and labels are the tenant's words: data, not translated. */}
            <input
              type="text"
              value={c.name}
              spellCheck={false}
              translate="no"
              dir="auto"
              onChange={(e) => update(i, { name: e.target.value })}
            />
          </label>
          <label>
            <span>{t('settings.connections.kind')}</span>
            <select
              value={c.kind}
              onChange={(e) => update(i, { kind: e.target.value as ConnectionKind })}
            >
              {(Object.keys(KIND_KEYS) as ConnectionKind[]).map((k) => (
                <option key={k} value={k}>
                  {t(KIND_KEYS[k])}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('settings.connections.label')}</span>
            <input
              type="text"
              value={c.label ?? ''}
              translate="no"
              dir="auto"
              onChange={(e) => update(i, { label: e.target.value || undefined })}
            />
          </label>
          <button
            type="button"
            className="secondary small"
            aria-label={t('settings.connections.removeNamed', { name: c.label ?? c.name })}
            onClick={() => onChange(value.filter((_, j) => j !== i))}
          >
            {t('settings.connections.remove')}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="secondary small"
        disabled={disabled}
        onClick={() => onChange([...value, { name: '', kind: 'database' }])}
      >
        {t('settings.connections.add')}
      </button>
    </div>
  );
}
