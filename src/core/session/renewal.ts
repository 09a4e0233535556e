/**
 * Renewing a remembered session without the password: with its refresh token (`/delegation`
 * for legacy sessions, the refresh_token grant of `/oauth/token` for modern ones), or by
 * re-authenticating with its id_token and device (the jwt-bearer grant of `/oauth/ro`,
 * Auth0's "Touch ID" flow). What the tenant did not renew is kept from the old record.
 */
import { notSignedIn } from '../../shared/errors.js';
import type { TokenSet } from '../auth/client.js';
import { fail } from '../errors.js';
import type { SessionRecord } from '../vault/vault.js';
import type { TenantContext } from './tenant-context.js';
import { errorText } from '../../shared/error-text.js';

/** What a refresh or re-authentication renewed (the rest of the record is kept). */
export type Renewed = Partial<
  Pick<TokenSet, 'access_token' | 'id_token' | 'refresh_token' | 'expires_in'>
>;

/**
 * New tokens for `record` from its refresh token; `not_signed_in` when it holds none (it was
 * signed in without `offline_access`).
 */
export async function refreshTokens(
  ctx: TenantContext,
  record: SessionRecord,
  signal?: AbortSignal,
): Promise<Renewed> {
  if (!record.refresh_token) fail(notSignedIn(errorText('errors.session.notRenewable')));
  if (record.protocol === 'modern')
    return ctx.auth.refreshModern({
      refreshToken: record.refresh_token,
      kind: record.kind,
      signal,
    });
  const d = await ctx.auth.delegation({
    refreshToken: record.refresh_token,
    scope: delegationScope(record),
    kind: record.kind,
    signal,
  });
  return { id_token: d.id_token };
}

/**
 * The scope a /delegation call asks for: the same claims as at sign-in (without
 * offline_access: delegation issues no refresh token), so the new id_token shows the same
 * profile.
 */
export function delegationScope(record: SessionRecord): string {
  return (
    record.scope
      .split(/\s+/)
      .filter((w) => w && w !== 'offline_access')
      .join(' ') || 'openid'
  );
}

/** New tokens for `record` from its id_token and device (`device` when it stored none). */
export function reauthenticateTokens(
  ctx: TenantContext,
  record: SessionRecord,
  device: string,
  signal?: AbortSignal,
): Promise<Renewed> {
  if (!record.id_token) fail(notSignedIn());
  return ctx.auth.jwtBearer({
    idToken: record.id_token,
    device: record.device ?? device,
    scope: record.scope,
    connection: record.connection,
    kind: record.kind,
    signal,
  });
}

/**
 * The access token's `expires_in` (seconds from now) as the absolute time a record keeps, or
 * nothing when the tenant sent none.
 */
export function accessExpiry(expiresIn: number | undefined, nowMs = Date.now()) {
  return expiresIn !== undefined
    ? { access_expires_at: new Date(nowMs + expiresIn * 1000).toISOString() }
    : {};
}

/**
 * The renewed tokens over the record they renew, obtained now. A renewed access token takes
 * its own expiry (`expires_in` is the access token's; /delegation renews only the id_token and
 * its `expires_in` is not passed here), and drops the old one's when it came without.
 */
export function renewedRecord(record: SessionRecord, renewed: Renewed): SessionRecord {
  const { access_expires_at: _old, ...rest } = record;
  return {
    ...(renewed.access_token ? rest : record),
    ...(renewed.access_token
      ? { access_token: renewed.access_token, ...accessExpiry(renewed.expires_in) }
      : {}),
    ...(renewed.id_token ? { id_token: renewed.id_token } : {}),
    ...(renewed.refresh_token ? { refresh_token: renewed.refresh_token } : {}),
    obtained_at: new Date().toISOString(),
  };
}
