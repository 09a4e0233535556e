/**
 * The last steps every session goes through (sign-in, restore, refresh alike): verify the
 * id_token against the tenant's own keys, then describe the session as the plain
 * `SessionResult` the window and the CLI show. No token leaves this module in the result.
 */
import type { SignInError } from '../../shared/errors.js';
import type { Connection } from '../../shared/settings.js';
import type { Profile, SessionResult, Stored } from '../../shared/session.js';
import { issuerOf } from '../auth/tenant-url.js';
import { throwIfCancelled } from '../errors.js';
import { tryDecodeToken } from '../tokens/decode.js';
import type { TokenVerifier, Verification } from '../tokens/verify.js';
import type { SessionRecord } from '../vault/vault.js';
import type { TenantContext } from './tenant-context.js';
import { errorText } from '../../shared/error-text.js';

/** A record's id_token checked: the verdict and the claims it vouches for. */
export interface Checked {
  verification: Verification;
  payload: Record<string, unknown>;
}

/**
 * Verifies the record's id_token with the tenant's JWKS (its own origin only). A record
 * without an id_token is `unverifiable`, not failed (the scope had no openid). `signal`
 * cancels the key fetch: the call then rejects with `cancelled`.
 */
export async function checkIdToken(
  verifier: TokenVerifier,
  ctx: TenantContext,
  record: SessionRecord,
  signal?: AbortSignal,
): Promise<Checked> {
  if (!record.id_token)
    return {
      verification: {
        status: 'unverifiable',
        alg: null,
        kid: null,
        reason: 'The tenant sent no id_token (the scope did not include openid).',
      },
      payload: {},
    };
  const v = await verifier.verify(record.id_token, {
    issuer: issuerOf(ctx.base),
    audience: ctx.clientId,
    jwksUri: new URL('.well-known/jwks.json', ctx.base).href,
    signal,
  });
  throwIfCancelled(signal);
  return { verification: v.verification, payload: v.payload as Record<string, unknown> };
}

/** The error of a session whose token failed verification: it is never kept. */
export function tokenInvalid(verification: Verification): SignInError {
  const text = errorText('errors.response.tokenInvalid', { reason: String(verification.reason) });
  // The reason is a sentence of its own: the window translates it too, not only around it.
  const reason = verification.reasonI18n;
  if (reason)
    text.i18n.sentences = {
      reason: { key: reason.key, ...(reason.values ? { values: reason.values } : {}) },
    };
  return { code: 'token_invalid', ...text, detail: { verification } };
}

/** The answer to an `openid` sign-in that carried no id_token (issue 9, item 11). */
export function noIdToken(scope: string): SignInError {
  return {
    code: 'bad_response',
    ...errorText('errors.response.noIdToken'),
    status: 200,
    detail: { problem: 'no id_token in the answer to an openid sign-in', scope },
  };
}

/** Milliseconds of each step of a call, for the window's and the CLI's timing line. */
export interface StepTimes {
  totalMs: number;
  requestMs: number;
  verifyMs: number;
  storeMs: number;
}

const ms = (t: number) => Math.round(t * 100) / 100;

/** The plain, serialisable description of a verified session. */
export function sessionResult(
  ctx: TenantContext,
  record: SessionRecord,
  connection: Required<Connection>,
  checked: Checked,
  kept: { stored: Stored; storeError?: SignInError },
  times: StepTimes,
): SessionResult {
  const decoded = record.id_token ? tryDecodeToken(record.id_token) : undefined;
  return {
    tenant: ctx.base.href,
    clientId: ctx.clientId,
    connection,
    username: record.username,
    protocol: record.protocol === 'modern' ? 'modern' : 'legacy',
    profile: profileOf(checked.payload, record.username),
    claims: decoded?.claims ?? [],
    verification: checked.verification,
    expiresAt: decoded?.expiresAt ?? null,
    stored: kept.stored,
    ...(kept.storeError ? { storeError: kept.storeError } : {}),
    refreshable: Boolean(record.refresh_token),
    scope: record.scope,
    obtainedAt: record.obtained_at,
    timings: {
      totalMs: ms(times.totalMs),
      requestMs: ms(times.requestMs),
      verifyMs: ms(times.verifyMs),
      storeMs: ms(times.storeMs),
    },
  };
}

/** The `exp` of a JWT (seconds), if it has a numeric one; nothing is verified here. */
export function expiryOf(jwt: string): number | undefined {
  const exp = tryDecodeToken(jwt)?.payload.exp;
  return typeof exp === 'number' ? exp : undefined;
}

function profileOf(p: Record<string, unknown>, username: string): Profile {
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
  const out: Profile = { sub: str('sub') ?? username };
  for (const k of ['name', 'email', 'nickname', 'picture', 'phone_number'] as const) {
    const v = str(k);
    if (v !== undefined) out[k] = v;
  }
  if (Array.isArray(p.groups)) out.groups = p.groups.map(String);
  return out;
}
