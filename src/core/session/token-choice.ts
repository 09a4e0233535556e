/**
 * What `token()` decides about a session's tokens: which one it hands out, when that one
 * expires, whether it must be renewed first, and which failures of a renewal mean the session
 * is over (so it is removed) or only that the tenant could not be reached.
 */
import { notSignedIn, type SignInError } from '../../shared/errors.js';
import type { TokenType } from '../../shared/session.js';
import { tryDecodeToken } from '../tokens/decode.js';
import type { RecordKey, SessionRecord } from '../vault/vault.js';

/** The token of `type` a record holds, if any. */
export const tokenOf = (record: SessionRecord, type: TokenType): string | undefined =>
  type === 'id' ? record.id_token : record.access_token;

/** When a token expires (ms): a JWT's `exp`, else `fallback` (the access token's stored expiry). */
export function expiryMs(token: string | undefined, fallback?: string): number | undefined {
  const exp = token ? tryDecodeToken(token)?.payload.exp : undefined;
  if (typeof exp === 'number') return exp * 1000;
  const at = fallback ? Date.parse(fallback) : NaN;
  return Number.isFinite(at) ? at : undefined;
}

/** The expiry (ms) of the token of `type` in `record`. */
export const recordTokenExpiry = (record: SessionRecord, type: TokenType) =>
  expiryMs(tokenOf(record, type), type === 'access' ? record.access_expires_at : undefined);

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
  const now = Date.now();
  if (exp <= now) return true;
  if (exp >= now + minValidS * 1000) return false;
  const lifetime = lifetimeMs(record, type);
  if (lifetime !== undefined && lifetime <= minValidS * 1000)
    return Date.parse(record.obtained_at) < PROCESS_STARTED_MS;
  return true;
}

/** Errors that mean the tenant could not be asked (as opposed to a tenant that said no). */
const UNREACHABLE = new Set([
  'network_unreachable',
  'dns_failed',
  'timeout',
  'tls_error',
  'server_error',
]);
export const isUnreachable = (e: SignInError) => UNREACHABLE.has(e.code);

/**
 * A refusal that ends the session: the tenant no longer honours its refresh token (revoked,
 * rotated away, unknown: `invalid_grant`, or 401 `unauthorized`/`invalid refresh token`) or
 * refuses its user (blocked: 401). Rate limits (429), a client not allowed a grant (403) and
 * server errors leave the session as it is.
 */
export const endsSession = (e: SignInError) =>
  e.code === 'invalid_grant' || (e.status === 401 && e.code !== 'invalid_client');

/** What to do to get a session again: open Signet, or the CLI's `login` for this account. */
export function signInAgain(k: Partial<RecordKey> & { connection?: string }): string {
  const flags = [
    k.tenant ? `--tenant ${k.tenant}` : '--tenant …',
    k.clientId ? `--client-id ${k.clientId}` : '',
    k.connection ? `--connection ${k.connection}` : '--connection …',
    k.username ? `--username ${k.username}` : '--username …',
  ].filter(Boolean);
  return `Sign in again: open Signet, or run: signet login ${flags.join(' ')}`;
}

/** `not_signed_in` for a session the tenant ended, naming the tenant and what to do. */
export function sessionEnded(record: SessionRecord, refusal: SignInError): SignInError {
  return {
    ...notSignedIn(
      `The session of ${record.username} at ${record.tenant} has ended (${refusal.description ?? refusal.message}); it was removed from the keychain.`,
      {
        tenant: record.tenant,
        clientId: record.clientId,
        refusal: refusal.code,
        status: refusal.status ?? null,
      },
    ),
    hint: signInAgain(record),
  };
}

/** `not_signed_in` when no session matches, naming the tenant asked about (when known). */
export function noSession(q: Partial<RecordKey>): SignInError {
  const who = q.username ? ` as ${q.username}` : '';
  return {
    ...notSignedIn(`Not signed in${who} at ${q.tenant ?? 'any tenant'} (no remembered session).`, {
      ...(q.tenant ? { tenant: q.tenant } : {}),
      ...(q.clientId ? { clientId: q.clientId } : {}),
    }),
    hint: signInAgain(q).replace('Sign in again', 'Sign in'),
  };
}
