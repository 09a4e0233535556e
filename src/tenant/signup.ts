/**
 * `/dbconnections/*` answers errors in their own shape, `{name, code, description, statusCode}`
 * (spec §7), not `/oauth/ro`'s `{error, error_description}`; and what a sign-up may hold besides
 * its password (the rules themselves: src/shared/signup-rules.ts, one place for tenant and form).
 */
import { checkPassword, explainPolicy, type PasswordPolicyName } from '../shared/password-policy';
import {
  PASSWORD_TOO_LONG,
  passwordFits,
  PROFILE_TEXT_LIMITS,
  USER_METADATA_LIMITS,
  USERNAME_RULE,
  usernameValid,
} from '../shared/signup-rules';
import { EMAIL } from '../shared/auth0-protocol';
import { terminalLine } from '../shared/untrusted-text';
import { TenantError } from './errors';
import { rateLimitHeaders, type WindowState } from './rate-limit';
import type { Body } from './request';

/** The `name` of a `/dbconnections` error by HTTP status (Auth0 documents only BadRequestError). */
const ERROR_NAMES: Record<number, string> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  413: 'PayloadTooLargeError',
  415: 'UnsupportedMediaTypeError',
  429: 'TooManyRequestsError',
};

/** The body of a `/dbconnections` error: Auth0's four fields. */
export function dbErrorBody(status: number, code: string, description: unknown) {
  return {
    name: ERROR_NAMES[status] ?? (status >= 500 ? 'InternalServerError' : 'BadRequestError'),
    code,
    description,
    statusCode: status,
  };
}

/** A `/dbconnections` refusal: the error handler sends `toBody()` as it is. */
export class DbConnectionError extends TenantError {
  constructor(
    status: number,
    code: string,
    description: string,
    private readonly body: Record<string, unknown> = dbErrorBody(status, code, description),
    headers: Record<string, string> = {},
  ) {
    super(status, code, description, {}, headers);
  }

  override toBody(): Record<string, unknown> {
    return this.body;
  }
}

/** 400 `{name: "BadRequestError", code, description, statusCode: 400}`. */
export const badRequest = (code: string, description: string) =>
  new DbConnectionError(400, code, description);

/** 400 `invalid_body`: a field of the body that is missing or breaks a rule. */
export const invalidBody = (description: string) => badRequest('invalid_body', description);

export const SIGNUP_MESSAGES = {
  userExists: 'The user already exists.',
  usernameExists: 'The username already exists.',
  invalidSignup: 'Invalid sign up',
  signupDisabled: 'Signups are not allowed for this connection.',
  weakPassword: 'Password is too weak',
} as const;

/** The tenant's own text for a full sign-up or reset window; `Retry in <n> s.` follows. */
export const DB_LIMIT_MESSAGES = {
  signups: 'Too many sign-ups from this address.',
  resets: 'Too many password reset requests for this email address or from this address.',
} as const;

/** 429 `too_many_requests` in the `/dbconnections` shape, with `Retry-After` and `X-RateLimit-*`. */
export function dbRateLimited(text: string, state: WindowState): DbConnectionError {
  const description = `${text} Retry in ${state.retryAfterSeconds} s.`;
  return new DbConnectionError(
    429,
    'too_many_requests',
    description,
    dbErrorBody(429, 'too_many_requests', description),
    {
      'retry-after': String(state.retryAfterSeconds),
      ...rateLimitHeaders({ ...state, remaining: 0 }),
    },
  );
}

/**
 * Refuses a password the connection's policy does not take (Auth0's `PasswordStrengthError`,
 * its `description` and `policy` straight from password-sheriff), then one bcrypt would cut.
 */
export function assertPasswordAcceptable(policy: PasswordPolicyName, password: string): void {
  const verdict = checkPassword(policy, password);
  if (!verdict.verified) {
    throw new DbConnectionError(400, 'invalid_password', SIGNUP_MESSAGES.weakPassword, {
      name: 'PasswordStrengthError',
      message: SIGNUP_MESSAGES.weakPassword,
      code: 'invalid_password',
      description: verdict,
      policy: explainPolicy(policy),
      statusCode: 400,
    });
  }
  if (!passwordFits(password)) throw badRequest('invalid_password', PASSWORD_TOO_LONG);
}

