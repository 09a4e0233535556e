/**
 * The one error vocabulary of Signet: core, IPC, renderer and CLI all speak `SignInError`.
 *
 * `code` keeps Auth0's error code where the tenant gave one (`invalid_user_password`,
 * `too_many_attempts`, `a0.mfa_required`, …) or a local one for what happened on the way.
 * `message` is the sentence a user reads; what IT needs (the server's description, the HTTP
 * status, the AD bind sub-code, the first bytes of a bad body) stays in the other fields.
 */
export interface SignInError {
  code: string;
  message: string;
  /** HTTP status of the answer, when there was one. */
  status?: number;
  /** The server's own `error_description`, as sent. */
  description?: string;
  /** What the user can do next, when there is something. */
  hint?: string;
  /** Everything else IT may want: AD sub-code, Retry-After, certificate problem, body excerpt. */
  detail?: Record<string, unknown>;
}

/** Codes Signet itself produces (the tenant's own codes pass through unchanged). */
export const LOCAL_ERROR_CODES = [
  'network_unreachable',
  'dns_failed',
  'timeout',
  'tls_error',
  'bad_response',
  'rate_limited',
  'server_error',
  'cancelled',
  'keychain_unavailable',
  'token_invalid',
  'invalid_input',
  'not_signed_in',
  'config_invalid',
  'internal_error',
] as const;
export type LocalErrorCode = (typeof LOCAL_ERROR_CODES)[number];

/** Narrowing guard for values that crossed a boundary (IPC, JSON). */
export function isSignInError(value: unknown): value is SignInError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SignInError).code === 'string' &&
    typeof (value as SignInError).message === 'string'
  );
}
