/**
 * The default session: which remembered session `token`, `whoami`, the credential helpers and
 * the app use when a call names no user (`signet use`). Not a secret — a tenant, a client id
 * and a user name — so it lives in one small file beside the user's settings, not in the
 * keychain: `default-session.json`, `{tenant, clientId, username}` (tenant as `tenantKey`).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { userSettingsPath } from '../settings/store.js';
import type { RecordKey } from '../vault/vault.js';
export { sameSession } from '../../shared/session.js';

/** Where the default session is named. */
export function defaultSessionPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(userSettingsPath(env)), 'default-session.json');
}

/** The default session's key, or undefined when none was chosen (or the file is unreadable). */
export function readDefaultSession(): RecordKey | undefined {
  try {
    const v = JSON.parse(readFileSync(defaultSessionPath(), 'utf8')) as Partial<RecordKey>;
    return typeof v.tenant === 'string' &&
      typeof v.clientId === 'string' &&
      typeof v.username === 'string'
      ? { tenant: v.tenant, clientId: v.clientId, username: v.username }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Names `key` the default session (written whole, then renamed: never half a file). */
export function writeDefaultSession(key: RecordKey): void {
  const file = defaultSessionPath();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(
    tmp,
    `${JSON.stringify({ tenant: key.tenant, clientId: key.clientId, username: key.username })}\n`,
    { mode: 0o600 },
  );
  renameSync(tmp, file);
}

/** Forgets the default (its session was signed out or ended). */
export function clearDefaultSession(): void {
  rmSync(defaultSessionPath(), { force: true });
}
