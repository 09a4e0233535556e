import { useState } from 'react';
import type { SignInError } from '../../shared/errors';
import { asSignInError, signet } from '../api';

/** A call to main the user can cancel, and what the form shows about it. */
export interface CancellableCall {
  /** Whether a call is running (the form's inputs are disabled). */
  busy: boolean;
  /** What the running call is doing, as the progress row says it ('' when idle). */
  status: string;
  /** The last call's refusal, shown in the form's error banner. */
  error: SignInError | null;
  setError: (error: SignInError | null) => void;
  /** A quiet status after a call (cancelled, code sent, …). */
  notice: string;
  setNotice: (notice: string) => void;
  /**
   * Runs `call`, showing `status` while it runs. Resolves to its answer, or to `undefined`
   * when it was cancelled (`notice` then says so) or refused (`error`, unless `refused` took
   * it). Never rejects.
   */
  run: <T>(
    status: string,
    call: () => Promise<T>,
    outcomes?: CallOutcomes,
  ) => Promise<T | undefined>;
  /** Asks main to cancel the running call (it then ends as `cancelled`). */
  cancel: () => void;
}

/** What a form does with a call's end besides the shared handling. */
export interface CallOutcomes {
  /**
   * The notice shown when the user cancelled (a quiet status, not an error banner). Omitted
   * for a call the window offers no Cancel for: a `cancelled` refusal is then its error.
   */
  cancelled?: string;
  /** A refusal the form handles itself (true: no error banner), e.g. "MFA required". */
  refused?: (error: SignInError) => boolean;
  /** Runs however the call ended, before the form is enabled again (e.g. clear passwords). */
  settled?: () => void;
}

/**
 * The busy / cancel / notice / error cycle of every call the window makes on a click: the
 * password, SMS and connection-report forms (a cancel reads and behaves the same in all three:
 * the `cancelled` refusal becomes a notice, any other refusal the form's error, and
 * `ProgressRow` offers Cancel while it runs), and the sign-out, refresh, reveal and tenant check
 * buttons (busy and error only).
 */
export function useCancellableCall(): CancellableCall {
  const [status, setStatus] = useState('');
  const [error, setError] = useState<SignInError | null>(null);
  const [notice, setNotice] = useState('');

  async function run<T>(
    label: string,
    call: () => Promise<T>,
    outcomes: CallOutcomes = {},
  ): Promise<T | undefined> {
    setStatus(label);
    setError(null);
    setNotice('');
    try {
      return await call();
    } catch (err) {
      const e = asSignInError(err);
      if (e.code === 'cancelled' && outcomes.cancelled !== undefined) setNotice(outcomes.cancelled);
      else if (!outcomes.refused?.(e)) setError(e);
      return undefined;
    } finally {
      outcomes.settled?.();
      setStatus('');
    }
  }

  return {
    busy: status !== '',
    status,
    error,
    setError,
    notice,
    setNotice,
    run,
    cancel: () => void signet.cancel({}),
  };
}
