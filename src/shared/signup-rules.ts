/**
 * What a database sign-up may send besides the password (spec §7), in one place: the local
 * tenant's `/dbconnections/signup` refuses with these texts, and a sign-up form can check the
 * same rules before it sends. Pure (no Node, no DOM, no dependency: core's CLI loads it). The
 * password's strength rules are password-policy.ts (password-sheriff); its length limit is here.
 */

/**
 * The longest password a database connection can hold, in UTF-8 bytes: bcrypt uses only the
 * first 72 bytes, so a longer one would be stored as its first 72 and every password that starts
 * the same way would sign in. The local tenant refuses to set one (sign-up, reset, seed users,
 * its CLI); core and the sign-up form say so before sending. Signing in is unchanged.
 */
export const MAX_PASSWORD_BYTES = 72;

/** The one sentence for a password over {@link MAX_PASSWORD_BYTES}: users, the tenant's answer and its CLI. */
export const PASSWORD_TOO_LONG = `This password is too long: use at most ${MAX_PASSWORD_BYTES} bytes (${MAX_PASSWORD_BYTES} plain letters or digits; accented letters and other scripts take 2 to 4 bytes each).`;

const utf8 = new TextEncoder();

/** True when bcrypt would use all of `password` (its UTF-8 bytes fit {@link MAX_PASSWORD_BYTES}). */
export const passwordFits = (password: string): boolean =>
  // A character takes at most 4 bytes: short passwords need no encoding.
  password.length * 4 <= MAX_PASSWORD_BYTES || utf8.encode(password).length <= MAX_PASSWORD_BYTES;

/**
 * Auth0's default username rules for a connection with `requires_username`: 1 to 15 characters,
 * letters (a–z, A–Z), digits and `_ + - . ! # $ ' ^ ` ~ @`.
 */
export const USERNAME_RULE = {
  minLength: 1,
  maxLength: 15,
  pattern: /^[A-Za-z0-9_+\-.!#$'^`~@]+$/,
  text: "The username must have 1 to 15 characters: letters, digits and _ + - . ! # $ ' ^ ` ~ @",
} as const;

/** True when `username` follows {@link USERNAME_RULE}. */
export function usernameValid(username: string): boolean {
  return (
    username.length >= USERNAME_RULE.minLength &&
    username.length <= USERNAME_RULE.maxLength &&
    USERNAME_RULE.pattern.test(username)
  );
}

/** `user_metadata` at sign-up: at most 10 string properties, names ≤ 100, values ≤ 500 characters. */
export const USER_METADATA_LIMITS = {
  properties: 10,
  nameLength: 100,
  valueLength: 500,
} as const;

/** Longest profile texts a sign-up may set (Auth0's Management API limits). */
export const PROFILE_TEXT_LIMITS = {
  name: 300,
  nickname: 300,
  given_name: 150,
  family_name: 150,
  picture: 2048,
} as const;

/** Auth0's answer to `/dbconnections/change_password`, whether or not the address has an account. */
export const RESET_EMAIL_SENT = "We've just sent you an email to reset your password.";
