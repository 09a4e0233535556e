/**
 * Discovery: `GET /.well-known/openid-configuration` and `GET /.well-known/jwks.json` (every
 * current and still-valid previous signing key), and `GET /user/geoloc/country`, which answers the
 * configured default country (no outbound lookups, ever).
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context';
import { GRANT } from '../../shared/auth0-protocol';

export function registerDiscovery(app: FastifyInstance, ctx: TenantContext): void {
  app.get('/.well-known/openid-configuration', async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=60');
    return reply.send({
      issuer: ctx.issuer,
      authorization_endpoint: `${ctx.issuer}authorize`,
      token_endpoint: `${ctx.issuer}oauth/token`,
      userinfo_endpoint: `${ctx.issuer}userinfo`,
      jwks_uri: `${ctx.issuer}.well-known/jwks.json`,
      revocation_endpoint: `${ctx.issuer}oauth/revoke`,
      scopes_supported: [
        'openid',
        'profile',
        'offline_access',
        'name',
        'given_name',
        'family_name',
        'nickname',
        'email',
        'email_verified',
        'picture',
        'created_at',
        'identities',
        'phone',
        'address',
      ],
      response_types_supported: [
        'code',
        'token',
        'id_token',
        'code token',
        'code id_token',
        'token id_token',
        'code token id_token',
      ],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['HS256', 'RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      grant_types_supported: [
        GRANT.password,
        GRANT.jwtBearer,
        GRANT.passwordRealm,
        GRANT.passwordlessOtp,
        GRANT.mfaOtp,
        GRANT.refreshToken,
      ],
      claims_supported: [
        'aud',
        'auth_time',
        'created_at',
        'email',
        'email_verified',
        'exp',
        'family_name',
        'given_name',
        'iat',
        'identities',
        'iss',
        'name',
        'nickname',
        'phone_number',
        'picture',
        'sub',
        'groups',
        'upn',
      ],
    });
  });

  app.get('/.well-known/jwks.json', async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=60');
    return reply.send(await ctx.keys.jwks());
  });

  app.get('/user/geoloc/country', async (_req, reply) =>
    reply.send({ country_code: ctx.config.geoloc.defaultCountry }),
  );
}
