/**
 * What brute-force protection counts failures against: the account, not the spelling of its
 * name. A directory (and the database, case-insensitively) matches ` alan`, `ALAN`,
 * `alan@realm`, `CORP\alan` — and, for a database user, the email and the username — to one
 * account; were each spelling counted apart, the limit would be no limit.
 *
 * Every attempt counts against two kinds of key (`login_failures.account`):
 * - `name:<normalised login>`, always: NFKC, trimmed, case-folded; for a directory (strategy
 *   `ad`) also without a `DOMAIN\` prefix and an `@realm` suffix. A database login is an email
 *   or a username, so its `@domain` stays: `ada@signet.test` and `ada@other.test` are two
 *   accounts.
 * - `id:<user_id>` of the account the login names, whenever the connection can tell without
 *   checking a password (database: by email or username; AD/LDAP: by a search with the service
 *   account, when one is configured), and of every account the name was seen to sign in as
 *   (`login_aliases`: a directory without a service account says who a name is only once a bind
 *   succeeds). This is what ties spellings whose names differ, such as a user name and an
 *   email, or an AD sAMAccountName and a UPN. Aliases only ever add keys, so a name that signs
 *   in as two accounts counts against both.
 * An attempt is refused once any of its keys reached the threshold. A success resets the
 * attempt's keys and the name keys of every login of the account (`accountLogins`); lifting a
 * block (unblock, new password) clears the same keys for every IP.
 */
import type { PasswordConnection, UserProfile } from './types';

export type Strategy = PasswordConnection['strategy'];

/**
 * A login as brute-force protection counts it. Case folding is approximated by upper-then-
 * lower case (`ß` → `ss`), which only ever merges more spellings, never fewer.
 */
export function normaliseLogin(login: string, strategy: Strategy): string {
  let name = login.normalize('NFKC').trim();
  if (strategy === 'ad') {
    // As the bind modes read it (connections/ldap.ts `loginNames`): `DOMAIN\user`, `user@realm`.
    const slash = name.indexOf('\\');
    if (slash >= 0) name = name.slice(slash + 1);
    const at = name.lastIndexOf('@');
    if (at > 0) name = name.slice(0, at);
  }
  return name.toUpperCase().toLowerCase().normalize('NFKC').trim();
}

/** True when a login begins or ends with white space (also once NFKC-normalised). */
export function hasOuterWhitespace(login: string): boolean {
  const nfkc = login.normalize('NFKC');
  return login !== login.trim() || nfkc !== nfkc.trim();
}

/** The key of a normalised name. */
export const nameKey = (login: string, strategy: Strategy): string =>
  `name:${normaliseLogin(login, strategy)}`;

/** The key of a resolved account. */
export const idKey = (userId: string): string => `id:${userId}`;

/** The strategy of a user id: directory users are `ad|…`, database and SMS users are not. */
export const strategyOfUser = (userId: string): Strategy =>
  userId.startsWith('ad|') ? 'ad' : 'auth0';

/**
 * Every key a user's failures may sit under: its id, and the names it can sign in with
 * (database: email, username, phone; directory: sAMAccountName/uid, UPN, mail).
 */
export function accountKeys(
  profile: Pick<UserProfile, 'user_id' | 'email' | 'username' | 'phone_number' | 'nickname'> & {
    upn?: unknown;
  },
): string[] {
  const strategy = strategyOfUser(profile.user_id);
  const logins =
    strategy === 'ad'
      ? [profile.nickname, profile.upn, profile.email]
      : [profile.email, profile.username, profile.phone_number];
  const keys = logins
    .filter((l): l is string => typeof l === 'string' && l !== '')
    .map((l) => nameKey(l, strategy));
  return [...new Set([idKey(profile.user_id), ...keys])];
}

/** How the brute-force guard learns the keys of a login on a connection. */
export interface AccountResolver {
  /** The normalised-name key (no I/O). */
  nameKey(connection: string, login: string): string;
  /** The resolved account's key, when the connection can tell; may ask the directory. */
  idKey(connection: string, login: string): Promise<string | undefined>;
}

/** The resolver over the tenant's password connections (unknown connections: database rules). */
export function connectionResolver(connections: Map<string, PasswordConnection>): AccountResolver {
  return {
    nameKey: (connection, login) =>
      nameKey(login, connections.get(connection)?.strategy ?? 'auth0'),
    async idKey(connection, login) {
      const id = await connections.get(connection)?.accountId?.(login);
      return id === undefined ? undefined : idKey(id);
    },
  };
}
