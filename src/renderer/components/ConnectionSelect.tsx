import type { Connection } from '../../shared/settings';
import { connectionLabel } from '../signin/username-label';

/** The labelled connection picker (sign-in form, connection report). */
export function ConnectionSelect({
  id,
  label,
  connections,
  value,
  onChange,
}: {
  id: string;
  label: string;
  connections: Connection[];
  value: string | undefined;
  onChange: (name: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {connections.map((c) => (
          <option key={c.name} value={c.name}>
            {connectionLabel(c)}
          </option>
        ))}
      </select>
    </div>
  );
}
