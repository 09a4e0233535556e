import type { Connection, ConnectionKind } from '../../shared/settings';
import { shownText } from './shown-text';

/** The username field's wording for a connection kind. */
export function usernameField(kind: ConnectionKind): {
  label: string;
  hint: string;
  placeholder: string;
  inputMode: 'email' | 'text';
} {
  if (kind === 'ad')
    return {
      label: 'Username',
      hint: 'Your directory login: username, DOMAIN\\user or user@domain.',
      placeholder: 'username',
      inputMode: 'text',
    };
  return {
    label: 'Email',
    hint: 'The email address of your account.',
    placeholder: 'name@example.com',
    inputMode: 'email',
  };
}

/** How the picker names a connection kind. */
export const KIND_LABELS: Record<ConnectionKind, string> = {
  database: 'Database',
  ad: 'AD/LDAP',
  sms: 'SMS',
};

/**
 * A connection's name as the window shows it: its label, else its name, both possibly from the
 * tenant's client configuration, so through `shownText` (no control, bidi-override or
 * invisible characters that could reword the text around it).
 */
export function connectionName(c: Connection): string {
  return shownText(c.label ?? c.name, 80) || 'Unnamed connection';
}

/** A connection as the picker lists it: its label and kind ("Corporate directory (AD/LDAP)"). */
export function connectionLabel(c: Connection): string {
  const label = connectionName(c);
  return label === KIND_LABELS[c.kind] ? label : `${label} (${KIND_LABELS[c.kind]})`;
}
