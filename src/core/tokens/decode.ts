/**
 * Decoding a JWT for display: header and payload, no trust implied. Used for the claims view,
 * `signet decode`, and to read `exp` of a stored token before deciding to refresh it.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { claimsView, type ClaimView } from '../../shared/claims.js';
import { fail } from '../errors.js';
import { errorText } from '../../shared/error-text.js';

export interface DecodedToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  claims: ClaimView[];
  /** ISO time of `exp`, or null when the token has none. */
  expiresAt: string | null;
}

/** Decodes a compact JWT. Throws `invalid_input` when it is not one. */
export function decodeToken(jwt: string, nowMs: number = Date.now()): DecodedToken {
  const token = jwt.trim();
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token) as Record<string, unknown>;
    payload = decodeJwt(token) as Record<string, unknown>;
  } catch (err) {
    fail({
      code: 'invalid_input',
      ...errorText('errors.input.notJwt'),
      detail: { cause: err instanceof Error ? err.message : String(err) },
    });
  }
  return { header, payload, claims: claimsView(payload, nowMs), expiresAt: expiresAt(payload) };
}

/** Like `decodeToken`, but undefined instead of throwing. */
export function tryDecodeToken(jwt: string, nowMs: number = Date.now()): DecodedToken | undefined {
  try {
    return decodeToken(jwt, nowMs);
  } catch {
    return undefined;
  }
}

/** `exp` as ISO, or null. */
export function expiresAt(payload: Record<string, unknown>): string | null {
  return typeof payload.exp === 'number' ? new Date(payload.exp * 1000).toISOString() : null;
}

/**
 * When a token expires (ms since the epoch): a JWT's `exp`; undefined for an opaque token or a
 * JWT without one. The one reading of `exp` for decisions (renew? list as expired?), unverified.
 */
export function tokenExpiryMs(token: string | undefined): number | undefined {
  const exp = token ? tryDecodeToken(token)?.payload.exp : undefined;
  return typeof exp === 'number' ? exp * 1000 : undefined;
}
