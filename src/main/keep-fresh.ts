/**
 * Keeps the shown offline session fresh: when the session holds a refresh token, main renews
 * it a little before the id_token expires, so `signet token`, git and kubectl find a valid
 * token in the keychain without refreshing themselves (and without waiting). The renewal is
 * core's `refresh`, which takes the cross-process refresh lock, so the app and the CLI never
 * refresh the same session at once.
 *
 * A failure the network or the tenant's load explains (offline, timeout, 5xx, 429, a keychain
 * that is locked for a moment) is retried with a doubling backoff; a refusal (revoked refresh
 * token, blocked user, anything else) stops it: another try would be refused the same way,
 * and the view says what failed. A session without a refresh token is not followed; it
 * expires as it always did. Nothing here throws into the main process.
 *
 * Electron-free like service.ts, so the integration test and the e2e bridge run the real one.
 */
import type { KeepFreshState } from '../shared/ipc';
import {
  cancelled,
  isTransient as isTryLater,
  toSignInError,
  type SignInError,
} from '../shared/errors';
import { sameSession, type RecordKey, type SessionResult } from '../shared/session';

/** When to refresh and how to back off: every timing of keep-fresh, in one place. */
export interface KeepFreshTiming {
  /** Refresh this long before the id_token expires… */
  leadMs: number;
  /** …but never earlier than this fraction of its lifetime before (short-lived tokens). */
  maxLeadFraction: number;
  /** Never sooner than this after scheduling: a token born expired cannot spin a loop. */
  minDelayMs: number;
  /** The first retry after a failure the network explains; each next one waits twice as long… */
  retryFirstMs: number;
  /** …up to this. */
  retryMaxMs: number;
  /**
   * A timer wakes at least this often and compares the wall clock with the due time: timers
   * run on a monotonic clock that stops while the computer sleeps, the expiry does not.
   */
  tickMs: number;
}

/**
 * Five minutes ahead (far more than `signet token`'s default `--min-valid` of 60 s, so a tool
 * never has to refresh itself), at most half the lifetime ahead, retries from 15 s to 15 min.
 */
export const KEEP_FRESH_TIMING: KeepFreshTiming = {
  leadMs: 5 * 60_000,
  maxLeadFraction: 0.5,
  minDelayMs: 1_000,
  retryFirstMs: 15_000,
  retryMaxMs: 15 * 60_000,
  tickMs: 60_000,
};

/**
 * Beside the shared "try later" codes (`TRANSIENT_CODES`: network, a proxy's page, the tenant's
 * load), what the app also retries: a keychain locked for a moment, a fault of its own. Every
 * other code is a refusal, which stops keep-fresh.
 */
const APP_TRANSIENT = new Set(['keychain_unavailable', 'internal_error']);

/** Whether a failed refresh is retried (true) or stops keep-fresh (false). */
export function isTransient(error: SignInError): boolean {
  return isTryLater(error) || APP_TRANSIENT.has(error.code);
}

/** When keep-fresh renews a session that expires at `expiresMs` and was obtained at `obtainedMs`. */
export function dueTime(
  obtainedMs: number,
  expiresMs: number,
  timing: KeepFreshTiming = KEEP_FRESH_TIMING,
): number {
  const lifetime = Math.max(0, expiresMs - obtainedMs);
  return expiresMs - Math.min(timing.leadMs, lifetime * timing.maxLeadFraction);
}

/** The wait before retry number `failures` (1, 2, …): doubling from the first, capped. */
export function retryDelay(failures: number, timing: KeepFreshTiming = KEEP_FRESH_TIMING): number {
  return Math.min(timing.retryMaxMs, timing.retryFirstMs * 2 ** Math.max(0, failures - 1));
}

export interface KeepFreshOptions {
  /** Renews the session `key` (core's refresh, under the refresh lock). */
  refresh(key: RecordKey, signal: AbortSignal): Promise<SessionResult>;
  /** A renewed session: the service shows it (and hands it back through `follow`). */
  onRefreshed(session: SessionResult): void;
  /** Every change of the state, for the window. */
  onChange?(state: KeepFreshState): void;
  timing?: Partial<KeepFreshTiming>;
  /** The wall clock (ms). */
  now?: () => number;
}

const keyOf = (s: SessionResult): RecordKey => ({
  tenant: s.tenant,
  clientId: s.clientId,
  username: s.username,
});
const sameKey = (a: RecordKey | null, b: RecordKey | null): boolean =>
  a !== null && b !== null && sameSession(a, b);

const OFF: KeepFreshState = {
  status: 'off',
  lastRefreshedAt: null,
  nextRefreshAt: null,
  lastError: null,
  lastErrorAt: null,
  failures: 0,
};

/** Follows the shown session and renews it on time; see the module comment. */
export class KeepFresh {
  private readonly timing: KeepFreshTiming;
  private readonly now: () => number;
  private current: KeepFreshState = OFF;
  private key: RecordKey | null = null;
  /** The tokens followed (their `obtainedAt`): new tokens clear a past failure. */
  private obtainedAt: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private dueAt: number | null = null;
  private inFlight: { controller: AbortController; done: Promise<void> } | null = null;
  /** Bumped by every `follow`/`stop`: an answer for an older generation is dropped. */
  private generation = 0;
  /** Set by `dispose`: the service closed, its core with it, so nothing is scheduled again. */
  private closed = false;

  constructor(private readonly options: KeepFreshOptions) {
    this.timing = { ...KEEP_FRESH_TIMING, ...options.timing };
    this.now = options.now ?? Date.now;
  }

