/**
 * The vault: one session record per tenant + client + user in the system keychain.
 *
 * Layout (service `signet` by default):
 * - index entry, account `v1|<tenant>|<client>|<user>`: a small JSON
 *   `{v:1, gen, n, len}` naming the generation and number of chunks, or `{v:1, inline}` when
 *   the whole record fits in one entry;
 * - chunk entries, account `<index account>#<gen>#<i>`, at most 2,000 bytes each (Windows
 *   Credential Manager refuses blobs over 2,560 bytes).
 *
 * A write stores every chunk under a new generation, then flips the index (one small write),
 * then deletes the previous generation. A reader reads the index, then that generation's
 * chunks; if a chunk vanished (a concurrent write finished meanwhile) it reads the index
 * again. So a reader sees the old record or the new one, never half of one.
 *
 * Every keychain failure becomes `keychain_unavailable` with the platform's reason. Nothing
 * ever falls back to a file.
 */
import type { Protocol } from '../../shared/settings.js';
import type { ConnectionKind } from '../../shared/settings.js';
import { SignInFailure } from '../errors.js';
import { tokenExpiryMs } from '../tokens/decode.js';
import { systemKeychain, takePrefetchedListing, type KeychainBackend } from './keychain.js';
import type { AccountRef, RecordKey } from '../../shared/session.js';
import { errorText } from '../../shared/error-text.js';
export type { AccountRef, RecordKey };

/** What is kept of a session. */
export interface SessionRecord {
  tenant: string;
  clientId: string;
  username: string;
  connection: string;
  kind: ConnectionKind;
  protocol: Protocol;
  id_token?: string;
  access_token: string;
  refresh_token?: string;
  token_type: string;
  scope: string;
  device?: string;
  /** ISO time the tokens were obtained. */
  obtained_at: string;
  /**
   * ISO time the access token expires: the tenant's `expires_in` made absolute when it was
   * issued (a relative time means nothing once stored). Absent in records written before it
   * was kept, and when the tenant sent no `expires_in`.
   */
  access_expires_at?: string;
}

export const CHUNK_BYTES = 2000;
const PREFIX = 'v1|';

interface IndexEntry {
  v: 1;
  gen?: string;
  n?: number;
  len?: number;
  inline?: string;
  /** Enough to list accounts without reading every chunk. */
  meta?: { connection: string; kind: ConnectionKind; obtainedAt: string; expiresAt?: string };
}

/**
 * When a record's session needs renewing: its id_token's `exp`, else its access token's
 * expiry (a JWT's `exp`, else `access_expires_at`); undefined when nothing says.
 */
export function recordExpiry(record: SessionRecord): string | undefined {
  const ms = tokenExpiryMs(record.id_token) ?? tokenExpiryMs(record.access_token);
  return ms !== undefined ? new Date(ms).toISOString() : record.access_expires_at;
}

