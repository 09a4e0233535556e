/**
 * The keychain backend: `@github/keytar` (macOS Keychain, Windows Credential Manager, the
 * Secret Service on Linux), loaded lazily so that a missing native module or D-Bus is a
 * `keychain_unavailable` at the moment of use, never a crash at import.
 */
import { dirname, join } from 'node:path';
import { isStandaloneExecutable } from '../../node/standalone.js';

/** The four calls the vault needs; keytar's API. */
export interface KeychainBackend {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/**
 * The file name of keytar's native module beside the standalone executable (scripts/build-cli.mjs
 * copies it there under this name; plain JavaScript, it cannot import this constant).
 */
const KEYTAR_MODULE = 'keytar.node';

let loaded: Promise<KeychainBackend> | undefined;

/**
 * The keychain service Signet's sessions are kept under (keytar's `service`): `signet`, or
 * `SIGNET_KEYCHAIN_SERVICE`, which keeps test runs and benchmarks apart from the user's own.
 */
export const keychainService = (env: NodeJS.ProcessEnv = process.env): string =>
  env.SIGNET_KEYCHAIN_SERVICE ?? 'signet';

type Listing = Awaited<ReturnType<KeychainBackend['findCredentials']>>;
/** Listings started by `prefetchListing`, by service, until the vault takes them. */
const prefetched = new Map<string, Promise<Listing>>();

/**
 * Starts listing `service` now, for the vault read that comes later in this process
 * (`takePrefetchedListing`). keytar works on a thread of its own, so the keychain's round trips
 * (on Linux the first costs ~20 ms of D-Bus) overlap whatever the process does meanwhile:
 * `signet token` starts it before it loads zod, the settings and core (src/cli/entry.ts).
 * Only for a read that surely follows: a pending listing keeps the process alive until it ends.
 */
export function prefetchListing(service: string): void {
  const listing = systemKeychain().then((k) => k.findCredentials(service));
  listing.catch(() => undefined); // the read that takes it reports the failure
  prefetched.set(service, listing);
}

/** The listing `prefetchListing` started for `service`, once; undefined when there is none. */
export function takePrefetchedListing(service: string): Promise<Listing> | undefined {
  const listing = prefetched.get(service);
  prefetched.delete(service);
  return listing;
}

/** The system keychain through keytar (loaded on first use). */
export function systemKeychain(): Promise<KeychainBackend> {
  // The executable loads the module now, not on a later tick: a read started right after
  // (`prefetchListing`) is then under way before anything else the process does next.
  loaded ??= isStandaloneExecutable()
    ? new Promise<KeychainBackend>((resolve) => resolve(besideExecutable()))
    : import('@github/keytar').then((m) => {
        const k = (m as { default?: KeychainBackend }).default ?? (m as unknown as KeychainBackend);
        return k;
      });
  return loaded;
}

/**
 * keytar's native module from the standalone executable's own folder (scripts/build-cli.mjs
 * copies it there): a SEA cannot load packages, only files. The binding has keytar's API
 * minus the argument checks of its JavaScript wrapper, which are repeated here (the native
 * code must never see an empty service or account).
 */
function besideExecutable(): KeychainBackend {
  const file = join(dirname(process.execPath), KEYTAR_MODULE);
  const mod = { exports: {} as KeychainBackend };
  process.dlopen(mod, file);
  const k = mod.exports;
  const need = (...values: string[]) => {
    if (values.some((v) => !v))
      throw new Error('keychain: service, account and password are required');
  };
  return {
    getPassword: async (s, a) => (need(s, a), k.getPassword(s, a)),
    setPassword: async (s, a, p) => (need(s, a, p), k.setPassword(s, a, p)),
    deletePassword: async (s, a) => (need(s, a), k.deletePassword(s, a)),
    findCredentials: async (s) => (need(s), k.findCredentials(s)),
  };
}
