/**
 * The user's profile, by access token (`GET /userinfo`, Bearer) or by id_token
 * (`POST /tokeninfo`). Neither ever shows secrets or internal flags (`publicProfile`).
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context';
import { verifyIdToken } from '../issuing';
import { bodyOf, invalidRequest, str } from '../request';
import { resolveUser } from '../sign-in';
import { publicProfile, scopeWords } from '../tokens';
import { TenantError } from '../types';

export function registerProfile(app: FastifyInstance, ctx: TenantContext): void {
  app.get('/userinfo', async (req, reply) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const unauthorized = (description: string) =>
      new TenantError(
        401,
        'invalid_token',
        description,
        {},
        { 'www-authenticate': `Bearer realm="${ctx.issuer}", error="invalid_token"` },
      );
    if (!match) throw unauthorized('missing Bearer access token');
    const grant = ctx.accessTokens.get(match[1]!);
    if (!grant) throw unauthorized('invalid or expired access token');
    if (!scopeWords(grant.scope).has('openid')) {
      throw new TenantError(
        403,
        'insufficient_scope',
        'the access token was not issued with the openid scope',
        {},
        {
          'www-authenticate': `Bearer realm="${ctx.issuer}", error="insufficient_scope", scope="openid"`,
        },
      );
    }
    return reply.send({ sub: grant.profile.user_id, ...publicProfile(grant.profile) });
  });

  app.post('/tokeninfo', async (req, reply) => {
    const body = bodyOf(req);
    const idToken = str(body, 'id_token');
    if (!idToken) throw invalidRequest('missing id_token parameter');
    let sub: string;
    try {
      sub = (await verifyIdToken(ctx, idToken)).sub;
    } catch {
      throw new TenantError(401, 'invalid_token', 'invalid id_token');
    }
    const found = await resolveUser(ctx, sub);
    if (!found)
      throw new TenantError(401, 'invalid_token', 'the user of the id_token does not exist');
    return reply.send({ sub, ...publicProfile(found.profile) });
  });
}
