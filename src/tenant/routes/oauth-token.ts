/**
 * `POST /oauth/token` with the grants today's tenants sign in with: password-realm (answered
 * 403 `mfa_required` with an `mfa_token` for users with TOTP enrolled), passwordless/otp,
 * mfa-otp (redeems that `mfa_token`) and refresh_token. Wrong credentials are 403 `invalid_grant`.
 * A refresh stays in the refresh token's session (sessions.ts) and may narrow its scope, never
 * widen it (400 `invalid_scope`). For a client with `rotateRefreshTokens` it also answers a new
 * refresh token and retires the one presented; a retired one presented again outside the overlap
 * revokes the session (spec §9; issuing.ts `usableRefreshToken`, database.ts `rotateRefreshToken`).
 *
 * An `mfa_token` lives 10 minutes and takes at most 5 codes: the 5th wrong one drops it, and a
 * dropped, expired, unknown or another client's token is 403 `invalid_grant` `Malformed
 * mfa_token` (Auth0's text for a token it does not know). Each code is also an attempt on the
 * account's brute-force counter (as the password was): a wrong code counts a failure, so new
 * tokens do not buy new guesses, and the password step of a user with MFA does not reset it.
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context';
import type { SessionRow } from '../database';
import { rotationOf } from '../config';
import { issueTokens, revokeReusedFamily, usableRefreshToken } from '../issuing';
import { GRANT } from '../../shared/auth0-protocol';
import { bodyOf, invalidRequest, scopeOf, str } from '../request';
import { scopeWithin } from '../sessions';
import { activeUser, signInWithCredentials, totpValid } from '../sign-in';
import { scopeWords } from '../tokens';
import { TenantError, tenantError } from '../errors';
import type { UserProfile } from '../types';

/** Codes an `mfa_token` takes before it is dropped. */
const MFA_TOKEN_MAX_CODES = 5;

const invalidGrant = tenantError.invalidGrant;

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
  const mfaTokens = ctx.mfaTokens;
  const unknownMfaToken = () => invalidGrant('Malformed mfa_token');

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
    if (!client) throw tenantError.invalidClient(`Unknown client: ${clientId}`);
    const scope = scopeOf(body);

    /**
     * Issues the tokens of `grantScope` and answers with them. A `renewal` (refresh_token grant,
     * in the refresh token's session) counts no sign-in and gets no new refresh token but the
     * `rotated` one, when rotation made one.
     */
    const answer = async (
      profile: UserProfile,
      connection: string,
      grantScope: string,
      renewal?: SessionRow,
      rotated?: string,
    ) => {
      const issued = await issueTokens(ctx, {
        profile,
        client,
        connection,
        scope: grantScope,
        refresh: !renewal && scopeWords(grantScope).has('offline_access'),
        countSignIn: !renewal,
        ...(renewal ? { session: renewal } : {}),
      });
      return reply.send({
        ...issued,
        ...(rotated ? { refresh_token: rotated } : {}),
        ...(grantScope ? { scope: grantScope } : {}),
        expires_in: Math.round(ctx.config.accessTokenLifetime),
        token_type: 'Bearer',
      });
    };

    /** password-realm and passwordless/otp: the credentials of `realm`, wrong ones 403. */
    const credentialsGrant = async (
      realm: string,
      username: string,
      secretField: 'password' | 'otp',
      secondFactor?: (user: UserProfile) => Promise<void>,
    ) => {
      const { profile } = await asInvalidGrant(
        signInWithCredentials(ctx, client, {
          connection: realm,
          username,
          secret: need(secretField),
          ip: req.ip,
          accept: secretField === 'password' ? 'password' : 'sms',
          ...(secondFactor ? { secondFactor } : {}),
        }),
      );
      return answer(profile, realm, scope);
    };

    switch (grantType) {
      case GRANT.passwordRealm: {
        const realm = need('realm');
        const username = need('username');
        // A user with MFA gets an mfa_token instead of tokens. Thrown within the password's
        // brute-force attempt, it neither counts nor resets: only the right code resets.
        const secondFactor = async (user: UserProfile) => {
          if (!user.mfa_secret) return;
          const mfaToken = mfaTokens.issue({
            userId: user.user_id,
            clientId,
            connection: realm,
            scope,
            profile: user,
            account: username,
            passwordStamp: ctx.db.passwordStamp(user.user_id),
            codesTried: 0,
            redeemed: false,
          });
          throw tenantError.mfaRequired({ extra: { mfa_token: mfaToken } });
        };
        return credentialsGrant(realm, username, 'password', secondFactor);
      }
      case GRANT.passwordlessOtp:
        return credentialsGrant(need('realm'), need('username'), 'otp');
      case GRANT.mfaOtp: {
        const mfaToken = need('mfa_token');
        const otp = need('otp');
        const known = mfaTokens.get(mfaToken);
        if (!known || known.clientId !== clientId) throw unknownMfaToken();
        const key = { connection: known.connection, account: known.account, ip: req.ip };
        const pending = await ctx.attempts
          .attempt(key, async () => {
            // Looked up again: the token may have been dropped or redeemed while this waited.
            const current = mfaTokens.get(mfaToken);
            if (!current || current.redeemed) throw unknownMfaToken();
            // The password it passed was changed since: whoever knew the old one is done.
            if (ctx.db.passwordStamp(current.userId) !== current.passwordStamp) {
              mfaTokens.delete(mfaToken);
              throw unknownMfaToken();
            }
            // Take one of the token's tries before the check, so simultaneous codes cannot
            // exceed them; the last try drops the token whatever its outcome.
            current.codesTried += 1;
            if (current.codesTried >= MFA_TOKEN_MAX_CODES) mfaTokens.delete(mfaToken);
            const valid = await totpValid(ctx, current.profile.mfa_secret ?? '', otp);
            if (!valid) throw tenantError.mfaInvalid();
            if (current.redeemed) throw unknownMfaToken(); // a simultaneous right code won
            current.redeemed = true;
            mfaTokens.delete(mfaToken);
            return current;
          })
          .catch((err: unknown) => {
            if (err instanceof TenantError && err.error === 'a0.mfa_invalid_code')
              throw invalidGrant(err.description);
            throw err;
          });
        return answer(pending.profile, pending.connection, pending.scope);
      }
      case GRANT.refreshToken: {
        const refreshToken = need('refresh_token');
        const own = usableRefreshToken(ctx, refreshToken, client);
        if (!own) throw tenantError.unknownRefreshToken();
        const found = await activeUser(ctx, own.row.user_id, tenantError.unknownRefreshToken());
        const granted = scope ? scopeWithin(own.session, scope) : own.row.scope;
        // Rotation (or the previous token of a client whose rotation was since turned off):
        // decided again in one transaction, as a concurrent request may have rotated it meanwhile.
        let rotated: string | undefined;
        const rotation = rotationOf(client);
        if (rotation.rotate || own.standing === 'previous') {
          rotated = ctx.db.rotateRefreshToken(refreshToken, ctx.now(), rotation.overlapMs);
          if (rotated === undefined) {
            revokeReusedFamily(ctx, own.session);
            throw tenantError.unknownRefreshToken();
          }
        }
        return answer(found.profile, found.connection, granted, own.session, rotated);
      }
      default:
        throw tenantError.unsupportedGrantType(`Unsupported grant type: ${grantType}`);
    }
  });
}
