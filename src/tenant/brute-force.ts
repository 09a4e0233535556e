/**
 * Brute-force protection that holds under concurrency and counts the account, not the spelling:
 * 10 consecutive failed sign-ins for one account from one IP (an IPv6 address counts by its /64,
 * as `addressKey` says) refuse that account from that IP (429 `too_many_attempts`) until it is
 * unblocked or its password changes; a success resets the count (spec §1). What "one account"
 * means — a normalised name and, when the connection can tell, the resolved user id — is
 * account-keys.ts; an attempt counts under each of its keys and is refused once any of them
 * reached the threshold, so no respelling buys fresh tries.
 *
 * The failures are kept in SQLite (`login_failures`, so a block survives a restart and the CLI
 * can lift it). Attempts whose outcome is still unknown (awaiting bcrypt, an LDAP bind or a TOTP
 * check) are reserved here, in memory, before the check starts: an attempt may start only while
 * `failures + unsettled < threshold` for every one of its keys, so however many arrive at once,
 * under whatever spellings, no more than the threshold can fail. Reading the counts and taking
 * the reservations happen in one synchronous step of the event loop, so two requests never both
 * take the last slot. (Resolving the account may ask the directory; that happens before, and
 * checks no password.)
 *
 * When the slots are taken by unsettled attempts (not by failures), a newcomer waits for one of
 * them to settle and looks again rather than being refused: many simultaneous correct sign-ins
 * of one account all succeed, and a 429 only ever means the failures reached the threshold.
 */
import { accountKeys, idKey, type AccountResolver } from './account-keys';
import type { TenantDatabase } from './database';
import { addressKey } from './rate-limit';
import { TenantError, tenantError } from './errors';
import type { UserProfile } from './types';

/** The errors that are wrong credentials and count as a failure (others neither count nor reset). */
const WRONG_CREDENTIALS = new Set(['invalid_user_password', 'a0.mfa_invalid_code']);

export interface AttemptKey {
  connection: string;
  /** The login as typed; its keys come from the guard's `AccountResolver`. */
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
    private readonly resolver: AccountResolver,
  ) {}

  /**
   * Runs `check` as one attempt on `key`'s account: refuses with 429 once the failures under any
   * of its keys reached the threshold, else reserves a slot under each (waiting while unsettled
   * attempts hold them), runs the check and settles: a success resets the count of the account
   * (every key of the profile that `check` resolves with, when it is one), wrong credentials
   * (`invalid_user_password`, `a0.mfa_invalid_code`) count one failure under each key, any
   * other outcome (MFA required, blocked user, directory down …) only gives the slots back.
   */
  async attempt<T>(key: AttemptKey, check: () => Promise<T>): Promise<T> {
    const { connection } = key;
    // An IPv6 host holds a whole /64: counted per address, it would get fresh tries by rotating.
    const ip = addressKey(key.ip);
    const name = this.resolver.nameKey(connection, key.account);
    const known = [name, ...this.db.aliasKeys(connection, name)];
    // Refused by what is known already: no need to ask the directory who it is.
    if (known.some((k) => this.db.keyFailures(connection, k, ip) >= this.threshold))
      throw this.blocked();
    const id = await this.resolver.idKey(connection, key.account);
    const keys = [...new Set(id === undefined ? known : [...known, id])];
    const slotIds = keys.map((k) => JSON.stringify([connection, k, ip]));
    for (;;) {
      const failures = keys.map((k) => this.db.keyFailures(connection, k, ip));
      if (failures.some((f) => f >= this.threshold)) throw this.blocked();
      const slots = slotIds.map((s) => this.slots.get(s) ?? { unsettled: 0, waiters: [] });
      const full = slots.find((slot, i) => failures[i]! + slot.unsettled >= this.threshold);
      if (!full) {
        slots.forEach((slot, i) => {
          slot.unsettled += 1;
          this.slots.set(slotIds[i]!, slot);
        });
        break;
      }
      this.slots.set(slotIds[slots.indexOf(full)]!, full);
      await new Promise<void>((resolve) => full.waiters.push(resolve));
    }
    try {
      const result = await check();
      const profile = profileOf(result);
      const account = profile ? accountKeys(profile) : [];
      this.db.resetKeyFailures(connection, [...new Set([...keys, ...account])], ip);
      // Every name the account is now known by leads to it from here on.
      if (profile) {
        const names = [name, ...account.filter((k) => k.startsWith('name:'))];
        this.db.addAliases(connection, [...new Set(names)], idKey(profile.user_id));
      }
      return result;
    } catch (err) {
      if (err instanceof TenantError && WRONG_CREDENTIALS.has(err.error)) {
        this.db.addKeyFailures(connection, keys, ip);
        this.counters.failedSignIns += 1;
      }
      throw err;
    } finally {
      for (const s of slotIds) this.settle(s);
    }
  }

  private blocked(): TenantError {
    this.counters.bruteForceBlocks += 1;
    return tenantError.tooManyAttempts();
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

/** The user a check resolved with: a profile, or something holding one (a redeemed MFA step). */
function profileOf(value: unknown): UserProfile | undefined {
  const isProfile = (v: unknown): v is UserProfile =>
    typeof v === 'object' && v !== null && typeof (v as { user_id?: unknown }).user_id === 'string';
  if (isProfile(value)) return value;
  const inner = (value as { profile?: unknown } | null | undefined)?.profile;
  return isProfile(inner) ? inner : undefined;
}
