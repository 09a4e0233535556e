/**
 * `POST /delegation`: trades a refresh token (or an id_token) for a new id_token, for the calling
 * client or another `target` client. Rate-limited per user and IP with a sliding one-minute
 * window, answered with `Retry-After` and `X-RateLimit-*` headers.
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context';
import { ownRefreshToken, signIdToken, verifyIdToken } from '../issuing';
import { GRANT, MESSAGES } from '../protocol';
import { bodyOf, invalidRequest, scopeOf, str } from '../request';
import { activeUser, legacyClient } from '../sign-in';
import { scopeWords } from '../tokens';
import { TenantError } from '../types';

export function registerDelegation(app: FastifyInstance, ctx: TenantContext): void {
  const { config } = ctx;
  /** Call times (ms) by user and IP, for the rate limit. */
  const delegationCalls = new Map<string, number[]>();

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
    const t = ctx.now();
    const recent = (delegationCalls.get(key) ?? []).filter((x) => t - x < 60_000);
    if (recent.length >= config.limits.delegationPerMinute) {
      const resetMs = recent[0]! + 60_000;
      const retryAfter = Math.max(1, Math.ceil((resetMs - t) / 1000));
      throw new TenantError(
        429,
        'too_many_requests',
        `Too many requests: /delegation allows ${config.limits.delegationPerMinute} per minute per user and IP. Retry in ${retryAfter} s.`,
        {},
        {
          'retry-after': String(retryAfter),
          'x-ratelimit-limit': String(config.limits.delegationPerMinute),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
        },
      );
    }
    recent.push(t);
    delegationCalls.set(key, recent);
    reply.header('x-ratelimit-limit', String(config.limits.delegationPerMinute));
    reply.header(
      'x-ratelimit-remaining',
      String(config.limits.delegationPerMinute - recent.length),
    );
    reply.header('x-ratelimit-reset', String(Math.ceil((recent[0]! + 60_000) / 1000)));

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
