/**
 * The one error vocabulary of Signet: core, IPC, renderer and CLI all speak `SignInError`,
 * and build it with the factories below (VS Code's `base/common/errors.ts` and jose's error
 * classes are the model: one shape, a stable `code`, one constructor per kind).
 *
 * `code` keeps Auth0's error code where the tenant gave one (`invalid_user_password`,
 * `too_many_attempts`, `a0.mfa_required`, …) or a local one for what happened on the way.
 * `message` is the sentence a user reads; what IT needs (the server's description, the HTTP
 * status, the AD bind sub-code, the first bytes of a bad body) stays in the other fields.
 *
 * Pure TypeScript: no Node, no DOM, so the renderer uses the same factories as core.
 */
import { errorText, type ErrorText } from './error-text.js';

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

/**
 * The `error` values Auth0's legacy API and its modern token endpoint answer with
 * (spec/auth0-legacy-api.md §1–§4). A tenant may send others (a rule's own code): those pass
 * through as plain strings.
 */
export const AUTH0_ERROR_CODES = [
  // §1 /oauth/ro
  'invalid_request',
  'invalid_grant',
  'invalid_user_password',
  'unauthorized',
  'password_leaked',
  'password_change_required',
  'a0.mfa_required',
  'a0.mfa_registration_required',
  'a0.mfa_invalid_code',
  'unauthorized_client',
  'access_denied',
  'too_many_attempts',
  'too_many_requests',
  // §2 /passwordless/start
  'bad.client_id',
  'bad.connection',
  'bad.phone_number',
  'bad.request',
  'bad.authParams',
  'sms_provider_error',
  // §4 /oauth/token
  'mfa_required',
  // §7 /dbconnections/signup and /dbconnections/change_password
  'user_exists',
  'username_exists',
  'invalid_signup',
  'invalid_password',
  'operation_not_allowed',
] as const;
export type Auth0ErrorCode = (typeof AUTH0_ERROR_CODES)[number];

/** A known code (autocompleted and checked) or any other text a tenant sent. */
export type SignInErrorCode = LocalErrorCode | Auth0ErrorCode | (string & {});

/** A sentence inside another one's value (a token's failed check, in "not signed in: {reason}"). */
export interface Sentence {
  key: string;
  values?: Record<string, string | number>;
}

export interface SignInError {
  code: SignInErrorCode;
  message: string;
  /** HTTP status of the answer, when there was one. */
  status?: number;
  /** The server's own `error_description`, as sent. */
  description?: string;
  /** What the user can do next, when there is something. */
  hint?: string;
  /** Everything else IT may want: AD sub-code, Retry-After, certificate problem, body excerpt. */
  detail?: Record<string, unknown>;
  /**
   * `message` (and `hint`) as catalog keys and values, so the window shows them in the user's
   * language (issue 13); `message` stays the English sentence for the CLI, logs and reports.
   */
  i18n?: {
    key: string;
    hintKey?: string;
    values?: Record<string, string | number>;
    /** Values that are sentences of their own, translated in turn (a failed check's reason). */
    sentences?: Record<string, Sentence>;
  };
}

// ——— what a failure means for a session: one classification, used by core, main and the CLI ———

/**
 * The tenant could not be asked, or what answered was not the tenant's word: no connection,
 * no name, no answer in time, a certificate problem, a server error, or a body that is not the
 * tenant's JSON (`bad_response`: a proxy's or captive portal's HTML page, whatever its status).
 * Asking again later may work; nothing here says anything about the session.
 */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set<LocalErrorCode>([
  'network_unreachable',
  'dns_failed',
  'timeout',
  'tls_error',
  'server_error',
  'bad_response',
]);

/**
 * Worth trying again later: `UNREACHABLE_CODES`, plus the tenant saying "not now" (429: our
 * `rate_limited`, Auth0's `too_many_requests`). A rate limit is about the caller's pace, not the
 * session: it leaves the session as it is, and a token that is still valid is still handed out.
 */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  ...UNREACHABLE_CODES,
  'rate_limited',
  'too_many_requests',
]);

/** Whether `e` says only "try later" (see `TRANSIENT_CODES`), never "no". */
export const isTransient = (e: Pick<SignInError, 'code'>): boolean => TRANSIENT_CODES.has(e.code);

