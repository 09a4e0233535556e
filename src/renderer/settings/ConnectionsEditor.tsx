import type { Connection, ConnectionKind } from '../../shared/settings';
import { KIND_LABELS } from '../signin/username-label';
import { LabelOptions } from '../components/LabelOptions';

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
  const update = (i: number, patch: Partial<Connection>) =>
    onChange(value.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <div className="connections" aria-describedby={describedBy}>
      {value.map((c, i) => (
        <fieldset key={i} className="connection-row" disabled={disabled}>
          <legend className="visually-hidden">Connection {i + 1}</legend>
          <label>
            <span>Name</span>
            <input
              type="text"
              value={c.name}
              spellCheck={false}
              onChange={(e) => update(i, { name: e.target.value })}
            />
          </label>
          <label>
            <span>Kind</span>
            <select
              value={c.kind}
              onChange={(e) => update(i, { kind: e.target.value as ConnectionKind })}
            >
              <LabelOptions labels={KIND_LABELS} />
            </select>
          </label>
          <label>
            <span>Label</span>
            <input
              type="text"
              value={c.label ?? ''}
              onChange={(e) => update(i, { label: e.target.value || undefined })}
            />
          </label>
          <button
            type="button"
            className="secondary small"
            onClick={() => onChange(value.filter((_, j) => j !== i))}
          >
            Remove<span className="visually-hidden"> connection {c.label ?? c.name}</span>
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="secondary small"
        disabled={disabled}
        onClick={() => onChange([...value, { name: '', kind: 'database' }])}
      >
        Add connection
      </button>
    </div>
  );
}
