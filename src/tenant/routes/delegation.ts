/**
 * `POST /delegation`: trades a refresh token (or an id_token) for a new id_token, for the calling
 * client or another `target` client. Rate-limited per user and IP with a sliding one-minute
 * window, answered with `Retry-After` and `X-RateLimit-*` headers.
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context';
import { ownRefreshToken, signIdToken, verifyIdToken } from '../issuing';
import { GRANT, MESSAGES } from '../protocol';
import { rateLimited, rateLimitHeaders, SlidingWindow } from '../rate-limit';
import { bodyOf, invalidRequest, scopeOf, str } from '../request';
import { activeUser, legacyClient } from '../sign-in';
import { scopeWords } from '../tokens';
import { TenantError } from '../types';

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
      throw new TenantError(
        400,
        'unsupported_grant_type',
        `grant_type ${grantType} is not supported by /delegation`,
      );
    }
    const scope = scopeOf(body) || 'openid';
    const apiType = body.api_type;
    if (apiType !== undefined && apiType !== 'app')
      throw invalidRequest(`api_type ${String(apiType)} is not supported: use app`);
    const targetId = str(body, 'target') ?? client.client_id;
    const target = ctx.clients.get(targetId);
    if (!target) throw invalidRequest(`invalid target: no client ${targetId}`);
    const refreshToken = str(body, 'refresh_token');
    const idToken = str(body, 'id_token');
    if (!refreshToken && !idToken)
      throw invalidRequest('missing refresh_token or id_token parameter');

    let sub: string;
    if (refreshToken) {
      const row = ownRefreshToken(ctx, refreshToken, client.client_id);
      if (!row) throw new TenantError(401, 'unauthorized', 'invalid refresh token');
      sub = row.user_id;
    } else {
      try {
        sub = (await verifyIdToken(ctx, idToken!, client.client_id)).sub;
      } catch {
        throw new TenantError(401, 'unauthorized', 'invalid id_token');
      }
    }

    // 10 per minute per user and IP (sliding window).
    const key = `${sub}\n${req.ip}`;
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
      new TenantError(401, 'unauthorized', 'the user does not exist'),
    );
    const idTokenOut = await signIdToken(ctx, profile, target, scopeWords(scope));
    return reply.send({
      token_type: 'Bearer',
      expires_in: Math.round(config.idTokenLifetime),
      id_token: idTokenOut,
    });
  });
}
