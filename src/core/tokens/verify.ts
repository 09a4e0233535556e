/**
 * Proving an id_token genuine: signature against the tenant's JWKS (one remote key set per
 * tenant, fetched from the tenant's own origin through core's own HTTP client), issuer, audience,
 * and one time rule for every algorithm (exp, iat, nbf, with 60 s tolerance).
 * Only RS256 is expected; `none` and other algorithms fail. HS256 is signed with a client
 * secret that a desktop app does not have: it is reported `unverifiable`, never `verified`.
 */
import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import type { HttpClient } from '../auth/http.js';
import { SignInFailure, throwIfCancelled, untilCancelled } from '../errors.js';
import type { Verification } from '../../shared/session.js';
import { errorText, type ErrorText } from '../../shared/error-text.js';

/** Why a token is unverifiable or failed: the English sentence and its key for the window. */
type Reason = Pick<ErrorText, 'message' | 'i18n'>;
export type { Verification };

export interface VerifyOptions {
  /** `https://{domain}/` — the tenant URL with its trailing slash. */
  issuer: string;
  /** The client_id. */
  audience: string;
  /** Defaults to `{issuer}.well-known/jwks.json`. */
  jwksUri?: string;
  /** Seconds of clock skew accepted on exp/iat/nbf. Default 60. */
  toleranceSec?: number;
  /** For tests and the clock-skew check. */
  now?: Date;
  /**
   * The caller's cancel: `verify` rejects with `cancelled` as soon as it fires. jose's JWKS
   * fetch is shared by every caller of a tenant (and has its own signal, its timeout), so it
   * is not aborted: it finishes unobserved and fills the cache.
   */
  signal?: AbortSignal;
}

export interface VerifyResult {
  verification: Verification;
  payload: JWTPayload;
}

/** Algorithms Signet accepts for a signature it can check. */
export const EXPECTED_ALGS = ['RS256'];
const SECRET_ALGS = new Set(['HS256', 'HS384', 'HS512']);

type KeySet = ReturnType<typeof createRemoteJWKSet>;

/** Verifies id_tokens; keeps one cached JWKS per tenant. */
export class TokenVerifier {
  private readonly sets = new Map<string, KeySet>();

  constructor(private readonly http: HttpClient) {}

  /** The JWKS of a tenant (created on first use, then cached by jose for 10 min). */
  keySet(jwksUri: string): KeySet {
    let set = this.sets.get(jwksUri);
    if (!set) {
      set = createRemoteJWKSet(new URL(jwksUri), {
        timeoutDuration: 10_000,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
        [customFetch]: this.http.fetch,
      });
      this.sets.set(jwksUri, set);
    }
    return set;
  }

  /**
   * Verifies one id_token. Never throws for a bad token (the outcome says `failed` and why);
   * throws `SignInFailure` only when the JWKS could not be fetched (a network problem) or the
   * caller cancelled (`o.signal`).
   */
  async verify(idToken: string, o: VerifyOptions): Promise<VerifyResult> {
    throwIfCancelled(o.signal);
    let header: { alg?: string; kid?: string };
    let payload: JWTPayload;
    try {
      header = decodeProtectedHeader(idToken);
      payload = decodeJwt(idToken);
    } catch {
      return failed(null, null, errorText('errors.verify.malformed'), {});
    }
    const alg = typeof header.alg === 'string' ? header.alg : null;
    const kid = typeof header.kid === 'string' ? header.kid : null;
    const tolerance = o.toleranceSec ?? 60;
    const now = o.now ?? new Date();

    if (!alg || alg.toLowerCase() === 'none')
      return failed(alg, kid, errorText('errors.verify.unsigned'), payload);
    if (SECRET_ALGS.has(alg)) {
      // No signature check is possible; the claims are still checked so an expired or foreign
      // token fails rather than looking merely "unverifiable".
      const claimProblem = checkClaims(payload, o, tolerance, now);
      if (claimProblem) return failed(alg, kid, claimProblem, payload);
      const why = errorText('errors.verify.clientSecret', { alg });
      return {
        verification: {
          status: 'unverifiable',
          alg,
          kid,
          reason: why.message,
          reasonI18n: why.i18n,
        },
        payload,
      };
    }
    if (!EXPECTED_ALGS.includes(alg))
      return failed(
        alg,
        kid,
        errorText('errors.verify.unexpectedAlg', { alg, expected: EXPECTED_ALGS.join(', ') }),
        payload,
      );

    const jwksUri = o.jwksUri ?? new URL('.well-known/jwks.json', o.issuer).href;
    // Signing keys come only from the tenant's own origin (scheme, host, port), never from a
    // place a document names: the same rule as `check` (diagnostics/check.ts).
    if (new URL(jwksUri).origin !== new URL(o.issuer).origin)
      throw new SignInFailure({
        code: 'internal_error',
        ...errorText('errors.keys.foreignOrigin'),
        detail: { jwksUri, issuer: o.issuer },
      });
    const keys = this.keySet(jwksUri);
    const options = {
      issuer: o.issuer,
      audience: o.audience,
      algorithms: EXPECTED_ALGS,
      clockTolerance: tolerance,
      currentDate: now,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    };
    try {
      try {
        const r = await untilCancelled(jwtVerify(idToken, keys, options), o.signal);
        return verified(alg, kid, r.payload, tolerance, now);
      } catch (err) {
        // A kid we do not know may be a key the tenant just rotated in: fetch the JWKS again
        // once, even inside jose's cooldown, then decide.
        if (err instanceof errors.JWKSNoMatchingKey && keys.coolingDown) {
          await untilCancelled(keys.reload(), o.signal);
          const r = await untilCancelled(jwtVerify(idToken, keys, options), o.signal);
          return verified(alg, kid, r.payload, tolerance, now);
        }
        throw err;
      }
    } catch (err) {
      if (err instanceof SignInFailure) throw err;
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof SignInFailure) throw cause;
      if (err instanceof errors.JWKSTimeout)
        throw new SignInFailure({
          code: 'timeout',
          ...errorText('errors.keys.timeout'),
          detail: { url: jwksUri },
        });
      if (
        err instanceof errors.JOSEError &&
        err.code === 'ERR_JOSE_GENERIC' &&
        /JSON Web Key Set/.test(err.message)
      )
        throw new SignInFailure({
          code: 'bad_response',
          ...errorText('errors.keys.unreadable'),
          detail: { url: jwksUri, problem: err.message },
        });
      return failed(alg, kid, reasonOf(err, o, kid), payload);
    }
  }
}

