/**
 * Every error the local tenant answers with, in one table: name → [HTTP status, Auth0's `error`
 * code, and its `error_description` when that is always the same]. Routes throw
 * `tenantError.<name>(…)`; the server's error handler turns a `TenantError` into Auth0's body.
 * Auth0 answers one code with different statuses on different endpoints (a wrong password is
 * 401 `invalid_user_password` on /oauth/ro and 403 `invalid_grant` on /oauth/token, a bad
 * id_token 400 `invalid_grant` on /oauth/ro), so a row is one answer, not one code.
 * (node-oidc-provider's lib/helpers/errors.js is the model.)
 */
import { MESSAGES } from '../shared/auth0-protocol';

/** An error the tenant answers with: Auth0's `{error, error_description}` plus extras. */
export class TenantError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    /** Documented extra fields of the body, e.g. `ldap_status` for an AD bind sub-code. */
    readonly extra: Record<string, unknown> = {},
    /** Response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(`${error}: ${description}`);
    this.name = 'TenantError';
  }

  toBody(): Record<string, unknown> {
    return { error: this.error, error_description: this.description, ...this.extra };
  }
}

const TENANT_ERRORS = {
  invalidRequest: [400, 'invalid_request'],
  invalidScope: [400, 'invalid_scope'],
  unsupportedGrantType: [400, 'unsupported_grant_type'],
  /** /oauth/ro's jwt-bearer grant: an id_token it cannot use. */
  idTokenRefused: [400, 'invalid_grant'],
  /** Auth0's shape for an SMS that could not be sent: `<message> (Code: <code>)`. */
  smsProviderError: [400, 'sms_provider_error'],
  wrongPassword: [401, 'invalid_user_password', MESSAGES.wrongPassword],
  wrongSmsCode: [401, 'invalid_user_password', MESSAGES.wrongSmsCode],
  blocked: [401, 'unauthorized', MESSAGES.blocked],
  unauthorized: [401, 'unauthorized'],
  invalidToken: [401, 'invalid_token'],
  /** /oauth/token: a client_id the tenant does not know. */
  invalidClient: [401, 'invalid_client'],
  /** /oauth/ro: the user has MFA and sent no `mfa_code`. */
  legacyMfaRequired: [401, 'a0.mfa_required', MESSAGES.mfaRequired],
  legacyMfaInvalid: [401, 'a0.mfa_invalid_code', MESSAGES.mfaInvalid],
  unauthorizedClient: [403, 'unauthorized_client'],
  /** /oauth/token: wrong credentials, an unknown refresh token or mfa_token. */
  invalidGrant: [403, 'invalid_grant'],
  /** /oauth/token: a refresh token unknown, revoked, expired, retired or reused (spec §9). */
  unknownRefreshToken: [403, 'invalid_grant', 'Unknown or invalid refresh token.'],
  accessDenied: [403, 'access_denied'],
  insufficientScope: [403, 'insufficient_scope'],
  /** /oauth/token: the user has MFA; the body carries the `mfa_token`. */
  mfaRequired: [403, 'mfa_required', MESSAGES.mfaRequired],
  mfaInvalid: [403, 'a0.mfa_invalid_code', 'Invalid otp_code.'],
  tooManyAttempts: [429, 'too_many_attempts', MESSAGES.tooManyAttempts],
  /** A limit of the tenant's own (SMS codes) reached: `too_many_attempts`, its own text. */
  limitReached: [429, 'too_many_attempts'],
  tooManyRequests: [429, 'too_many_requests'],
  /** A directory (AD/LDAP) that cannot serve the request; see connections/ldap.ts. */
  connectionUnavailable: [503, 'connection_unavailable'],
} as const satisfies Record<string, readonly [number, string, string?]>;

/** The body's extra fields and the response's headers of one answer. */
export interface ErrorExtras {
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
}

type Row = (typeof TENANT_ERRORS)[keyof typeof TENANT_ERRORS];
type Factory<R extends Row> = R extends readonly [number, string, string]
  ? (extras?: ErrorExtras) => TenantError
  : (description: string, extras?: ErrorExtras) => TenantError;

/** One factory per row of the table: `tenantError.wrongPassword()`, `.invalidRequest(text)`. */
export const tenantError = Object.fromEntries(
  Object.entries(TENANT_ERRORS).map(([name, row]) => {
    const [status, error, fixed] = row as readonly [number, string, string?];
    const make = (description: string, { extra, headers }: ErrorExtras = {}) =>
      new TenantError(status, error, description, extra, headers);
    return [name, fixed === undefined ? make : (extras?: ErrorExtras) => make(fixed, extras)];
  }),
) as { readonly [K in keyof typeof TENANT_ERRORS]: Factory<(typeof TENANT_ERRORS)[K]> };

/** `/passwordless/start`'s 400 for one bad field: `bad.<field>` (Auth0's code, e.g. `bad.phone_number`). */
export function badField(field: string, description: string): TenantError {
  return new TenantError(400, `bad.${field}`, description);
}
