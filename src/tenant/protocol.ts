/**
 * The fixed strings of Auth0's legacy API that the tenant answers with: grant type URIs and the
 * error descriptions clients match on (spec: shared/spec/auth0-legacy-api.md).
 */

export const GRANT = {
  password: 'password',
  jwtBearer: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
  passwordRealm: 'http://auth0.com/oauth/grant-type/password-realm',
  passwordlessOtp: 'http://auth0.com/oauth/grant-type/passwordless/otp',
  mfaOtp: 'http://auth0.com/oauth/grant-type/mfa-otp',
  refreshToken: 'refresh_token',
} as const;

export const MESSAGES = {
  wrongPassword: 'Wrong email or password.',
  wrongSmsCode: 'Wrong phone number or verification code.',
  blocked: 'user is blocked',
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

/** A phone number as Auth0's sms connection accepts it. */
export const E164 = /^\+[0-9]{1,15}$/;

/**
 * The tenant's own texts for its SMS limits (Auth0 documents the error codes, 429
 * `too_many_attempts` and `too_many_requests`, not these words); `Retry in <n> s.` follows.
 */
export const SMS_LIMIT_MESSAGES = {
  tooManyWrongCodes:
    'Too many wrong verification codes for this phone number or from this address.',
  tooManySends: 'Too many codes were sent to this phone number or for this address.',
} as const;
