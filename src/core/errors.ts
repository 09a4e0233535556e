/**
 * The thrown form of `SignInError`: core functions reject with a `SignInFailure` whose
 * `.error` is the plain, serialisable `SignInError` that crosses IPC and goes into `--json`.
 */
import type { SignInError } from '../shared/errors.js';

export class SignInFailure extends Error {
  /** Modern MFA: the `mfa_token` to answer with; kept off the serialisable error. */
  mfaToken?: string;
  constructor(readonly error: SignInError) {
    super(error.message);
    this.name = 'SignInFailure';
  }
}

/** Anything thrown inside core, as a `SignInError` (unexpected errors keep their message). */
export function toSignInError(err: unknown): SignInError {
  if (err instanceof SignInFailure) return err.error;
  const message = err instanceof Error ? err.message : String(err);
  return {
    code: 'internal_error',
    message: 'Something unexpected went wrong in Signet.',
    detail: { cause: message },
  };
}

/** Shorthand for throwing a `SignInError`. */
export function fail(error: SignInError): never {
  throw new SignInFailure(error);
}
