/**
 * The longest password the tenant will set. bcrypt uses only the first 72 bytes of a password
 * (checked with @node-rs/bcrypt: a hash of 72 × `a` + `XYZ` verifies `aaa…a` + anything), so a
 * longer one would be stored as its first 72 bytes and every password that starts the same way
 * would sign in. Setting one is refused wherever the tenant sets a password (config seed users,
 * `tenant users add`, `users set-password`, `TenantDatabase.createUser`/`setPassword`).
 *
 * Signing in is unchanged: a password over 72 bytes is checked like any other (bcrypt compares
 * its first 72 bytes), so it is a wrong password unless those bytes are the right ones.
 */

/** bcrypt's input limit, in UTF-8 bytes. */
export const MAX_PASSWORD_BYTES = 72;

/** The one error text for a password over the limit. */
export const PASSWORD_TOO_LONG = `the password is longer than ${MAX_PASSWORD_BYTES} bytes (UTF-8) and bcrypt ignores everything after the first ${MAX_PASSWORD_BYTES}: choose one of at most ${MAX_PASSWORD_BYTES} bytes`;

/** True when bcrypt would use all of `password`. */
export const passwordFits = (password: string): boolean =>
  Buffer.byteLength(password, 'utf8') <= MAX_PASSWORD_BYTES;

/** Refusal to set a password over {@link MAX_PASSWORD_BYTES}. */
export class PasswordTooLongError extends Error {
  constructor() {
    super(PASSWORD_TOO_LONG);
    this.name = 'PasswordTooLongError';
  }
}

/** Throws {@link PasswordTooLongError} for a password bcrypt would cut. */
export function assertPasswordFits(password: string): void {
  if (!passwordFits(password)) throw new PasswordTooLongError();
}
