/**
 * The password grants of a sign-in (database, AD/LDAP, and SMS with its code as the password):
 * `legacy` posts `/oauth/ro`; `modern` posts `/oauth/token`; `auto` tries legacy and, when the
 * tenant answers 403 "Grant type … not allowed", switches to modern and remembers that for
 * the tenant and client. MFA: legacy sends the code along (`mfa_code`); modern answers the
 * first call with an `mfa_token`, kept here in memory until the same user calls again with
 * the code (the mfa-otp grant).
 */
import type { Protocol } from '../../shared/settings.js';
import type { PasswordGrantParams, TokenSet } from '../auth/client.js';
import { isLegacyGrantRefused } from '../auth/server-errors.js';
import { SignInFailure, fail } from '../errors.js';
import type { TenantContext } from './tenant-context.js';

/** The tokens of a password sign-in and the protocol that actually answered. */
export interface GrantResult {
  tokens: TokenSet;
  used: 'legacy' | 'modern';
}

/**
 * Runs the password grant `requested` asks for (`auto`: legacy first, modern once the tenant
 * refused legacy). Rejects with the tenant's error, `a0.mfa_required` / `mfa_required`
 * included: the caller asks for the code and calls again with `mfaCode`.
 */
export async function passwordGrant(
  ctx: TenantContext,
  params: PasswordGrantParams,
  requested: Protocol,
): Promise<GrantResult> {
  if (requested === 'modern' || (requested === 'auto' && ctx.learnedModern))
    return { tokens: await modernGrant(ctx, params), used: 'modern' };
  try {
    return { tokens: await ctx.auth.legacyPassword(params), used: 'legacy' };
  } catch (err) {
    if (!(requested === 'auto' && err instanceof SignInFailure && isLegacyGrantRefused(err.error)))
      throw err;
    ctx.learnedModern = true;
    return { tokens: await modernGrant(ctx, params), used: 'modern' };
  }
}

/** The modern grant, with the MFA step's token kept per connection and user until used. */
async function modernGrant(ctx: TenantContext, params: PasswordGrantParams): Promise<TokenSet> {
  const key = `${params.connection}|${params.username}`;
  const mfaToken = params.mfaCode ? ctx.mfaTokens.get(key) : undefined;
  const r = await ctx.auth.modernPassword({ ...params, ...(mfaToken ? { mfaToken } : {}) });
  if ('mfaRequired' in r) {
    ctx.mfaTokens.set(key, r.mfaToken);
    fail(r.error);
  }
  ctx.mfaTokens.delete(key);
  return r;
}
