/**
 * The user's profile, by access token (`GET /userinfo`, Bearer) or by id_token
 * (`POST /tokeninfo`). Neither ever shows secrets or internal flags (`publicProfile`). Both
 * check at each use that the token's session was not revoked (sign-out, password change, block)
 * and that its user still exists and is not blocked.
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context';
import { verifyIdToken } from '../issuing';
import { MESSAGES } from '../../shared/auth0-protocol';
import { bodyOf, invalidRequest, str } from '../request';
import { SESSION_ENDED, sessionOfIdToken, sessionRevoked } from '../sessions';
import { resolveUser } from '../sign-in';
import { publicProfile, scopeWords } from '../tokens';
import { tenantError } from '../errors';

/** Whether an `ad|` user's connection can read the directory without the user's password. */
function canLookUp(ctx: TenantContext, userId: string): boolean {
  const [strategy, name = ''] = userId.split('|');
  const config = ctx.connections.get(name)?.config;
  if (strategy !== 'ad' || config?.type !== 'ad') return false;
  return config.ldap === 'demo' || config.ldap.bindDN !== undefined;
}

export function registerProfile(app: FastifyInstance, ctx: TenantContext): void {
  // GET as OIDC has it; POST (Bearer, no body) as auth0.js 7 sends it.
  app.route({
    method: ['GET', 'POST'],
    url: '/userinfo',
    handler: async (req, reply) => {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      const unauthorized = (description: string) =>
        tenantError.invalidToken(description, {
          headers: { 'www-authenticate': `Bearer realm="${ctx.issuer}", error="invalid_token"` },
        });
      if (!match) throw unauthorized('missing Bearer access token');
      const grant = ctx.accessTokens.get(match[1]!);
      if (!grant) throw unauthorized('invalid or expired access token');
      if (sessionRevoked(ctx, grant.sessionId)) throw unauthorized(SESSION_ENDED);
      // Database and SMS users are in the tenant's own store, so a block (or deletion) since the
      // sign-in is seen here. AD users are looked up again through the connection when it has a
      // service account (the only way to read the directory outside a sign-in): a user gone from
      // it (or a connection disabled) is refused. Without one, nothing is known until the next bind.
      if (/^(auth0|sms)\|/.test(grant.userId) || canLookUp(ctx, grant.userId)) {
        const found = await resolveUser(ctx, grant.userId);
        if (!found) throw unauthorized('the user of the access token does not exist');
        if (found.profile.blocked) throw unauthorized(MESSAGES.blocked);
      }
      if (!scopeWords(grant.scope).has('openid')) {
        throw tenantError.insufficientScope(
          'the access token was not issued with the openid scope',
          {
            headers: {
              'www-authenticate': `Bearer realm="${ctx.issuer}", error="insufficient_scope", scope="openid"`,
            },
          },
        );
      }
      return reply.send({ sub: grant.profile.user_id, ...publicProfile(grant.profile) });
    },
  });

  app.post('/tokeninfo', async (req, reply) => {
    const body = bodyOf(req);
    const idToken = str(body, 'id_token');
    if (!idToken) throw invalidRequest('missing id_token parameter');
    let payload: Awaited<ReturnType<typeof verifyIdToken>>;
    try {
      payload = await verifyIdToken(ctx, idToken);
    } catch {
      throw tenantError.invalidToken('invalid id_token');
    }
    const sub = payload.sub;
    if (!sessionOfIdToken(ctx, idToken, sub)) throw tenantError.invalidToken(SESSION_ENDED);
    const found = await resolveUser(ctx, sub);
    if (!found) throw tenantError.invalidToken('the user of the id_token does not exist');
    if (found.profile.blocked) throw tenantError.invalidToken(MESSAGES.blocked);
    return reply.send({ sub, ...publicProfile(found.profile) });
  });
}
