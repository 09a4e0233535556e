/**
 * The tenant's RS256 signing keys: created on first start, kept as JWK JSON in
 * `<dataDir>/keys.json` (mode 0600), rotated on demand. A rotated-out key stays published in
 * the JWKS until every id_token it signed has expired (the id_token lifetime), then is dropped.
 *
 * The file is re-read when it changes (at most once a second), so `tenant keys rotate` run
 * beside a running tenant takes effect without a restart.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

type Key = CryptoKey;

interface StoredKey {
  kid: string;
  alg: 'RS256';
  createdAt: number;
  /** When it stopped being the signing key (ms); absent for the current key. */
  retiredAt?: number;
  privateJwk: JWK;
  publicJwk: JWK;
}

interface LoadedKey extends StoredKey {
  privateKey: Key;
  publicKey: Key;
}

export interface KeyStoreOptions {
  /** id_token lifetime in seconds: how long a retired key stays published. */
  lifetimeSeconds: number;
  now?: () => number;
}

export const KEYS_FILE = 'keys.json';

export class KeyStore {
  private keys: LoadedKey[] = [];
  private mtimeMs = 0;
  private checkedAt = 0;
  private readonly now: () => number;

  private constructor(
    private readonly file: string,
    private readonly opts: KeyStoreOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Opens (or creates, with one fresh key) the key file in `dataDir`. */
  static async open(dataDir: string, opts: KeyStoreOptions): Promise<KeyStore> {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const store = new KeyStore(join(dataDir, KEYS_FILE), opts);
    if (existsSync(store.file)) await store.load();
    if (store.keys.length === 0 || store.keys.every((k) => k.retiredAt !== undefined))
      await store.rotate();
    return store;
  }

  /** The key new tokens are signed with. */
  async current(): Promise<{ kid: string; privateKey: Key }> {
    await this.refreshFromDisk();
    const key = this.keys[this.keys.length - 1];
    if (!key) throw new Error('no signing key');
    return { kid: key.kid, privateKey: key.privateKey };
  }

  /** Public key for a `kid`, while it is still published. */
  async publicKey(kid: string | undefined): Promise<Key | undefined> {
    await this.refreshFromDisk();
    return this.published().find((k) => k.kid === kid)?.publicKey;
  }

  /** `/.well-known/jwks.json`: the current key and every retired key whose tokens may still be valid. */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.refreshFromDisk();
    return {
      keys: this.published()
        .slice()
        .reverse()
        .map((k) => ({ ...k.publicJwk, kid: k.kid, alg: 'RS256', use: 'sig' })),
    };
  }

  /** Adds a new current key; the previous one is retired but stays published. Returns the new kid. */
  async rotate(): Promise<string> {
    if (existsSync(this.file)) await this.load();
    const now = this.now();
    const { privateKey, publicKey } = await generateKeyPair('RS256', {
      modulusLength: 2048,
      extractable: true,
    });
    const kid = randomBytes(12).toString('base64url');
    const privateJwk = await exportJWK(privateKey);
    const publicJwk = await exportJWK(publicKey);
    for (const k of this.keys) k.retiredAt ??= now;
    this.keys.push({
      kid,
      alg: 'RS256',
      createdAt: now,
      privateJwk,
      publicJwk,
      privateKey,
      publicKey,
    });
    this.prune();
    this.save();
    return kid;
  }

  /** Kids, newest last, with their state (for `keys list` and diagnostics). */
  list(): Array<{ kid: string; createdAt: string; retiredAt?: string; published: boolean }> {
    const published = new Set(this.published().map((k) => k.kid));
    return this.keys.map((k) => ({
      kid: k.kid,
      createdAt: new Date(k.createdAt).toISOString(),
      ...(k.retiredAt !== undefined ? { retiredAt: new Date(k.retiredAt).toISOString() } : {}),
      published: published.has(k.kid),
    }));
  }

  private published(): LoadedKey[] {
    const now = this.now();
    const keep = this.opts.lifetimeSeconds * 1000;
    return this.keys.filter((k) => k.retiredAt === undefined || now < k.retiredAt + keep);
  }

  private prune(): void {
    const published = new Set(this.published());
    this.keys = this.keys.filter((k) => published.has(k));
  }

  private save(): void {
    const stored: StoredKey[] = this.keys.map(
      ({ kid, alg, createdAt, retiredAt, privateJwk, publicJwk }) => ({
        kid,
        alg,
        createdAt,
        ...(retiredAt !== undefined ? { retiredAt } : {}),
        privateJwk,
        publicJwk,
      }),
    );
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ keys: stored }, null, 2) + '\n', { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
    this.mtimeMs = statSync(this.file).mtimeMs;
  }

  private async load(): Promise<void> {
    const mtimeMs = statSync(this.file).mtimeMs;
    const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as { keys?: StoredKey[] };
    if (!Array.isArray(parsed.keys)) throw new Error(`${this.file}: no "keys" array`);
    const loaded: LoadedKey[] = [];
    for (const k of parsed.keys) {
      const cached = this.keys.find((c) => c.kid === k.kid);
      loaded.push({
        ...k,
        privateKey: cached?.privateKey ?? ((await importJWK(k.privateJwk, 'RS256')) as Key),
        publicKey: cached?.publicKey ?? ((await importJWK(k.publicJwk, 'RS256')) as Key),
      });
    }
    this.keys = loaded;
    this.mtimeMs = mtimeMs;
  }

  private async refreshFromDisk(): Promise<void> {
    const now = Date.now();
    if (now - this.checkedAt < 1000) return;
    this.checkedAt = now;
    try {
      if (statSync(this.file).mtimeMs !== this.mtimeMs) await this.load();
    } catch {
      // The file vanished or is being replaced: keep serving the keys in memory.
    }
  }
}
