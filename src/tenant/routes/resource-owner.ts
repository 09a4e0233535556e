/**
 * `POST /oauth/ro`: the legacy Resource Owner endpoint. The `password` grant signs in on a
 * database, AD/LDAP or sms connection (with `mfa_code` for users with TOTP enrolled) and starts
 * a session; the jwt-bearer grant trades an id_token and a `device` for new tokens in the
 * id_token's session, while it lasts: no refresh token, no scope beyond the session's. Renewals
 * are rate-limited per user and IP as /delegation is (the same number per minute, counted in a
 * window of their own; 429 `too_many_requests` with `Retry-After` and `X-RateLimit-*`): each one
 * stores an id_token row for the session's lifetime.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ClientConfig } from '../config';
import type { TenantContext } from '../context';
import type { SessionRow } from '../database';
import { issueTokens, verifyIdToken } from '../issuing';
import { GRANT, MESSAGES } from '../../shared/auth0-protocol';
import { addressKey, rateLimited, rateLimitHeaders, SlidingWindow } from '../rate-limit';
import { bodyOf, invalidRequest, scopeOf, str, type Body } from '../request';
import {
  activeUser,
  connectionErrors,
  legacyClient,
  lookupConnection,
  signInWithCredentials,
  strategyNotSupported,
  totpValid,
} from '../sign-in';
import { scopeWithin, SESSION_ENDED, sessionOfIdToken } from '../sessions';
import { scopeWords } from '../tokens';
import { tenantError } from '../errors';
import type { UserProfile } from '../types';

interface SignedIn {
  profile: UserProfile;
  connection: string;
  /** The session renewed (jwt-bearer); absent: the sign-in starts one. */
  session?: SessionRow;
}

/**
 * jwt-bearer: an id_token of this client, of a live session, for a user who still exists and is
 * not blocked, asking for no scope beyond the session's. `countRenewal` takes one renewal of the
 * user's from the rate limit (throwing 429 when none is left).
 */
async function jwtBearerGrant(
  ctx: TenantContext,
  body: Body,
  client: ClientConfig,
  device: string | undefined,
  scope: string,
  countRenewal: (sub: string) => void,
): Promise<SignedIn> {
  if (!device) throw invalidRequest('missing device parameter');
  const idToken = str(body, 'id_token');
  if (!idToken) throw invalidRequest('missing id_token parameter');
  let payload: Awaited<ReturnType<typeof verifyIdToken>>;
  try {
    payload = await verifyIdToken(ctx, idToken, client.client_id);
  } catch {
    throw tenantError.idTokenRefused('invalid id_token');
  }
  const session = sessionOfIdToken(ctx, idToken, payload.sub);
  if (!session) throw tenantError.idTokenRefused(SESSION_ENDED);
  scopeWithin(session, scope);
  countRenewal(payload.sub);
  const connectionName = str(body, 'connection');
  if (connectionName) {
    const entry = lookupConnection(ctx, connectionName, client, connectionErrors());
    if (entry.config.type === 'social') throw strategyNotSupported();
  }
  const user = await activeUser(
    ctx,
    payload.sub,
    tenantError.idTokenRefused('the user of the id_token does not exist'),
    connectionName,
  );
  return { ...user, session };
}

/** password: username and password (or SMS code) on a connection, then the MFA code if enrolled. */
async function passwordGrant(
  ctx: TenantContext,
  body: Body,
  client: ClientConfig,
  req: FastifyRequest,
): Promise<SignedIn> {
  const username = str(body, 'username');
  if (!username) throw invalidRequest('missing username parameter');
  const password = str(body, 'password');
  if (!password) throw invalidRequest('missing password parameter');
  const connection = str(body, 'connection');
  if (!connection) throw invalidRequest('missing connection parameter');
  // Only password sign-ins take the MFA step (sms connections have no second factor). The
  // code is checked within the password's brute-force attempt, so a wrong code counts as a
  // failed sign-in and only a right one resets the count.
  const { profile } = await signInWithCredentials(ctx, client, {
    connection,
    username,
    secret: password,
    ip: req.ip,
    secondFactor: async (user) => {
      if (!user.mfa_secret) return;
      const mfaCode = body.mfa_code;
      if (mfaCode === undefined || mfaCode === '') throw tenantError.legacyMfaRequired();
      if (!(await totpValid(ctx, user.mfa_secret, String(mfaCode))))
        throw tenantError.legacyMfaInvalid();
    },
  });
  return { profile, connection };
}

export function registerResourceOwner(app: FastifyInstance, ctx: TenantContext): void {
  const perMinute = ctx.config.limits.delegationPerMinute;
  /** jwt-bearer renewals by user and IP, for the rate limit. */
  const renewals = new SlidingWindow(perMinute, 60_000, ctx.now);

  app.post('/oauth/ro', async (req, reply) => {
    const body = bodyOf(req);
    const client = legacyClient(ctx, body, MESSAGES.legacyRoNotAllowed);
    if (client.oidcConformant) throw invalidRequest('OIDC conformant clients cannot use /oauth/ro');
    const scope = scopeOf(body);
    const device = str(body, 'device');
    const grantType = str(body, 'grant_type');

    let signedIn: SignedIn;
    if (grantType === GRANT.jwtBearer) {
      signedIn = await jwtBearerGrant(ctx, body, client, device, scope, (sub) => {
        const key = `${sub}\n${addressKey(req.ip)}`;
        const window = renewals.peek(key);
        if (window.remaining === 0) {
          throw rateLimited(
            'too_many_requests',
            `Too many requests: the jwt-bearer grant allows ${perMinute} per minute per user and IP. Retry in ${window.retryAfterSeconds} s.`,
            window,
          );
        }
        reply.headers(rateLimitHeaders(renewals.hit(key)));
      });
    } else {
      if (!grantType) throw invalidRequest('missing grant_type parameter');
      if (grantType !== GRANT.password) {
        throw tenantError.unsupportedGrantType(
          `grant_type ${grantType} is not supported by /oauth/ro`,
        );
      }
      signedIn = await passwordGrant(ctx, body, client, req);
    }
    const issued = await issueTokens(ctx, {
      ...signedIn,
      client,
      scope,
      refresh: scopeWords(scope).has('offline_access') && device !== undefined,
      device,
    });
    return reply.send({ ...issued, token_type: 'bearer' });
  });
}
