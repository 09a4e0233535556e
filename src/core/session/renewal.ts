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

/** What a refresh or re-authentication renewed (the rest of the record is kept). */
export type Renewed = Partial<Pick<TokenSet, 'access_token' | 'id_token' | 'refresh_token'>>;

/**
 * New tokens for `record` from its refresh token; `not_signed_in` when it holds none (it was
 * signed in without `offline_access`).
 */
export async function refreshTokens(
  ctx: TenantContext,
  record: SessionRecord,
  signal?: AbortSignal,
): Promise<Renewed> {
  if (!record.refresh_token)
    fail(
      notSignedIn(
        'This session cannot be renewed (it was signed in without “keep me signed in”). Please sign in again.',
      ),
    );
  if (record.protocol === 'modern')
    return ctx.auth.refreshModern({
      refreshToken: record.refresh_token,
      kind: record.kind,
      signal,
    });
  // Ask for the same claims as at sign-in (without offline_access: delegation issues no
  // refresh token), so the renewed id_token shows the same profile.
  const scope =
    record.scope
      .split(/\s+/)
      .filter((w) => w && w !== 'offline_access')
      .join(' ') || 'openid';
  const d = await ctx.auth.delegation({
    refreshToken: record.refresh_token,
    scope,
    kind: record.kind,
    signal,
  });
  return { id_token: d.id_token };
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

/** The renewed tokens over the record they renew, obtained now. */
export function renewedRecord(record: SessionRecord, renewed: Renewed): SessionRecord {
  return {
    ...record,
    ...(renewed.access_token ? { access_token: renewed.access_token } : {}),
    ...(renewed.id_token ? { id_token: renewed.id_token } : {}),
    ...(renewed.refresh_token ? { refresh_token: renewed.refresh_token } : {}),
    obtained_at: new Date().toISOString(),
  };
}