  /** What the view shows: status, last refresh, next one, last failure. */
  state(): KeepFreshState {
    return this.current;
  }

  /**
   * The session the window now shows (or null): schedules its renewal when it holds a
   * refresh token and an expiry, else stops. Another account (or none) cancels the timer and
   * any renewal in flight; the same account with new tokens keeps its history but forgets a
   * past failure.
   */
  follow(session: SessionResult | null): void {
    // A sign-in or restore that finishes after the service closed must not plan a renewal on
    // a closed core (it would fail as "transient" and be retried forever).
    if (this.closed) return;
    const key = session ? keyOf(session) : null;
    const same = sameKey(this.key, key);
    this.generation += 1;
    this.clearTimer();
    if (!same) this.abortInFlight();
    const history = same ? this.current : OFF;
    const fresh = !same || session?.obtainedAt !== this.obtainedAt;
    this.key = key;
    this.obtainedAt = session?.obtainedAt ?? null;
    const kept = {
      lastRefreshedAt: history.lastRefreshedAt,
      lastError: fresh ? null : history.lastError,
      lastErrorAt: fresh ? null : history.lastErrorAt,
      failures: fresh ? 0 : history.failures,
    };
    const expires = session?.expiresAt ? Date.parse(session.expiresAt) : NaN;
    if (!session?.refreshable || !Number.isFinite(expires)) {
      this.set({ ...kept, status: 'off', nextRefreshAt: null });
      return;
    }
    if (!fresh && history.status === 'stopped') {
      this.set({ ...history });
      return;
    }
    const obtained = Date.parse(session.obtainedAt);
    const due = dueTime(Number.isFinite(obtained) ? obtained : this.now(), expires, this.timing);
    this.schedule(due, { ...kept, status: 'scheduled' });
  }

  /** Resolves once no renewal of keep-fresh is running (a manual refresh waits for it). */
  async idle(): Promise<void> {
    await this.inFlight?.done;
  }

  /** Stops following: no timer, a renewal in flight aborted and awaited. Sign-out calls it. */
  async stop(): Promise<void> {
    this.generation += 1;
    this.clearTimer();
    const running = this.inFlight;
    this.abortInFlight();
    this.key = null;
    this.obtainedAt = null;
    this.set(OFF);
    await running?.done;
  }

  /**
   * Stops for good (the service's `close` calls it): like `stop`, and afterwards `follow`
   * is a no-op, so a call still in flight when the service closed cannot re-arm the timer.
   */
  async dispose(): Promise<void> {
    this.closed = true;
    await this.stop();
  }

  private schedule(due: number, next: Omit<KeepFreshState, 'nextRefreshAt'>): void {
    const at = Math.max(due, this.now() + this.timing.minDelayMs);
    this.dueAt = at;
    this.set({ ...next, nextRefreshAt: new Date(at).toISOString() });
    this.arm(this.generation);
  }

  /** Sleeps towards `dueAt` in steps of at most `tickMs`, then renews. */
  private arm(generation: number): void {
    if (this.dueAt === null) return;
    const wait = Math.min(this.timing.tickMs, Math.max(0, this.dueAt - this.now()));
    this.timer = setTimeout(() => {
      this.timer = null;
      if (generation !== this.generation || this.dueAt === null) return;
      if (this.now() < this.dueAt) this.arm(generation);
      else this.renew(generation);
    }, wait);
    // The timer alone must not keep a process (a test, the CLI's service) alive.
    this.timer.unref?.();
  }

  private renew(generation: number): void {
    const key = this.key;
    if (!key) return;
    this.dueAt = null;
    const controller = new AbortController();
    this.set({ ...this.current, status: 'refreshing', nextRefreshAt: null });
    const done = (async () => {
      let session: SessionResult | null = null;
      let error: SignInError | null = null;
      try {
        session = await this.options.refresh(key, controller.signal);
      } catch (err) {
        error = toSignInError(err);
      }
      if (this.inFlight?.controller === controller) this.inFlight = null;
      // Signed out, switched or stopped meanwhile: the answer is not this session's any more.
      if (generation !== this.generation || controller.signal.aborted) return;
      if (session) {
        this.current = {
          ...this.current,
          lastRefreshedAt: new Date(this.now()).toISOString(),
          lastError: null,
          lastErrorAt: null,
          failures: 0,
        };
        try {
          // The service shows it and calls `follow`, which schedules the next renewal.
          this.options.onRefreshed(session);
        } catch {
          // The window's trouble is not keep-fresh's: follow the new tokens regardless.
        }
        if (generation === this.generation) this.follow(session);
        return;
      }
      const failed = error ?? cancelled();
      const failures = this.current.failures + 1;
      const base = {
        lastRefreshedAt: this.current.lastRefreshedAt,
        lastError: failed,
        lastErrorAt: new Date(this.now()).toISOString(),
        failures,
      };
      if (isTransient(failed))
        this.schedule(this.now() + retryDelay(failures, this.timing), {
          ...base,
          status: 'retrying',
        });
      else this.set({ ...base, status: 'stopped', nextRefreshAt: null });
    })();
    this.inFlight = { controller, done };
  }

  private set(state: KeepFreshState): void {
    this.current = state;
    try {
      this.options.onChange?.(state);
    } catch {
      // A closed window must not stop the timer.
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dueAt = null;
  }

  private abortInFlight(): void {
    this.inFlight?.controller.abort();
    this.inFlight = null;
  }
}
