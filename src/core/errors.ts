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

/** The error of a call whose caller's `AbortSignal` fired. */
export function cancelledError(): SignInError {
  return { code: 'cancelled', message: 'Sign-in was cancelled.' };
}

/** Rejects with `cancelled` when `signal` has fired: checked after each await of a long call. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SignInFailure(cancelledError());
}

/**
 * `work`, or a `cancelled` rejection as soon as `signal` fires. For work that cannot take the
 * caller's signal itself (jose's shared JWKS fetch serves every caller): it goes on unobserved,
 * bounded by its own timeout.
 */
export function untilCancelled<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new SignInFailure(cancelledError()));
    if (signal.aborted) {
      work.catch(() => undefined);
      return onAbort();
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
