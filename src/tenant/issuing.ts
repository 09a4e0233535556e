/**
 * The tokens the tenant issues: id_tokens (RS256 with the current key, or HS256 with the client
 * secret's UTF-8 bytes), opaque access tokens, and refresh tokens bound to a client.
 */
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { ClientConfig } from './config';
import type { TenantContext } from './context';
import type { RefreshTokenRow } from './database';
import { claimsForScope, scopeWords } from './tokens';
import type { UserProfile } from './types';

export interface Issued {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
}

export async function signIdToken(
  ctx: TenantContext,
  profile: UserProfile,
  audienceClient: ClientConfig,
  words: Set<string>,
): Promise<string> {
  const iat = Math.floor(ctx.now() / 1000);
  const jwt = new SignJWT(claimsForScope(profile, words))
    .setIssuer(ctx.issuer)
    .setSubject(profile.user_id)
    .setAudience(audienceClient.client_id)
    .setExpirationTime(iat + Math.round(ctx.config.idTokenLifetime))
    .setIssuedAt(iat);
  if (audienceClient.alg === 'HS256') {
    return jwt
      .setProtectedHeader({ typ: 'JWT', alg: 'HS256' })
      .sign(new TextEncoder().encode(audienceClient.client_secret));
  }
  const { kid, privateKey } = await ctx.keys.current();
  return jwt.setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid }).sign(privateKey);
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
  else if (header.alg === 'HS256' && client.alg === 'HS256')
    key = new TextEncoder().encode(client.client_secret);
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
  /** Issue a refresh token (offline_access was asked for and, on /oauth/ro, a device given). */
  refresh: boolean;
  device?: string | undefined;
  /** Count this as a sign-in (default); a refresh is not one. */
  countSignIn?: boolean;
}

/** Records the sign-in and issues the tokens of the scope. */
export async function issueTokens(ctx: TenantContext, args: IssueArgs): Promise<Issued> {
  const words = scopeWords(args.scope);
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
    }),
  };
  if (words.has('openid')) out.id_token = await signIdToken(ctx, args.profile, args.client, words);
  if (args.refresh) {
    out.refresh_token = ctx.db.issueRefreshToken({
      user_id: args.profile.user_id,
      connection: args.connection,
      client_id: args.client.client_id,
      device: args.device ?? null,
      scope: args.scope,
    });
  }
  return out;
}

/** A live refresh token issued to `clientId`; another client's token is as good as unknown. */
export function ownRefreshToken(
  ctx: TenantContext,
  token: string,
  clientId: string,
): RefreshTokenRow | undefined {
  const row = ctx.db.findRefreshToken(token);
  return row && row.client_id === clientId ? row : undefined;
}