/** JSON with every non-ASCII character escaped: its length in characters = in bytes. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The index account of a record. `|` inside parts is escaped so keys cannot collide. */
export function indexAccount(k: RecordKey): string {
  const esc = (s: string) => s.replace(/%/g, '%25').replace(/\|/g, '%7C').replace(/#/g, '%23');
  return `${PREFIX}${esc(k.tenant)}|${esc(k.clientId)}|${esc(k.username)}`;
}

/**
 * The key of an index account, or undefined for anything else under the service: chunks,
 * and entries Signet did not write (a malformed `%` escape must not break listing).
 */
function parseAccount(account: string): RecordKey | undefined {
  if (!account.startsWith(PREFIX) || account.includes('#')) return undefined;
  let parts: string[];
  try {
    parts = account.slice(PREFIX.length).split('|').map(decodeURIComponent);
  } catch {
    return undefined; // URIError: not an account Signet wrote
  }
  if (parts.length !== 3) return undefined;
  const [tenant, clientId, username] = parts as [string, string, string];
  return { tenant, clientId, username };
}

const chunkAccount = (index: string, gen: string, i: number) => `${index}#${gen}#${i}`;
/** A generation's name: 6 random bytes in hex (`save`). */
const GENERATION = /^[0-9a-f]{12}$/;
const besideAccount = (k: RecordKey, name: string) =>
  `${indexAccount(k)}#t|${name.replace(/%/g, '%25').replace(/#/g, '%23')}`;

/** The keychain store of session records. */
export class Vault {
  constructor(
    /** keytar's `service`: one per app (tests use their own). */
    readonly service = 'signet',
    private readonly backend?: KeychainBackend,
  ) {}

  private async kc(): Promise<KeychainBackend> {
    if (this.backend) return this.backend;
    try {
      return await systemKeychain();
    } catch (err) {
      throw unavailable(err, 'load');
    }
  }

  private async call<T>(op: string, fn: (k: KeychainBackend) => Promise<T>): Promise<T> {
    const k = await this.kc();
    try {
      return await fn(k);
    } catch (err) {
      throw unavailable(err, op);
    }
  }

  /** Saves a record (replacing the user's previous one), atomically for readers. */
  async save(record: SessionRecord): Promise<void> {
    const account = indexAccount(record);
    const data = asciiJson(record);
    const expiresAt = recordExpiry(record);
    const meta = {
      connection: record.connection,
      kind: record.kind,
      obtainedAt: record.obtained_at,
      ...(expiresAt ? { expiresAt } : {}),
    };
    const previous = await this.readIndex(account);
    const inline: IndexEntry = { v: 1, inline: data, meta };
    if (asciiJson(inline).length <= CHUNK_BYTES) {
      await this.call('write', (k) => k.setPassword(this.service, account, asciiJson(inline)));
    } else {
      // node:crypto on use only: reading a session (`signet token`) never needs it.
      const gen = process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex');
      const n = Math.ceil(data.length / CHUNK_BYTES);
      for (let i = 0; i < n; i++) {
        const part = data.slice(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES);
        await this.call('write', (k) =>
          k.setPassword(this.service, chunkAccount(account, gen, i), part),
        );
      }
      const index: IndexEntry = { v: 1, gen, n, len: data.length, meta };
      await this.call('write', (k) => k.setPassword(this.service, account, asciiJson(index)));
    }
    if (previous?.gen) await this.deleteChunks(account, previous.gen, previous.n ?? 0);
    // Chunks of a write that was interrupted before its index flip are swept whenever chunks
    // are involved; a one-entry save over a one-entry record has none to leave (and skips the
    // cost of listing the service).
    if (previous?.gen || asciiJson(inline).length > CHUNK_BYTES)
      await this.sweep(account, previous?.gen);
  }

  /** Reads a whole record, or undefined when there is none. */
  async load(key: RecordKey): Promise<SessionRecord | undefined> {
    const account = indexAccount(key);
    const read = (a: string) => this.call('read', (k) => k.getPassword(this.service, a));
    for (let attempt = 0; attempt < 3; attempt++) {
      const index = await this.readIndex(account);
      if (!index) return undefined;
      const r = await assemble(account, index, read);
      if (r !== INCOMPLETE) return r;
      // A newer write replaced this generation while we read: read the index again.
    }
    return undefined;
  }

  /**
   * The newest record whose key `matches` (the first of `accounts()`), or undefined: read from
   * the one listing of the service that finds it, so a lookup by tenant or client costs one
   * keychain call instead of three (each is a D-Bus round trip on Linux; `signet token` pays
   * them on every call). A listing caught in the middle of a write is read again with `load`.
   * The system keychain's listing may have been started earlier (`prefetchListing`).
   */
  async loadNewest(matches: (key: RecordKey) => boolean): Promise<SessionRecord | undefined> {
    const early = this.backend ? undefined : takePrefetchedListing(this.service);
    const all = await this.call('list', (k) => early ?? k.findCredentials(this.service));
    const key = accountsOf(all).find(matches);
    if (!key) return undefined;
    const account = indexAccount(key);
    const listed = new Map(all.map((c) => [c.account, c.password]));
    const index = parseIndex(listed.get(account)!)!;
    const r = await assemble(account, index, async (a) => listed.get(a) ?? null);
    return r === INCOMPLETE ? this.load(key) : r;
  }

  /** Deletes a record and every chunk of it (any generation). Returns how many entries went. */
  async delete(key: RecordKey): Promise<number> {
    const account = indexAccount(key);
    const all = await this.call('list', (k) => k.findCredentials(this.service));
    let deleted = 0;
    for (const c of all) {
      if (c.account === account || c.account.startsWith(`${account}#`)) {
        if (await this.call('delete', (k) => k.deletePassword(this.service, c.account))) deleted++;
      }
    }
    return deleted;
  }

  /** Every remembered account (no tokens), newest first. */
  async accounts(): Promise<AccountRef[]> {
    return accountsOf(await this.call('list', (k) => k.findCredentials(this.service)));
  }

  /**
   * Saves a small value kept beside a record (e.g. a token for another client, by name): one
   * entry, account `<index account>#t|<name>`, deleted with the record. A value over
   * `CHUNK_BYTES` is not kept (resolves false): what it caches can always be asked for again.
   */
  async saveBeside(key: RecordKey, name: string, value: string): Promise<boolean> {
    const data = asciiJson(value);
    if (data.length > CHUNK_BYTES) return false;
    await this.call('write', (k) => k.setPassword(this.service, besideAccount(key, name), data));
    return true;
  }

  /** A value kept beside a record with `saveBeside`, or undefined. */
  async loadBeside(key: RecordKey, name: string): Promise<string | undefined> {
    const raw = await this.call('read', (k) =>
      k.getPassword(this.service, besideAccount(key, name)),
    );
    if (raw === null) return undefined;
    try {
      const v = JSON.parse(raw) as unknown;
      return typeof v === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  }

  /** Entries (index + chunks) stored for one record: for tests and diagnostics. */
  async entryCount(key: RecordKey): Promise<number> {
    const account = indexAccount(key);
    const all = await this.call('list', (k) => k.findCredentials(this.service));
    return all.filter((c) => c.account === account || c.account.startsWith(`${account}#`)).length;
  }

  private async readIndex(account: string): Promise<IndexEntry | undefined> {
    const raw = await this.call('read', (k) => k.getPassword(this.service, account));
    return raw === null ? undefined : parseIndex(raw);
  }

  private async deleteChunks(account: string, gen: string, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      await this.call('delete', (k) =>
        k.deletePassword(this.service, chunkAccount(account, gen, i)),
      );
    }
  }

  /** Removes chunks of generations no index points at (left by a write that was interrupted). */
  private async sweep(account: string, justDeleted: string | undefined): Promise<void> {
    const current = await this.readIndex(account);
    const all = await this.call('list', (k) => k.findCredentials(this.service));
    for (const c of all) {
      if (!c.account.startsWith(`${account}#`)) continue;
      const gen = c.account.slice(account.length + 1).split('#')[0];
      // Entries beside the record (`#t|…`) are not chunks of any generation.
      if (!gen || !GENERATION.test(gen)) continue;
      if (gen !== current?.gen && gen !== justDeleted) {
        await this.call('delete', (k) => k.deletePassword(this.service, c.account));
      }
    }
  }
}

/** The remembered accounts of a listing of the service, newest first. */
function accountsOf(all: Array<{ account: string; password: string }>): AccountRef[] {
  const out: AccountRef[] = [];
  for (const c of all) {
    const key = parseAccount(c.account);
    if (!key) continue;
    const index = parseIndex(c.password);
    if (!index?.meta) continue;
    out.push({
      ...key,
      connection: index.meta.connection,
      kind: index.meta.kind,
      obtainedAt: index.meta.obtainedAt,
      expiresAt: index.meta.expiresAt ?? null,
    });
  }
  return out.sort((a, b) => b.obtainedAt.localeCompare(a.obtainedAt));
}

/** `assemble`'s answer when a chunk of the index's generation is missing or short. */
const INCOMPLETE = Symbol('incomplete');

/** The record an index entry names, its chunks read with `read`. */
async function assemble(
  account: string,
  index: IndexEntry,
  read: (account: string) => Promise<string | null>,
): Promise<SessionRecord | undefined | typeof INCOMPLETE> {
  if (index.inline !== undefined) return parseRecord(index.inline);
  if (!index.gen || !index.n) return undefined;
  const parts: string[] = [];
  for (let i = 0; i < index.n; i++) {
    const part = await read(chunkAccount(account, index.gen, i));
    if (part === null) return INCOMPLETE;
    parts.push(part);
  }
  const data = parts.join('');
  return data.length === index.len ? parseRecord(data) : INCOMPLETE;
}

function parseIndex(raw: string): IndexEntry | undefined {
  try {
    const v = JSON.parse(raw) as IndexEntry;
    return v && v.v === 1 ? v : undefined;
  } catch {
    return undefined;
  }
}

function parseRecord(data: string): SessionRecord | undefined {
  try {
    const r = JSON.parse(data) as SessionRecord;
    return typeof r.access_token === 'string' && typeof r.tenant === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}

/** The platform's reason, as a `keychain_unavailable` failure. */
export function unavailable(err: unknown, op: string): SignInFailure {
  if (err instanceof SignInFailure) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new SignInFailure({
    code: 'keychain_unavailable',
    ...errorText('errors.keychain.unavailable', { reason }, 'errors.hint.keychain'),
    detail: { operation: op, reason, platform: process.platform },
  });
}