/**
 * A token whose signature and claims jose accepted: its times are checked once more by the
 * same rule as every other algorithm's (jose lets an `iat` in the future pass).
 */
function verified(
  alg: string,
  kid: string | null,
  payload: JWTPayload,
  tol: number,
  now: Date,
): VerifyResult {
  const problem = timeProblem(payload, tol, now);
  if (problem) return failed(alg, kid, problem, payload);
  return { verification: { status: 'verified', alg, kid, reason: null }, payload };
}

function failed(
  alg: string | null,
  kid: string | null,
  why: Reason,
  payload: JWTPayload,
): VerifyResult {
  return {
    verification: { status: 'failed', alg, kid, reason: why.message, reasonI18n: why.i18n },
    payload,
  };
}

/** The claim checks jose does, for tokens whose signature cannot be checked. */
function checkClaims(p: JWTPayload, o: VerifyOptions, tol: number, now: Date): Reason | null {
  if (p.iss !== o.issuer)
    return errorText('errors.verify.wrongIssuer', { issuer: String(p.iss), tenant: o.issuer });
  const aud = Array.isArray(p.aud) ? p.aud : [p.aud];
  if (!aud.includes(o.audience))
    return errorText('errors.verify.wrongAudience', {
      audience: String(p.aud),
      clientId: o.audience,
    });
  return timeProblem(p, tol, now);
}

/**
 * The time rule every id_token meets whatever its algorithm, with `tol` seconds of clock skew:
 * an expiry (`exp`) not yet passed, an issue time (`iat`) not in the future, and `nbf` (when
 * present) already reached. One rule, one wording, for RS256 and the unverifiable HS256 alike.
 */
function timeProblem(p: JWTPayload, tol: number, now: Date): Reason | null {
  const t = Math.floor(now.getTime() / 1000);
  if (typeof p.exp !== 'number') return errorText('errors.verify.noExpiry');
  if (p.exp + tol <= t) return expiredAt(p.exp);
  if (typeof p.iat !== 'number') return errorText('errors.verify.noIssueTime');
  if (p.iat - tol > t) return errorText('errors.verify.issuedInFuture');
  if (p.nbf !== undefined && (typeof p.nbf !== 'number' || p.nbf - tol > t))
    return errorText('errors.verify.notYetValid');
  return null;
}

/** "The token expired at …", the time as ISO 8601 (a value IT compares with logs). */
const expiredAt = (exp: number): Reason =>
  errorText('errors.verify.expiredAt', { time: new Date(exp * 1000).toISOString() });

function reasonOf(err: unknown, o: VerifyOptions, kid: string | null): Reason {
  if (err instanceof errors.JWTExpired) {
    const exp = (err.payload as JWTPayload).exp;
    return typeof exp === 'number' ? expiredAt(exp) : errorText('errors.verify.expired');
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    const p = err.payload as JWTPayload;
    switch (err.claim) {
      case 'iss':
        return errorText('errors.verify.wrongIssuer', { issuer: String(p.iss), tenant: o.issuer });
      case 'aud':
        return errorText('errors.verify.wrongAudience', {
          audience: JSON.stringify(p.aud),
          clientId: o.audience,
        });
      case 'iat':
        return errorText('errors.verify.issuedInFuture');
      case 'nbf':
        return errorText('errors.verify.notYetValid');
      default:
        return errorText('errors.verify.claimRejected', { claim: err.claim, reason: err.reason });
    }
  }
  if (err instanceof errors.JWKSNoMatchingKey)
    return kid !== null
      ? errorText('errors.verify.unknownKey', { kid })
      : errorText('errors.verify.unknownKeyNoKid');
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return errorText('errors.verify.badSignature');
  if (err instanceof errors.JOSEAlgNotAllowed) return errorText('errors.verify.algNotAllowed');
  if (err instanceof errors.JWKSMultipleMatchingKeys)
    return errorText('errors.verify.duplicateKid');
  return errorText('errors.verify.other', {
    reason: err instanceof Error ? err.message : String(err),
  });
}
