/**
 * The tokens the tenant issues: id_tokens (RS256 with the current key, or HS256 with the client
 * secret's UTF-8 bytes), opaque access tokens, and refresh tokens bound to a client. Each belongs
 * to a session (sessions.ts): id_tokens are recorded against it (by hash) and never outlive it.
 */
import {
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWTPayload,
} from 'jose';
import { clientSecretKey, rotationOf, type ClientConfig } from './config';
import type { TenantContext } from './context';
import type { RefreshTokenRow, RefreshTokenStanding, SessionRow } from './database';
import { idTokenExpiry, liveSession, startSession } from './sessions';
import { claimsForScope, scopeWords } from './tokens';
import type { UserProfile } from './types';

export interface Issued {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
}

/**
 * An id_token of `session`, expiring no later than the session and recorded against it (its
 * claims stay Auth0's documented set: no `sid`).
 */
export async function signIdToken(
  ctx: TenantContext,
  profile: UserProfile,
  audienceClient: ClientConfig,
  words: Set<string>,
  session: SessionRow,
): Promise<string> {
  const iat = Math.floor(ctx.now() / 1000);
  const jwt = new SignJWT(claimsForScope(profile, words))
    .setIssuer(ctx.issuer)
    .setSubject(profile.user_id)
    .setAudience(audienceClient.client_id)
    .setExpirationTime(idTokenExpiry(ctx, session))
    .setIssuedAt(iat);
  let token: string;
  if (audienceClient.alg === 'HS256') {
    token = await jwt
      .setProtectedHeader({ typ: 'JWT', alg: 'HS256' })
      .sign(clientSecretKey(audienceClient));
  } else {
    const { kid, privateKey } = await ctx.keys.current();
    token = await jwt.setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid }).sign(privateKey);
  }
  ctx.db.recordIdToken(token, session.session_id);
  return token;
}

/** Verifies an id_token of this tenant (signature, iss, exp); `audience` when given must match. */
export async function verifyIdToken(
  ctx: TenantContext,
  token: string,
  audience?: string,
): Promise<JWTPayload & { sub: string; aud: string }> {
  const header = decodeProtectedHeader(token);
  const payload = decodeJwt(token);
  const aud = typeof payload.aud === 'string' ? payload.aud : undefined;
  const client = aud ? ctx.clients.get(aud) : undefined;
  if (!aud || !client || (audience !== undefined && aud !== audience)) throw new Error('audience');
  let key: CryptoKey | Uint8Array | undefined;
  if (header.alg === 'RS256') key = await ctx.keys.publicKey(header.kid);
  else if (header.alg === 'HS256' && client.alg === 'HS256') key = clientSecretKey(client);
  if (!key) throw new Error('key');
  const { payload: verified } = await jwtVerify(token, key, {
    issuer: ctx.issuer,
    audience: aud,
    algorithms: [header.alg as string],
    currentDate: new Date(ctx.now()),
  });
  if (typeof verified.sub !== 'string') throw new Error('sub');
  return verified as JWTPayload & { sub: string; aud: string };
}

export interface IssueArgs {
  profile: UserProfile;
  client: ClientConfig;
  connection: string;
  scope: string;
  /**
   * Issue a refresh token (offline_access was asked for and, on /oauth/ro, a device given).
   * Only a sign-in that starts a session gets one: with `session` it is ignored.
   */
  refresh: boolean;
  device?: string | undefined;
  /** Count this as a sign-in (default); a refresh is not one. */
  countSignIn?: boolean;
  /** The session this renews (jwt-bearer, refresh); absent: a credential sign-in starts one. */
  session?: SessionRow;
}

/** Records the sign-in and issues the tokens of the scope, in the session (or a new one). */
export async function issueTokens(ctx: TenantContext, args: IssueArgs): Promise<Issued> {
  const words = scopeWords(args.scope);
  const refresh = args.refresh && !args.session;
  const session =
    args.session ??
    startSession(ctx, {
      userId: args.profile.user_id,
      connection: args.connection,
      clientId: args.client.client_id,
      scope: args.scope,
      refresh,
    });
  if (args.countSignIn !== false) {
    ctx.counters.signIns += 1;
    ctx.db.recordLogin(args.profile.user_id);
  }
  const out: Issued = {
    access_token: ctx.accessTokens.issue({
      userId: args.profile.user_id,
      clientId: args.client.client_id,
      connection: args.connection,
      scope: args.scope,
      profile: args.profile,
      sessionId: session.session_id,
    }),
  };
  if (words.has('openid'))
    out.id_token = await signIdToken(ctx, args.profile, args.client, words, session);
  if (refresh) {
    out.refresh_token = ctx.db.issueRefreshToken({
      user_id: args.profile.user_id,
      connection: args.connection,
      client_id: args.client.client_id,
      device: args.device ?? null,
      scope: args.scope,
      session_id: session.session_id,
    });
  }
  return out;
}

/**
 * A live refresh token issued to `clientId`, with its session; another client's token, and a
 * token whose session was revoked or is over, are as good as unknown.
 */
export function ownRefreshToken(
  ctx: TenantContext,
  token: string,
  clientId: string,
): { row: RefreshTokenRow; session: SessionRow } | undefined {
  const row = ctx.db.findRefreshToken(token);
  if (!row || row.client_id !== clientId) return undefined;
  const session = liveSession(ctx, row.session_id, row.user_id);
  return session ? { row, session } : undefined;
}

/**
 * A refresh token of `client` that a grant (/oauth/token's refresh_token, /delegation) may use
 * now: the current one, or under rotation the immediately previous one within the client's
 * overlap period (`standing: 'previous'`). A retired token presented beyond that is a reuse,
 * the sign of a stolen token (spec §9): its session is revoked, so the whole family ends (its
 * refresh tokens, id_tokens and access tokens), and it answers undefined as an unknown one does.
 */
export function usableRefreshToken(
  ctx: TenantContext,
  token: string,
  client: ClientConfig,
): { row: RefreshTokenRow; session: SessionRow; standing: RefreshTokenStanding } | undefined {
  const own = ownRefreshToken(ctx, token, client.client_id);
  if (!own) return undefined;
  const standing = ctx.db.refreshTokenStanding(token, ctx.now(), rotationOf(client).overlapMs);
  if (standing === undefined) return undefined;
  if (standing === 'reused') {
    revokeReusedFamily(ctx, own.session);
    return undefined;
  }
  return { ...own, standing };
}

/** Ends the session of a reused refresh token (and says so in the log, never the token). */
export function revokeReusedFamily(ctx: TenantContext, session: SessionRow): void {
  ctx.db.revokeSession(session.session_id);
  ctx.log(
    `tenant: a retired refresh token of client ${session.client_id} was presented again: its session is revoked`,
  );
}
