/**
 * Shapes shared by the local tenant's modules: a connection authenticates a user and answers
 * with a profile, or throws a `TenantError` (errors.ts) that the route turns into Auth0's error body.
 */

/** The user attributes a connection returns; the id_token's claims are drawn from these. */
export interface UserProfile {
  /** `auth0|<24 hex>`, `sms|<24 hex>`, `ad|<connection>|<id>`. */
  user_id: string;
  email?: string;
  email_verified?: boolean;
  username?: string;
  phone_number?: string;
  phone_verified?: boolean;
  name?: string;
  nickname?: string;
  picture?: string;
  given_name?: string;
  family_name?: string;
  /** AD/LDAP groups (cn of each memberOf). */
  groups?: string[];
  upn?: string;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  /** Base32 TOTP secret when the user has MFA enrolled. Never put into a token. */
  mfa_secret?: string;
  blocked?: boolean;
  [attribute: string]: unknown;
}

/** What every password-style connection (database, AD/LDAP) offers to /oauth/ro. */
export interface PasswordConnection {
  readonly name: string;
  readonly strategy: 'auth0' | 'ad';
  /**
   * Checks the credentials. Resolves with the profile, or throws `TenantError`
   * (401 invalid_user_password, 401 unauthorized `user is blocked`, 401 password_change_required, …).
   */
  authenticate(username: string, password: string): Promise<UserProfile>;
  /** Looks a user up by id (for /delegation, /userinfo, jwt-bearer); undefined when gone. */
  findById(userId: string): Promise<UserProfile | undefined>;
  /**
   * The `user_id` of the account `login` names, found without checking a password, so that
   * brute-force protection counts every spelling of one account together (account-keys.ts);
   * undefined when unknown or when the connection cannot look users up.
   */
  accountId?(login: string): Promise<string | undefined>;
  close?(): Promise<void>;
}
