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

/** The system keychain through keytar (loaded on first use). */
export function systemKeychain(): Promise<KeychainBackend> {
  loaded ??= isStandaloneExecutable()
    ? Promise.resolve().then(besideExecutable)
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