/**
 * The tenant's own refusals of a renewal that mean the session is over: its JSON `error` is
 * `invalid_grant` (/oauth/token, jwt-bearer: refresh token revoked, rotated away, unknown; the
 * session ended) or `unauthorized` (/delegation: `invalid refresh token`; any endpoint: `user is
 * blocked`). Only these end a session. A 401 without one of them (an HTML page, an empty or
 * foreign JSON body: `bad_response`) is something between Signet and the tenant, never the
 * tenant; 403 `unauthorized_client`, `invalid_client` and rate limits leave the session too.
 */
export const SESSION_ENDING_CODES: ReadonlySet<string> = new Set<Auth0ErrorCode>([
  'invalid_grant',
  'unauthorized',
]);

/** Whether a renewal's failure `e` is the tenant ending the session (see `SESSION_ENDING_CODES`). */
export const endsSession = (e: Pick<SignInError, 'code'>): boolean =>
  SESSION_ENDING_CODES.has(e.code);

/** Narrowing guard for values that crossed a boundary (IPC, JSON). */
export function isSignInError(value: unknown): value is SignInError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SignInError).code === 'string' &&
    typeof (value as SignInError).message === 'string'
  );
}

// ——— factories: each error Signet builds in more than one place, built once ———

/** The one shape of a call stopped by its caller (a Cancel button, Ctrl-C, a newer call). */
export function cancelled(): SignInError {
  return { code: 'cancelled', ...errorText('errors.cancelled') };
}

/**
 * A fault in Signet itself (a bug, an unexpected throw): the user reads a plain sentence, the
 * cause's own message stays in `detail` for IT. Never carries a stack.
 */
export function internal(cause: unknown): SignInError {
  return {
    code: 'internal_error',
    ...errorText('errors.internal'),
    detail: { cause: cause instanceof Error ? cause.message : String(cause) },
  };
}

/** Where to fix an `invalid_input` or `config_invalid`, beyond the field's name. */
type FieldMore = { hint?: string; detail?: Record<string, unknown> };

/**
 * An error's user-facing text: `errorText(key, values)` for a sentence the window translates,
 * or a plain English string (the CLI's own messages: the CLI stays English).
 */
export type Said = string | ErrorText;

/** `text` as a `SignInError`'s `message` (and `hint`, `i18n`). */
const said = (text: Said): Partial<ErrorText> & { message: string } =>
  typeof text === 'string' ? { message: text } : text;

function fieldError(code: LocalErrorCode, field: string, text: Said, more: FieldMore) {
  const { message, hint, i18n } = said(text);
  const hinted = more.hint ?? hint;
  return {
    code,
    message,
    ...(hinted ? { hint: hinted } : {}),
    detail: { field, ...more.detail },
    ...(i18n ? { i18n } : {}),
  } satisfies SignInError;
}

/** Input the user can fix: `field` names the form field (or CLI flag) that holds it. */
export function invalidInput(field: string, text: Said, more: FieldMore = {}): SignInError {
  return fieldError('invalid_input', field, text, more);
}

/** A setting that is missing or unusable: `field` names it, `hint` says where to fix it. */
export function configInvalid(field: string, text: Said, more: FieldMore = {}): SignInError {
  return fieldError('config_invalid', field, text, more);
}

/** No session to act on (none remembered, expired, or not renewable). */
export function notSignedIn(
  text: Said = errorText('errors.notSignedIn'),
  detail?: Record<string, unknown>,
): SignInError {
  return { code: 'not_signed_in', ...said(text), ...(detail ? { detail } : {}) };
}

/**
 * Anything thrown or rejected, as a `SignInError`: a plain `SignInError` (what crosses IPC)
 * as it is, a thrown `SignInFailure` (core's Error wrapping one in `.error`) unwrapped, any
 * object whose `code` is `cancelled` (the CLI's hidden prompt on Ctrl-C) as `cancelled()`,
 * and everything else as `internal(err)`. Pure: the renderer, main and the CLI share it.
 */
export function toSignInError(err: unknown): SignInError {
  if (isSignInError(err) && !(err instanceof Error)) return err;
  const wrapped = err instanceof Error ? (err as { error?: unknown }).error : undefined;
  if (isSignInError(wrapped)) return wrapped;
  if ((err as { code?: unknown } | null)?.code === 'cancelled') return cancelled();
  return internal(err);
}
