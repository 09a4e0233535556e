/**
 * The keychain backend: `@github/keytar` (macOS Keychain, Windows Credential Manager, the
 * Secret Service on Linux), loaded lazily so that a missing native module or D-Bus is a
 * `keychain_unavailable` at the moment of use, never a crash at import.
 */

/** The four calls the vault needs; keytar's API. */
export interface KeychainBackend {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

let loaded: Promise<KeychainBackend> | undefined;

/** The system keychain through keytar (imported on first use). */
export function systemKeychain(): Promise<KeychainBackend> {
  loaded ??= import('@github/keytar').then((m) => {
    const k = (m as { default?: KeychainBackend }).default ?? (m as unknown as KeychainBackend);
    return k;
  });
  return loaded;
}
