/**
 * What the tenant puts into tokens: id_token claims per scope, the public profile, and the
 * opaque access tokens (kept in memory, mapped to the user and a snapshot of its profile).
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

export interface AccessTokenGrant {
  userId: string;
  clientId: string;
  connection: string;
  scope: string;
  profile: UserProfile;
  expiresAt: number;
}

/** Legacy access tokens: short opaque random strings, valid for `lifetimeSeconds`, in memory. */
export class AccessTokens {
  private readonly tokens = new Map<string, AccessTokenGrant>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly lifetimeSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  issue(grant: Omit<AccessTokenGrant, 'expiresAt'>): string {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { ...grant, expiresAt: this.now() + this.lifetimeSeconds * 1000 });
    return token;
  }

  get(token: string): AccessTokenGrant | undefined {
    const grant = this.tokens.get(token);
    if (!grant) return undefined;
    if (this.now() >= grant.expiresAt) {
      this.tokens.delete(token);
      return undefined;
    }
    return grant;
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
    for (const [t, g] of this.tokens) if (now >= g.expiresAt) this.tokens.delete(t);
  }

  close(): void {
    clearInterval(this.sweeper);
    this.tokens.clear();
  }
}
