import type { Connection, ConnectionKind } from '../../shared/settings';

/**
 * The part of the window's `t` this module uses, spelled out so the module stays free of the
 * i18n runtime (unit tests load it in Node); `useT()`'s `t` fits it, and a key English lacks
 * would not.
 */
type KindKey = 'signin.kind.database' | 'signin.kind.ad' | 'signin.kind.sms';
type Translate = (
  key:
    | KindKey
    | 'signin.username'
    | 'signin.username.adHint'
    | 'signin.username.placeholder'
    | 'signin.email'
    | 'signin.email.hint'
    | 'signin.connection.unnamed',
) => string;
import { shownText } from './shown-text';

/** An example address, the email field's placeholder: data, the same in every language. */
export const EMAIL_EXAMPLE = 'name@example.com';

/** The username field's wording for a connection kind, in the window's language. */
export function usernameField(
  kind: ConnectionKind,
  t: Translate,
): {
  label: string;
  hint: string;
  placeholder: string;
  inputMode: 'email' | 'text';
} {
  if (kind === 'ad')
    return {
      label: t('signin.username'),
      hint: t('signin.username.adHint'),
      placeholder: t('signin.username.placeholder'),
      inputMode: 'text',
    };
  return {
    label: t('signin.email'),
    hint: t('signin.email.hint'),
    placeholder: EMAIL_EXAMPLE,
    inputMode: 'email',
  };
}

/** How the picker names a connection kind (English; `kindLabel` in the window's language). */
export const KIND_LABELS: Record<ConnectionKind, string> = {
  database: 'Database',
  ad: 'AD/LDAP',
  sms: 'SMS',
};

const KIND_KEYS: Record<ConnectionKind, KindKey> = {
  database: 'signin.kind.database',
  ad: 'signin.kind.ad',
  sms: 'signin.kind.sms',
};

/** A connection kind's name in the window's language ("Datenbank"). */
export const kindLabel = (kind: ConnectionKind, t: Translate): string => t(KIND_KEYS[kind]);

/**
 * A connection's name as the window shows it: its label, else its name, both possibly from the
 * tenant's client configuration, so through `shownText` (no control, bidi-override or
 * invisible characters that could reword the text around it). `t` names an unnamed one.
 */
export function connectionName(c: Connection, t?: Translate): string {
  return (
    shownText(c.label ?? c.name, 80) || (t ? t('signin.connection.unnamed') : 'Unnamed connection')
  );
}

/**
 * A connection as the picker lists it: its label and kind ("Corporate directory (AD/LDAP)"),
 * the kind in the window's language when `t` is given. A label that is just the kind's name
 * (the demo's "Database") is Signet's word, not IT's: it reads in the window's language too.
 */
export function connectionLabel(c: Connection, t?: Translate): string {
  const label = connectionName(c, t);
  if (label === KIND_LABELS[c.kind] || (t && label === kindLabel(c.kind, t)))
    return t ? kindLabel(c.kind, t) : label;
  return `${label} (${t ? kindLabel(c.kind, t) : KIND_LABELS[c.kind]})`;
}
