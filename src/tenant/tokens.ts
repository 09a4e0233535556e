/**
 * What the tenant puts into tokens: id_token claims per scope, the public profile, and the
 * opaque tokens kept in memory: access tokens (mapped to the user and a snapshot of its profile)
 * and the `mfa_token`s of sign-ins waiting for their TOTP code.
 */
import { randomBytes } from 'node:crypto';
import type { UserProfile } from './types';

/** Never leaves the tenant: not in id_tokens, /userinfo or /tokeninfo. */
const PRIVATE_ATTRIBUTES = new Set(['mfa_secret', 'blocked', 'password', 'password_hash']);
/** Registered claims the tenant sets itself; a profile attribute never overrides them. */
const RESERVED_CLAIMS = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'azp',
  'nonce',
  'at_hash',
  'scope',
]);
/** Scope words that are not attribute names. */
const NON_ATTRIBUTE_SCOPES = new Set(['openid', 'offline_access', 'profile']);

/** Splits a scope string into its words. */
export function scopeWords(scope: string | undefined): Set<string> {
  return new Set((scope ?? '').split(/\s+/).filter(Boolean));
}

/** The profile without secrets and internal flags (for /userinfo, /tokeninfo, `profile` scope). */
export function publicProfile(profile: UserProfile): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(profile)) {
    if (v === undefined || v === null || PRIVATE_ATTRIBUTES.has(k)) continue;
    out[k] = v;
  }
  return out;
}

/**
 * Claims added to `iss sub aud exp iat` for a scope: `profile` adds every public attribute;
 * otherwise each scope word that names an attribute (`name`, `email`, `nickname`, `groups`, …)
 * adds that one. `openid` alone adds nothing.
 */
export function claimsForScope(profile: UserProfile, words: Set<string>): Record<string, unknown> {
  const pub = publicProfile(profile);
  const claims: Record<string, unknown> = {};
  if (words.has('profile')) {
    for (const [k, v] of Object.entries(pub)) if (!RESERVED_CLAIMS.has(k)) claims[k] = v;
    return claims;
  }
  for (const w of words) {
    if (NON_ATTRIBUTE_SCOPES.has(w) || RESERVED_CLAIMS.has(w)) continue;
    if (Object.hasOwn(pub, w)) claims[w] = pub[w];
  }
  return claims;
}

/** What an opaque token stands for: a user signed in on a client, until `expiresAt` (ms). */
export interface AccessTokenGrant {
  userId: string;
  clientId: string;
  connection: string;
  scope: string;
  profile: UserProfile;
  expiresAt: number;
  /** The session it belongs to (sessions.ts); absent only while a sign-in waits for its code. */
  sessionId?: string;
}

/**
 * A password sign-in of /oauth/token waiting for its TOTP code (the mfa-otp grant), by
 * `mfa_token`: the grant it will become, the login it counts failures against, and how many
 * codes were tried (the grant drops it after the last one).
 */
export interface PendingMfa extends AccessTokenGrant {
  /** The username as given to the password step (the brute-force counter's account). */
  account: string;
  /**
   * `TenantDatabase.passwordStamp` of the user when its password was checked: a password
   * changed since (reset page, `users set-password`) voids the token.
   */
  passwordStamp: string | undefined;
  codesTried: number;
  /** Set once a right code redeemed it (a second, simultaneous right code is refused). */
  redeemed: boolean;
}

/**
 * Short opaque random tokens for grants, valid for `lifetimeSeconds`, in memory. Expired ones
 * are swept every minute, and when one is issued at least a minute (of the tenant's clock)
 * after the last sweep, so unredeemed tokens never pile up.
 */
export class TokenStore<G extends AccessTokenGrant = AccessTokenGrant> {
  private readonly tokens = new Map<string, G>();
  private readonly sweeper: NodeJS.Timeout;
  private lastSweep: number;

  constructor(
    private readonly lifetimeSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastSweep = now();
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  issue(grant: Omit<G, 'expiresAt'>): string {
    const now = this.now();
    if (now - this.lastSweep >= 60_000) this.sweep();
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { ...grant, expiresAt: now + this.lifetimeSeconds * 1000 } as G);
    return token;
  }

  get(token: string): G | undefined {
    const grant = this.tokens.get(token);
    if (!grant) return undefined;
    if (this.now() >= grant.expiresAt) {
      this.tokens.delete(token);
      return undefined;
    }
    return grant;
  }

  /** Forgets a token (used, or tried too often). */
  delete(token: string): boolean {
    return this.tokens.delete(token);
  }

  revoke(token: string, clientId: string): boolean {
    const grant = this.tokens.get(token);
    if (!grant || grant.clientId !== clientId) return false;
    return this.tokens.delete(token);
  }

  get size(): number {
    return this.tokens.size;
  }

  sweep(): void {
    const now = this.now();
    this.lastSweep = now;
    for (const [t, g] of this.tokens) if (now >= g.expiresAt) this.tokens.delete(t);
  }

  close(): void {
    clearInterval(this.sweeper);
    this.tokens.clear();
  }
}

/** Legacy access tokens (/oauth/ro, /oauth/token, /userinfo). */
export class AccessTokens extends TokenStore<AccessTokenGrant> {}
