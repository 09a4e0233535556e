import { useId, useState } from 'react';
import type { Connection, ConnectionKind } from '../../shared/settings';
import { connectionLabel } from '../signin/username-label';
import { FieldRow } from './FieldRow';
import { useT } from '../i18n';

/** The password connections a form offers (no SMS) and the one the user picked. */
export interface ConnectionChoice<C extends Connection = Connection> {
  connections: C[];
  /** The picked connection; the first one when the picked name is gone. */
  connection: C | undefined;
  setName: (name: string) => void;
}

/**
 * Which password connection a form signs in with (sign-in form, connection report). Starts
 * on the first connection of the `prefer` kind (the report prefers AD), else the first.
 */
export function useConnectionChoice<C extends Connection>(
  all: C[],
  prefer?: ConnectionKind,
): ConnectionChoice<C> {
  const connections = all.filter((c) => c.kind !== 'sms');
  const [name, setName] = useState(
    () => ((prefer && connections.find((c) => c.kind === prefer)) || connections[0])?.name ?? '',
  );
  const connection = connections.find((c) => c.name === name) ?? connections[0];
  return { connections, connection, setName };
}

/** The labelled connection picker of a `useConnectionChoice`. */
export function ConnectionSelect<C extends Connection>({
  label,
  choice,
}: {
  label: string;
  choice: ConnectionChoice<C>;
}) {
  const t = useT();
  const id = useId();
  return (
    <FieldRow id={id} label={label}>
      <select
        id={id}
        value={choice.connection?.name}
        onChange={(e) => choice.setName(e.target.value)}
      >
        {choice.connections.map((c) => (
          <option key={c.name} value={c.name}>
            {connectionLabel(c, t)}
          </option>
        ))}
      </select>
    </FieldRow>
  );
}
