/**
 * What Signet learns from the client's configuration (spec §8: `GET {base}/client/{id}.js`,
 * Lock's `Auth0.setClient({...})`) and how the sign-in form combines it with settings:
 * which connections to offer, which database connections allow sign-up and password reset
 * and with which policy, and which email domains belong to an enterprise connection
 * (home-realm discovery). Core fetches, validates and caches the configuration
 * (src/core/auth/client-config.ts); this module is pure (no Node, no DOM, no zod), shared by
 * core, main and the renderer.
 */
import { EMAIL } from './auth0-protocol';
import type { SignInError } from './errors';
import type { PasswordPolicyName } from './password-policy';
import type { Connection, ConnectionKind } from './settings';

/** Strategies whose connections sign in through /oauth/ro with a username and password. */
export const DATABASE_STRATEGIES: readonly string[] = ['auth0'];
/**
 * Enterprise strategies Signet signs in with a password through /oauth/ro (kind `ad`): AD/LDAP
 * through the connector, and Azure AD and ADFS, which spec §1 lists as working with /oauth/ro.
 */
export const DIRECTORY_STRATEGIES: readonly string[] = ['ad', 'auth0-adldap', 'waad', 'adfs'];
/** Passwordless SMS. */
export const SMS_STRATEGIES: readonly string[] = ['sms'];

/**
 * A DNS name in lower case (`corp.example`), as email domains are compared: labels of letters,
 * digits and inner hyphens, at most 253 characters. The tenant's configuration and core's
 * reading of the client configuration both check domains with it.
 */
export const DNS_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * `domain` as compared (trimmed, lower case, no trailing dot), or undefined when it is not a
 * DNS name (`*.corp.example`, a Unicode IDN, `a b/c`): such a domain can never match an email.
 */
export function normaliseDomain(domain: string): string | undefined {
  if (domain.length > 254) return undefined;
  const d = domain.trim().toLowerCase().replace(/\.$/, '');
  return DNS_NAME.test(d) ? d : undefined;
}

/** One connection of the client's configuration, its defaults (spec §8) filled in. */
export interface ClientConnection {
  name: string;
  /** The strategy it was listed under (`auth0`, `ad`, `sms`, `google-oauth2`, …). */
  strategy: string;
  /** How Signet signs in with it; `other` for strategies Signet cannot use (listed, not offered). */
  kind: ConnectionKind | 'other';
  /** Database connections: the password policy (missing → `none`). */
  passwordPolicy?: PasswordPolicyName;
  /** Database connections: sign-up offered (missing → true). */
  showSignup?: boolean;
  /** Database connections: "Don't remember your password?" offered (missing → true). */
  showForgot?: boolean;
  /** Database connections: sign-up asks for a username too (missing → false). */
  requiresUsername?: boolean;
  /** Enterprise connections: `domain` then `domain_aliases`, lower case (home-realm discovery). */
  domains?: string[];
}

/** The client's configuration as the window gets it (`clientConfig` IPC channel). */
export interface ClientConfigView {
  /** Every connection the configuration lists, in its order; empty when none is known. */
  connections: ClientConnection[];
  /** ISO time the configuration shown was fetched from the tenant; null when none ever was. */
  fetchedAt: string | null;
  /**
   * `network`: fetched now; `cache`: the last good copy (kept on disk), because it is fresh
   * enough or because fetching failed (then `error` says why); `none`: nothing known.
   */
  source: 'network' | 'cache' | 'none';
  /** Why the last fetch failed (offline, not found, not a client script); null after a success. */
  error: SignInError | null;
}

/** A connection as the form offers it: settings' entry plus what the client's configuration adds. */
export type FormConnection = Connection &
  Omit<ClientConnection, 'name' | 'kind' | 'strategy'> & { strategy?: string };

/**
 * Directory strategies whose connector binds with a plain username, so home-realm discovery
 * signs in with the part before `@` (spec §8: "for AD, may use the part before @"). Azure AD
 * and ADFS take the whole address.
 */
export const PLAIN_USERNAME_STRATEGIES: readonly string[] = ['ad', 'auth0-adldap'];

/**
 * The username home-realm discovery signs in to `realm` with: the part before `@` for an AD/LDAP
 * connector (or a connection whose strategy is not known: settings' AD connections), else the
 * whole address.
 */
export function realmUsername(realm: { strategy?: string }, local: string, address: string) {
  return realm.strategy === undefined || PLAIN_USERNAME_STRATEGIES.includes(realm.strategy)
    ? local
    : address;
}

/**
 * The connections the form offers. When settings (the user's file or the managed
 * configuration) name connections, exactly those, in their order (managed configuration wins
 * and can restrict); else the client's usable connections; else settings' defaults. Each is
 * completed with the client's details of the same name (policy, sign-up, domains), and a
 * client's connection keeps the label settings' defaults give its name ("Corporate directory").
 */
export function formConnections(
  settings: { connections: Connection[]; connectionsNamed: boolean },
  client: ClientConfigView | null,
): FormConnection[] {
  const byName = new Map((client?.connections ?? []).map((c) => [c.name, c]));
  const details = (name: string) => {
    const c = byName.get(name);
    return c
      ? {
          strategy: c.strategy,
          ...(c.passwordPolicy !== undefined ? { passwordPolicy: c.passwordPolicy } : {}),
          ...(c.showSignup !== undefined ? { showSignup: c.showSignup } : {}),
          ...(c.showForgot !== undefined ? { showForgot: c.showForgot } : {}),
          ...(c.requiresUsername !== undefined ? { requiresUsername: c.requiresUsername } : {}),
          ...(c.domains !== undefined ? { domains: c.domains } : {}),
        }
      : {};
  };
  if (settings.connectionsNamed || !client?.connections.some((c) => c.kind !== 'other'))
    return settings.connections.map((c) => ({ ...c, ...details(c.name) }));
  return client.connections
    .filter((c): c is ClientConnection & { kind: ConnectionKind } => c.kind !== 'other')
    .map((c) => {
      const label = settings.connections.find((s) => s.name === c.name)?.label;
      return { name: c.name, kind: c.kind, ...(label ? { label } : {}), ...details(c.name) };
    });
}

/**
 * The domain of `email` as domains are compared (lower case), or undefined when `email`
 * (trimmed) is not an address by the one shared rule (auth0-protocol.ts `EMAIL`).
 */
export function emailDomain(email: string): string | undefined {
  // A trailing dot names the same domain (`corp.example.`), as DNS and Chromium read it.
  const e = email.trim().replace(/\.$/, '');
  return EMAIL.test(e) ? e.slice(e.lastIndexOf('@') + 1).toLowerCase() : undefined;
}

/**
 * Home-realm discovery (spec §8): the enterprise connection whose `domain` or one of whose
 * `domain_aliases` equals the domain of `email` (case-insensitive), or undefined. Only an
 * address by the shared `EMAIL` rule has a domain (`emailDomain`).
 */
export function homeRealm<C extends { kind: string; domains?: string[] }>(
  email: string,
  connections: readonly C[],
): C | undefined {
  const domain = emailDomain(email);
  if (!domain) return undefined;
  return connections.find((c) => c.kind === 'ad' && c.domains?.includes(domain));
}
