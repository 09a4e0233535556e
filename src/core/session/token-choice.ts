/**
 * What `token()` decides about a session's tokens: which one it hands out, when that one
 * expires, and whether it must be renewed first. (What a failed renewal means for the session
 * is the shared classification in src/shared/errors.ts; what the user reads, session-errors.ts.)
 */
import type { TokenType } from '../../shared/session.js';
import { tokenExpiryMs, tryDecodeToken } from '../tokens/decode.js';
import type { SessionRecord } from '../vault/vault.js';

/** The token of `type` a record holds, if any. */
export const tokenOf = (record: SessionRecord, type: TokenType): string | undefined =>
  type === 'id' ? record.id_token : record.access_token;

/** When a token expires (ms): a JWT's `exp`, else `fallback` (the access token's stored expiry). */
export function expiryMs(token: string | undefined, fallback?: string): number | undefined {
  const exp = tokenExpiryMs(token);
  if (exp !== undefined) return exp;
  const at = fallback ? Date.parse(fallback) : NaN;
  return Number.isFinite(at) ? at : undefined;
}

/** The expiry (ms) of the token of `type` in `record`. */
export const recordTokenExpiry = (record: SessionRecord, type: TokenType) =>
  expiryMs(tokenOf(record, type), type === 'access' ? record.access_expires_at : undefined);

/** Whether the token of `type` has an expiry and it comes within `seconds` from now (or passed). */
export function expiresWithin(record: SessionRecord, type: TokenType, seconds: number): boolean {
  const exp = recordTokenExpiry(record, type);
  return exp !== undefined && exp < Date.now() + seconds * 1000;
}

/** The moment this process started. */
export const PROCESS_STARTED_MS = Math.floor(performance.timeOrigin);

/** How long (ms) the token of `type` lived from issue to expiry: what a renewal would give. */
function lifetimeMs(record: SessionRecord, type: TokenType): number | undefined {
  const token = tokenOf(record, type);
  const iat = token ? tryDecodeToken(token)?.payload.iat : undefined;
  const exp = recordTokenExpiry(record, type);
  if (exp === undefined) return undefined;
  const issued = typeof iat === 'number' ? iat * 1000 : Date.parse(record.obtained_at);
  return Number.isFinite(issued) ? exp - issued : undefined;
}

/**
 * Whether the token of `type` must be renewed before it is handed out with `minValidS` seconds
 * left. When `minValidS` is longer than the tokens the tenant issues live, no renewal can
 * satisfy it: then one renewal per process (a session obtained since this process started is
 * as fresh as the tenant gives), or when it expired — so twenty processes started together do
 * not each renew what the first one just renewed.
 */
export function needsRenewal(record: SessionRecord, type: TokenType, minValidS: number): boolean {
  if (!tokenOf(record, type)) return true;
  const exp = recordTokenExpiry(record, type);
  if (exp === undefined) return false; // an opaque token that says nothing: it is what we have
  if (exp <= Date.now()) return true;
  if (!expiresWithin(record, type, minValidS)) return false;
  const lifetime = lifetimeMs(record, type);
  if (lifetime !== undefined && lifetime <= minValidS * 1000)
    return Date.parse(record.obtained_at) < PROCESS_STARTED_MS;
  return true;
}

/**
 * Whether the session's access token can be handed out as "valid for at least `minValid`": only
 * when its expiry is known AND a renewal gives a new one (modern: the refresh_token grant). A
 * legacy session cannot promise either: /oauth/ro sends no `expires_in` for its opaque access
 * token, and /delegation renews only the id_token.
 */
export const canServeAccessToken = (record: SessionRecord): boolean =>
  record.protocol === 'modern' && recordTokenExpiry(record, 'access') !== undefined;