const typeName = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/** A required string field; missing or of another type is 400 `invalid_body`. */
export function requiredString(body: Body, field: string): string {
  const v = body[field];
  if (v === undefined || v === '') throw invalidBody(`Missing required property: ${field}`);
  if (typeof v !== 'string')
    throw invalidBody(`Expected type string but found type ${typeName(v)} for ${field}`);
  return v;
}

/** Longest email address (RFC 5321's path limit). */
const EMAIL_MAX = 254;

/** The `email` field, lower-cased: 400 `invalid_body` when missing or not an address. */
export function emailOf(body: Body): string {
  const email = requiredString(body, 'email');
  if (email.length > EMAIL_MAX || !EMAIL.test(email))
    throw invalidBody('email is not a valid email address');
  return email.toLowerCase();
}

/**
 * The `username` field: required (with {@link USERNAME_RULE}) where the connection
 * `requires_username`, refused where it does not (the account would sign in by a name the
 * connection does not use).
 */
export function usernameOf(body: Body, required: boolean): string | undefined {
  if (!required) {
    if (body.username !== undefined && body.username !== '')
      throw invalidBody('username is not allowed: this connection does not use usernames');
    return undefined;
  }
  const username = requiredString(body, 'username');
  if (!usernameValid(username)) throw invalidBody(USERNAME_RULE.text);
  return username;
}

export type ProfileFields = Partial<Record<keyof typeof PROFILE_TEXT_LIMITS, string>>;

/**
 * The optional profile fields: strings within their limits, without control, line-break or bidi
 * characters (what `terminalLine`, the one place that knows them, would change), an http(s) picture.
 */
export function profileFieldsOf(body: Body): ProfileFields {
  const fields: ProfileFields = {};
  for (const [field, max] of Object.entries(PROFILE_TEXT_LIMITS) as Array<
    [keyof typeof PROFILE_TEXT_LIMITS, number]
  >) {
    const v = body[field];
    if (v === undefined || v === '') continue;
    if (typeof v !== 'string')
      throw invalidBody(`Expected type string but found type ${typeName(v)} for ${field}`);
    if (v.length > max) throw invalidBody(`${field} has at most ${max} characters`);
    if (terminalLine(v) !== v) throw invalidBody(`${field} must not hold control characters`);
    if (field === 'picture' && !(/^https?:\/\//i.test(v) && URL.canParse(v)))
      throw invalidBody('picture must be an http or https URL');
    fields[field] = v;
  }
  return fields;
}

/**
 * `user_metadata`: an object (JSON, or a JSON text in a form body) of at most 10 string
 * properties, names of 1–100 characters, values of at most 500; the copy has no prototype, and a
 * `__proto__`, `constructor` or `prototype` name is refused outright.
 */
export function userMetadataOf(body: Body): Record<string, string> {
  let v = body.user_metadata;
  if (v === undefined || v === '') return {};
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v) as unknown;
    } catch {
      throw invalidBody('user_metadata must be an object of string properties');
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw invalidBody('user_metadata must be an object of string properties');
  const { properties, nameLength, valueLength } = USER_METADATA_LIMITS;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > properties)
    throw invalidBody(`user_metadata has at most ${properties} properties`);
  const copy: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of entries) {
    if (key === '' || key.length > nameLength)
      throw invalidBody(`user_metadata property names have 1 to ${nameLength} characters`);
    if (key === '__proto__' || key === 'constructor' || key === 'prototype')
      throw invalidBody(
        `user_metadata property names must not be __proto__, constructor or prototype`,
      );
    if (typeof value !== 'string') throw invalidBody('user_metadata values must be strings');
    if (value.length > valueLength)
      throw invalidBody(`user_metadata values have at most ${valueLength} characters`);
    copy[key] = value;
  }
  return copy;
}
