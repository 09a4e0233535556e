/**
 * Auth0's legacy API as both sides of Signet speak it: grant type URIs, the error descriptions
 * clients match on, and the limits of its inputs (spec: shared/spec/auth0-legacy-api.md). The
 * client (core) sends and reads these; the local tenant answers with them. Pure data, no zod:
 * the renderer may import it too.
 */

/** The `grant_type` values of `/oauth/ro`, `/delegation` and `/oauth/token`. */
export const GRANT = {
  password: 'password',
  jwtBearer: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
  passwordRealm: 'http://auth0.com/oauth/grant-type/password-realm',
  passwordlessOtp: 'http://auth0.com/oauth/grant-type/passwordless/otp',
  mfaOtp: 'http://auth0.com/oauth/grant-type/mfa-otp',
  refreshToken: 'refresh_token',
} as const;

/** Auth0's `error_description` texts, exactly as Auth0 sends them (spec §1, §2, §4). */
export const MESSAGES = {
  wrongPassword: 'Wrong email or password.',
  wrongSmsCode: 'Wrong phone number or verification code.',
  blocked: 'user is blocked',
  passwordChangeRequired: 'Password change required.',
  tooManyAttempts:
    'Your account has been blocked after multiple consecutive login attempts. We’ve sent you an email with instructions on how to unblock it.',
  legacyRoNotAllowed:
    "Grant type 'http://auth0.com/oauth/legacy/grant-type/ro' not allowed for the client.",
  legacyDelegationNotAllowed:
    "Grant type 'urn:ietf:params:oauth:grant-type:jwt-bearer' not allowed for the client.",
  dottedFields:
    'Fields with "." are not allowed, please remove all dotted fields. Example: "user.name"',
  mfaRequired: 'Multifactor authentication required',
  mfaInvalid: 'Wrong or expired code.',
  phonePattern: 'String does not match pattern: ^\\+[0-9]{1,15}$',
  /** Not Auth0's: the local tenant refuses a user name with white space around it (server.ts). */
  usernameWhitespace: 'username must not begin or end with white space',
} as const;

/** A phone number as Auth0's sms connection accepts it (the pattern `phonePattern` names). */
export const E164 = /^\+[0-9]{1,15}$/;

/**
 * An email address, one rule for every side: core before a sign-up or reset, home-realm
 * discovery (client-config.ts), and the local tenant's `/dbconnections` (signup.ts). It is
 * zod's `z.email()` pattern written out (ASCII local part of letters, digits and `_ ' + - .`
 * without leading, trailing or double dots; dotted domain, letters-only TLD of 2+), so the
 * renderer needs no zod and a unit test keeps the two equal. Linear: every repeat ends at a dot.
 */
export const EMAIL =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/**
 * Digits in a one-time code: the code Auth0's sms connection texts, and an authenticator's TOTP
 * code for MFA. Core, the IPC schemas, the renderer's code boxes and the local tenant all use it.
 */
export const OTP_CODE_LENGTH = 6;

/** A one-time code as typed: exactly `OTP_CODE_LENGTH` digits. */
export const OTP_CODE = new RegExp(`^[0-9]{${OTP_CODE_LENGTH}}$`);

/**
 * The tenant's own texts for its SMS limits (Auth0 documents the error codes, 429
 * `too_many_attempts` and `too_many_requests`, not these words); `Retry in <n> s.` follows.
 */
export const SMS_LIMIT_MESSAGES = {
  tooManyWrongCodes:
    'Too many wrong verification codes for this phone number or from this address.',
  tooManySends: 'Too many codes were sent to this phone number or for this address.',
} as const;

/**
 * Limits of one connection report (`testConnection`, the CLI's `test-connection` and the
 * Diagnostics tab alike): accounts per run, characters in one account's note.
 */
export const REPORT_LIMITS = { accounts: 200, noteLength: 500 } as const;
