/**
 * The thrown form of `SignInError`: core functions reject with a `SignInFailure` whose
 * `.error` is the plain, serialisable `SignInError` that crosses IPC and goes into `--json`.
 */
import { cancelled, type SignInError } from '../shared/errors.js';
export { toSignInError } from '../shared/errors.js';

export class SignInFailure extends Error {
  constructor(readonly error: SignInError) {
    super(error.message);
    this.name = 'SignInFailure';
  }
}

/** Shorthand for throwing a `SignInError`. */
export function fail(error: SignInError): never {
  throw new SignInFailure(error);
}

/** Rejects with `cancelled` when `signal` has fired: checked after each await of a long call. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SignInFailure(cancelled());
}

/**
 * `work`, or a `cancelled` rejection as soon as `signal` fires. For work that cannot take the
 * caller's signal itself (jose's shared JWKS fetch serves every caller): it goes on unobserved,
 * bounded by its own timeout.
 */
export function untilCancelled<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new SignInFailure(cancelled()));
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
