/**
 * What a database sign-up may send besides the password (spec §7), in one place: the local
 * tenant's `/dbconnections/signup` refuses with these texts, and a sign-up form can check the
 * same rules before it sends. Pure (no Node, no DOM). The password's rules are
 * password-policy.ts (password-sheriff).
 */

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
