/**
 * Where the tenant refuses to set a password bcrypt would cut: config seed users,
 * `tenant users add`, `users set-password`, `TenantDatabase.createUser`/`setPassword`. The
 * limit itself, its sentence and the check are in src/shared/signup-rules.ts (shared with
 * core and the sign-up form). bcrypt uses only the first 72 bytes of a password (checked with
 * @node-rs/bcrypt: a hash of 72 × `a` + `XYZ` verifies `aaa…a` + anything).
 *
 * Signing in is unchanged: a password over 72 bytes is checked like any other (bcrypt compares
 * its first 72 bytes), so it is a wrong password unless those bytes are the right ones.
 */
import { PASSWORD_TOO_LONG, passwordFits } from '../shared/signup-rules';

/** Refusal to set a password over `MAX_PASSWORD_BYTES`. */
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
