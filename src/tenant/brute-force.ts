/**
 * Brute-force protection that holds under concurrency: 10 consecutive failed sign-ins for one
 * account from one IP refuse that account from that IP (429 `too_many_attempts`) until it is
 * unblocked or its password changes; a success resets the count (spec §1).
 *
 * The failures are kept in SQLite (`login_failures`, so a block survives a restart and the CLI
 * can lift it). Attempts whose outcome is still unknown (awaiting bcrypt, an LDAP bind or a TOTP
 * check) are reserved here, in memory, before the check starts: an attempt may start only while
 * `failures + unsettled < threshold`, so however many arrive at once, no more than the threshold
 * can fail. Reading the count and taking the reservation happen in one synchronous step of the
 * event loop, so two requests never both take the last slot.
 *
 * When the slots are taken by unsettled attempts (not by failures), a newcomer waits for one of
 * them to settle and looks again rather than being refused: many simultaneous correct sign-ins
 * of one account all succeed, and a 429 only ever means the failures reached the threshold.
 */
import type { TenantDatabase } from './database';
import { MESSAGES } from './protocol';
import { TenantError } from './types';

/** The errors that are wrong credentials and count as a failure (others neither count nor reset). */
const WRONG_CREDENTIALS = new Set(['invalid_user_password', 'a0.mfa_invalid_code']);

export interface AttemptKey {
  connection: string;
  /** The login as typed (compared case-insensitively). */
  account: string;
  ip: string;
}

interface Slot {
  unsettled: number;
  waiters: Array<() => void>;
}

export interface AttemptCounters {
  failedSignIns: number;
  bruteForceBlocks: number;
}

export class BruteForceGuard {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly db: TenantDatabase,
    private readonly threshold: number,
    private readonly counters: AttemptCounters,
  ) {}

  /**
   * Runs `check` as one attempt on `key`: refuses with 429 once the failures reached the
   * threshold, else reserves a slot (waiting for one if unsettled attempts hold them all), runs
   * the check and settles: a success resets the count, wrong credentials
   * (`invalid_user_password`, `a0.mfa_invalid_code`) count one failure, any other outcome (MFA
   * required, blocked user, directory down …) only gives the slot back.
   */
  async attempt<T>(key: AttemptKey, check: () => Promise<T>): Promise<T> {
    const account = key.account.toLowerCase();
    const id = JSON.stringify([key.connection, account, key.ip]);
    for (;;) {
      const failures = this.db.failureCount(key.connection, account, key.ip);
      if (failures >= this.threshold) {
        this.counters.bruteForceBlocks += 1;
        throw new TenantError(429, 'too_many_attempts', MESSAGES.tooManyAttempts);
      }
      const slot = this.slots.get(id) ?? { unsettled: 0, waiters: [] };
      if (failures + slot.unsettled < this.threshold) {
        slot.unsettled += 1;
        this.slots.set(id, slot);
        break;
      }
      await new Promise<void>((resolve) => slot.waiters.push(resolve));
    }
    try {
      const result = await check();
      this.db.resetFailures(key.connection, account, key.ip);
      return result;
    } catch (err) {
      if (err instanceof TenantError && WRONG_CREDENTIALS.has(err.error)) {
        this.db.addFailure(key.connection, account, key.ip);
        this.counters.failedSignIns += 1;
      }
      throw err;
    } finally {
      this.settle(id);
    }
  }

  private settle(id: string): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    slot.unsettled -= 1;
    // Everyone waiting looks again (in arrival order); those who find no slot wait again.
    const waiters = slot.waiters.splice(0);
    if (slot.unsettled === 0 && waiters.length === 0) this.slots.delete(id);
    for (const wake of waiters) wake();
  }
}
