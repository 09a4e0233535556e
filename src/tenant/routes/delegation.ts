/**
 * `POST /delegation`: trades a refresh token (or an id_token) for a new id_token, for the calling
 * client or another `target` client. Rate-limited per user and IP with a sliding one-minute
 * window, answered with `Retry-After` and `X-RateLimit-*` headers.
 *
 * The new id_token stays in the session of what was presented (sessions.ts): refused once it is
 * revoked or over, never expiring after it, never with a scope word it was not granted (bare
 * `openid` aside; `passthrough`, as auth0.js 7 sends, means the session's scope). A `target` must
 * be a client that may use the legacy grants and the session's connection.
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context';
import type { SessionRow } from '../database';
import { signIdToken, usableRefreshToken, verifyIdToken } from '../issuing';
import { GRANT, MESSAGES } from '../../shared/auth0-protocol';
import { addressKey, rateLimited, rateLimitHeaders, SlidingWindow } from '../rate-limit';
import { bodyOf, invalidRequest, scopeOf, str } from '../request';
import { idTokenExpiry, scopeWithin, SESSION_ENDED, sessionOfIdToken } from '../sessions';
import { activeUser, legacyClient } from '../sign-in';
import { scopeWords } from '../tokens';
import { tenantError } from '../errors';

export function registerDelegation(app: FastifyInstance, ctx: TenantContext): void {
  const { config } = ctx;
  /** Calls by user and IP, for the rate limit. */
  const delegationCalls = new SlidingWindow(config.limits.delegationPerMinute, 60_000, ctx.now);

  app.post('/delegation', async (req, reply) => {
    const body = bodyOf(req);
    const client = legacyClient(ctx, body, MESSAGES.legacyDelegationNotAllowed);
    const grantType = str(body, 'grant_type');
    if (!grantType) throw invalidRequest('missing grant_type parameter');
    if (grantType !== GRANT.jwtBearer) {
      throw tenantError.unsupportedGrantType(
        `grant_type ${grantType} is not supported by /delegation`,
      );
    }
    const asked = scopeOf(body) || 'openid';
    const apiType = body.api_type;
    // `app` and `auth0` (auth0.js 7's refreshToken/renewIdToken) both ask for an id_token.
    if (apiType !== undefined && apiType !== 'app' && apiType !== 'auth0')
      throw invalidRequest(`api_type ${String(apiType)} is not supported: use app or auth0`);
    const targetId = str(body, 'target') ?? client.client_id;
    const target = ctx.clients.get(targetId);
    if (!target) throw invalidRequest(`invalid target: no client ${targetId}`);
    const refreshToken = str(body, 'refresh_token');
    const idToken = str(body, 'id_token');
    if (!refreshToken && !idToken)
      throw invalidRequest('missing refresh_token or id_token parameter');

    let sub: string;
    let session: SessionRow;
    if (refreshToken) {
      // Never rotated here (spec §9); a retired token is a reuse here too.
      const own = usableRefreshToken(ctx, refreshToken, client);
      if (!own) throw tenantError.unauthorized('invalid refresh token');
      sub = own.row.user_id;
      session = own.session;
    } else {
      let payload: Awaited<ReturnType<typeof verifyIdToken>>;
      try {
        payload = await verifyIdToken(ctx, idToken!, client.client_id);
      } catch {
        throw tenantError.unauthorized('invalid id_token');
      }
      sub = payload.sub;
      const live = sessionOfIdToken(ctx, idToken!, sub);
      if (!live) throw tenantError.unauthorized(SESSION_ENDED);
      session = live;
    }
    const scope =
      asked === 'passthrough'
        ? [...scopeWords(session.scope)].filter((w) => w !== 'offline_access').join(' ') || 'openid'
        : scopeWithin(session, asked, true);
    if (!target.legacyGrant)
      throw tenantError.unauthorizedClient(
        `invalid target: client ${targetId} may not use the legacy grants`,
      );
    if (target.connections && !target.connections.includes(session.connection))
      throw tenantError.unauthorizedClient(
        `invalid target: the connection ${session.connection} is not enabled for client ${targetId}`,
      );

    // 10 per minute per user and IP (sliding window; an IPv6 address by its /64).
    const key = `${sub}\n${addressKey(req.ip)}`;
    const window = delegationCalls.peek(key);
    if (window.remaining === 0) {
      throw rateLimited(
        'too_many_requests',
        `Too many requests: /delegation allows ${config.limits.delegationPerMinute} per minute per user and IP. Retry in ${window.retryAfterSeconds} s.`,
        window,
      );
    }
    reply.headers(rateLimitHeaders(delegationCalls.hit(key)));

    const { profile } = await activeUser(
      ctx,
      sub,
      tenantError.unauthorized('the user does not exist'),
    );
    const idTokenOut = await signIdToken(ctx, profile, target, scopeWords(scope), session);
    return reply.send({
      token_type: 'Bearer',
      expires_in: idTokenExpiry(ctx, session) - Math.floor(ctx.now() / 1000),
      id_token: idTokenOut,
    });
  });
}
