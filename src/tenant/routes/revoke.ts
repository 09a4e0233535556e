/**
 * `POST /oauth/revoke`: revokes a refresh token or an access token of the calling client. As
 * RFC 7009 asks, an unknown token (or another client's) is answered 200 too, revoking nothing.
 * Revoking a refresh token is signing out: it ends its session, so the session's id_tokens and
 * access tokens stop working too (sessions.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context';
import { ownRefreshToken } from '../issuing';
import { bodyOf, invalidRequest, str } from '../request';
import { tenantError } from '../errors';

export function registerRevoke(app: FastifyInstance, ctx: TenantContext): void {
  app.post('/oauth/revoke', async (req, reply) => {
    const body = bodyOf(req);
    const clientId = str(body, 'client_id');
    if (!clientId) throw invalidRequest('Missing required parameter: client_id');
    const client = ctx.clients.get(clientId);
    if (!client) throw tenantError.unauthorizedClient('invalid client');
    const token = str(body, 'token');
    if (!token) throw invalidRequest('Missing required parameter: token');
    if (ownRefreshToken(ctx, token, client.client_id)) ctx.db.revokeRefreshToken(token);
    else ctx.accessTokens.revoke(token, client.client_id);
    return reply.code(200).send();
  });
}
