/**
 * `POST /oauth/token` with the grants today's tenants sign in with: password-realm (answered
 * 403 `mfa_required` with an `mfa_token` for users with TOTP enrolled), passwordless/otp,
 * mfa-otp (redeems that `mfa_token`) and refresh_token. Wrong credentials are 403 `invalid_grant`.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context';
import { issueTokens, ownRefreshToken } from '../issuing';
import { GRANT, MESSAGES } from '../protocol';
import { bodyOf, invalidRequest, scopeOf, str } from '../request';
import { activeUser, signInWithCredentials, totpValid } from '../sign-in';
import { scopeWords } from '../tokens';
import { TenantError, type UserProfile } from '../types';

/** A password sign-in waiting for its TOTP code (mfa-otp grant), by `mfa_token`. */
interface PendingMfa {
  userId: string;
  clientId: string;
  connection: string;
  scope: string;
  profile: UserProfile;
  expiresAt: number;
}

const invalidGrant = (description: string) => new TenantError(403, 'invalid_grant', description);

/** Wrong credentials are 403 `invalid_grant` here (401 `invalid_user_password` on /oauth/ro). */
async function asInvalidGrant<T>(signIn: Promise<T>): Promise<T> {
  try {
    return await signIn;
  } catch (err) {
    if (err instanceof TenantError && err.error === 'invalid_user_password')
      throw invalidGrant(err.description);
    throw err;
  }
}

export function registerOAuthToken(app: FastifyInstance, ctx: TenantContext): void {
  const mfaTokens = new Map<string, PendingMfa>();

  app.post('/oauth/token', async (req, reply) => {
    const body = bodyOf(req);
    const need = (p: string) => {
      const v = str(body, p);
      if (!v) throw invalidRequest(`Missing required parameter: ${p}`);
      return v;
    };
    const grantType = need('grant_type');
    const clientId = need('client_id');
    const client = ctx.clients.get(clientId);
    if (!client) throw new TenantError(401, 'invalid_client', `Unknown client: ${clientId}`);
    const scope = scopeOf(body);

    /**
     * Issues the tokens of `grantScope` and answers with them. A `renewal` (refresh_token grant)
     * counts no sign-in and gets no new refresh token.
     */
    const answer = async (
      profile: UserProfile,
      connection: string,
      grantScope: string,
      renewal = false,
    ) => {
      const issued = await issueTokens(ctx, {
        profile,
        client,
        connection,
        scope: grantScope,
        refresh: !renewal && scopeWords(grantScope).has('offline_access'),
        countSignIn: !renewal,
      });
      return reply.send({
        ...issued,
        ...(grantScope ? { scope: grantScope } : {}),
        expires_in: Math.round(ctx.config.accessTokenLifetime),
        token_type: 'Bearer',
      });
    };

    switch (grantType) {
      case GRANT.passwordRealm: {
        const realm = need('realm');
        const username = need('username');
        const password = need('password');
        const { profile } = await asInvalidGrant(
          signInWithCredentials(ctx, client, {
            connection: realm,
            username,
            secret: password,
            ip: req.ip,
            accept: 'password',
          }),
        );
        if (profile.mfa_secret) {
          const mfaToken = randomBytes(24).toString('base64url');
          mfaTokens.set(mfaToken, {
            userId: profile.user_id,
            clientId,
            connection: realm,
            scope,
            profile,
            expiresAt: ctx.now() + 600_000,
          });
          throw new TenantError(403, 'mfa_required', MESSAGES.mfaRequired, {
            mfa_token: mfaToken,
          });
        }
        return answer(profile, realm, scope);
      }
      case GRANT.passwordlessOtp: {
        const realm = need('realm');
        const username = need('username');
        const otp = need('otp');
        const { profile } = await asInvalidGrant(
          signInWithCredentials(ctx, client, {
            connection: realm,
            username,
            secret: otp,
            ip: req.ip,
            accept: 'sms',
          }),
        );
        return answer(profile, realm, scope);
      }
      case GRANT.mfaOtp: {
        const mfaToken = need('mfa_token');
        const otp = need('otp');
        const pending = mfaTokens.get(mfaToken);
        if (!pending || pending.clientId !== clientId || ctx.now() >= pending.expiresAt) {
          if (pending) mfaTokens.delete(mfaToken);
          throw invalidGrant('Malformed mfa_token');
        }
        if (!(await totpValid(ctx, pending.profile.mfa_secret ?? '', otp)))
          throw invalidGrant('Invalid otp_code.');
        mfaTokens.delete(mfaToken);
        return answer(pending.profile, pending.connection, pending.scope);
      }
      case GRANT.refreshToken: {
        const refreshToken = need('refresh_token');
        const row = ownRefreshToken(ctx, refreshToken, clientId);
        if (!row) throw invalidGrant('Unknown or invalid refresh token.');
        const found = await activeUser(
          ctx,
          row.user_id,
          invalidGrant('Unknown or invalid refresh token.'),
        );
        return answer(found.profile, found.connection, scope || row.scope, true);
      }
      default:
        throw new TenantError(
          400,
          'unsupported_grant_type',
          `Unsupported grant type: ${grantType}`,
        );
    }
  });
}
