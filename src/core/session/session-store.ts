/**
 * Where sessions are kept: the keychain (the vault) and this run's memory, behind one policy.
 * Memory is the only copy when the keychain failed, and the copy a `memory` sign-in keeps;
 * nothing else of a session lives outside the keychain.
 */
import type { SignInError } from '../../shared/errors.js';
import type { Account, Stored } from '../../shared/session.js';
import { SignInFailure } from '../errors.js';
import {
  Vault,
  indexAccount,
  recordExpiry,
  type RecordKey,
  type SessionRecord,
} from '../vault/vault.js';

/**
 * Where a sign-in's session is kept:
 * - `keychain`: the keychain and this run's memory (memory alone, with the keychain's error,
 *   when the keychain fails) — the default;
 * - `memory`: this run's memory only (`stored: "none"`: gone when Signet quits);
 * - `none`: nowhere at all (a connection test signs accounts in only to see what comes back).
 */
export type KeepPolicy = 'keychain' | 'memory' | 'none';

/** A session found again, and where it was. */
export interface Found {
  record: SessionRecord;
  stored: Stored;
}

/** Which sessions a lookup matches: every field given must be equal (tenant as `tenantKey`). */
export type SessionQuery = Partial<RecordKey>;

export class SessionStore {
  /** Sessions of this run, by vault account key. */
  private readonly memory = new Map<string, Found>();

  /** `vault` null: the keychain is never touched (every session `stored: "none"`). */
  constructor(readonly vault: Vault | null) {}

  /** Finds a session: this run's memory first (newest first), then the keychain. */
  async find(q: SessionQuery): Promise<Found | undefined> {
    const matches = (k: RecordKey) =>
      (!q.tenant || k.tenant === q.tenant) &&
      (!q.clientId || k.clientId === q.clientId) &&
      (!q.username || k.username === q.username);
    const inMemory = [...this.memory.values()]
      .filter((m) => matches(m.record))
      .sort((a, b) => b.record.obtained_at.localeCompare(a.record.obtained_at));
    if (inMemory[0]) return inMemory[0];
    if (!this.vault) return undefined;
    const record =
      q.tenant && q.clientId && q.username
        ? await this.vault.load({ tenant: q.tenant, clientId: q.clientId, username: q.username })
        : await this.vault.loadNewest(matches);
    return record ? { record, stored: 'keychain' } : undefined;
  }

  /**
   * The keychain's copy of a session, read past this run's memory (another process may have
   * renewed it), and remembered as found; undefined when the keychain holds none.
   */
  async reload(key: RecordKey): Promise<SessionRecord | undefined> {
    if (!this.vault) return undefined;
    const record = await this.vault.load(key);
    if (record) this.remember(record, 'keychain');
    else this.memory.delete(indexAccount(key));
    return record;
  }

  /**
   * Keeps a verified session as `policy` says. A keychain that fails leaves the session in
   * memory and its error in `storeError`; any other throw is a bug and propagates.
   */
  async keep(
    record: SessionRecord,
    policy: KeepPolicy,
  ): Promise<{ stored: Stored; storeError?: SignInError }> {
    if (policy === 'none') return { stored: 'none' };
    let stored: Stored = 'none';
    let storeError: SignInError | undefined;
    if (policy === 'keychain' && this.vault) {
      try {
        await this.vault.save(record);
        stored = 'keychain';
      } catch (err) {
        if (!(err instanceof SignInFailure)) throw err;
        stored = 'memory';
        storeError = err.error;
      }
    }
    this.remember(record, stored);
    return { stored, ...(storeError ? { storeError } : {}) };
  }

  /** Holds a session in this run's memory as found (a restore writes nothing). */
  remember(record: SessionRecord, stored: Stored): void {
    this.memory.set(indexAccount(record), { record, stored });
  }

  /**
   * Forgets a session in memory and deletes its keychain entries; resolves with how many
   * were deleted. A keychain that fails is not an error here: what could be forgotten is.
   */
  async forget(record: SessionRecord): Promise<number> {
    this.memory.delete(indexAccount(record));
    if (!this.vault) return 0;
    try {
      return await this.vault.delete(record);
    } catch (err) {
      if (!(err instanceof SignInFailure)) throw err;
      return 0;
    }
  }

  /** Remembered sessions across tenants (keychain and this run's memory), newest first. */
  async accounts(): Promise<Account[]> {
    const out = new Map<string, Account>();
    if (this.vault) {
      try {
        for (const a of await this.vault.accounts())
          out.set(indexAccount(a), { ...a, stored: 'keychain' });
      } catch (err) {
        if (!(err instanceof SignInFailure)) throw err;
      }
    }
    for (const [key, { record, stored }] of this.memory) {
      if (stored === 'keychain' || out.has(key)) continue;
      out.set(key, {
        tenant: record.tenant,
        clientId: record.clientId,
        username: record.username,
        connection: record.connection,
        kind: record.kind,
        obtainedAt: record.obtained_at,
        expiresAt: recordExpiry(record) ?? null,
        stored: 'memory',
      });
    }
    return [...out.values()].sort((a, b) => b.obtainedAt.localeCompare(a.obtainedAt));
  }
}
