/**
 * Sessions: every credential sign-in (password, SMS code, password + TOTP) starts one, stored in
 * SQLite (see database.ts), and everything renewed from it stays in it: its id_tokens are
 * recorded against it by hash (their claims stay Auth0's documented set, so no `sid` claim), its
 * access tokens and refresh token point at it. So signing out (revoking the refresh token) and a
 * password change end all of them at once, and no renewal outlives it: a session ends
 * `sessionLifetime` after a sign-in that got a refresh token, or with its first id_token
 * otherwise, and no id_token renewed in it expires later. (A block ends nothing: a blocked user's
 * tokens are refused at each use, and work again after an unblock.)
 *
 * Only a sign-in with credentials gets a refresh token; an id_token (jwt-bearer) never does.
 */
import type { TenantContext } from './context';
import type { SessionRow } from './database';
import { scopeWords } from './tokens';
import { tenantError } from './errors';

/** What the tenant says about a token of a session that has ended (or never existed). */
export const SESSION_ENDED =
  'the session of this token has ended (signed out, password changed, user blocked or expired)';

/** Starts the session of a credential sign-in; `refresh`: it gets a refresh token. */
export function startSession(
  ctx: TenantContext,
  args: { userId: string; connection: string; clientId: string; scope: string; refresh: boolean },
): SessionRow {
  const now = ctx.now();
  const lifetime = args.refresh ? ctx.config.sessionLifetime : ctx.config.idTokenLifetime;
  const row = {
    user_id: args.userId,
    connection: args.connection,
    client_id: args.clientId,
    scope: args.scope,
  };
  const expiresAt = now + Math.round(lifetime) * 1000;
  const sessionId = ctx.db.createSession(row, expiresAt, {
    now,
    keepEndedMs: Math.round(ctx.config.accessTokenLifetime) * 1000,
  });
  return { session_id: sessionId, ...row, expires_at: Math.floor(expiresAt), revoked: false };
}

/**
 * The session `sessionId` when it is `userId`'s, not revoked and not over; else undefined. (An
 * access token outlives its session's end, to its own lifetime, but not its revocation: see
 * `sessionRevoked`.)
 */
export function liveSession(
  ctx: TenantContext,
  sessionId: unknown,
  userId: string,
): SessionRow | undefined {
  if (typeof sessionId !== 'string' || sessionId === '') return undefined;
  const session = ctx.db.findSession(sessionId);
  if (!session || session.revoked || session.user_id !== userId) return undefined;
  return ctx.now() < session.expires_at ? session : undefined;
}

/**
 * The live session (see `liveSession`) an id_token of `sub` was issued in: any of them, when
 * the same token was issued in several (a new sign-in in the second a signed-out one began).
 */
export function sessionOfIdToken(
  ctx: TenantContext,
  idToken: string,
  sub: string,
): SessionRow | undefined {
  for (const id of ctx.db.idTokenSessions(idToken)) {
    const live = liveSession(ctx, id, sub);
    if (live) return live;
  }
  return undefined;
}

/** The `exp` (s) of an id_token issued now in `session`: its lifetime, cut at the session's end. */
export function idTokenExpiry(ctx: TenantContext, session: SessionRow): number {
  const iat = Math.floor(ctx.now() / 1000);
  return Math.min(
    iat + Math.round(ctx.config.idTokenLifetime),
    Math.floor(session.expires_at / 1000),
  );
}

/**
 * `asked`, the scope of a renewal in `session`, when it holds no word the session was not
 * granted at sign-in; else 400 `invalid_scope` (no widening by refresh, jwt-bearer or
 * /delegation). `alwaysOpenid`: the bare `openid` passes even when not granted (/delegation's
 * answer is an id_token, and `openid` adds no claim).
 */
export function scopeWithin(
  session: Pick<SessionRow, 'scope'>,
  asked: string,
  alwaysOpenid = false,
): string {
  const granted = scopeWords(session.scope);
  const wider = [...scopeWords(asked)].filter(
    (w) => !granted.has(w) && !(alwaysOpenid && w === 'openid'),
  );
  if (wider.length > 0) {
    throw tenantError.invalidScope(
      `the scope asked for is wider than the one granted at sign-in: ${wider.join(' ')} was not granted`,
    );
  }
  return asked;
}

/**
 * Whether the session of an access token was revoked (sign-out, password change) or is gone; an access token without a session (none is issued so) counts as revoked.
 */
export function sessionRevoked(ctx: TenantContext, sessionId: string | undefined): boolean {
  const session = sessionId ? ctx.db.findSession(sessionId) : undefined;
  return !session || session.revoked;
}
