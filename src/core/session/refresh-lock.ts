/**
 * One refresh at a time per session, across processes: twenty `signet token` runs, the desktop
 * app's keep-fresh and an explicit `signet refresh` that all find the same session in need of
 * renewal make ONE request to the tenant; the others wait for it and read what it stored. With
 * rotating refresh tokens this is what keeps the family alive (spec §9): a second process
 * presenting the refresh token the first one just rotated would be a reuse, and the tenant
 * revokes the family.
 *
 * The lock is proper-lockfile's (an atomic `mkdir` of `<file>.lock`, its mtime renewed while
 * held) on one file per session in the user's config dir, held only while refreshing. A holder
 * killed with SIGKILL stops renewing the mtime, so its lock is stale after `STALE_MS` and the
 * next waiter takes it over; waiters retry until `WAIT_MS`, well past that.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SignInError } from '../../shared/errors.js';
import { fail, throwIfCancelled } from '../errors.js';
import { userSettingsPath } from '../settings/store.js';
import { indexAccount, type RecordKey } from '../vault/vault.js';

/** A lock whose holder stopped renewing it for this long is taken over (proper-lockfile's minimum is 2 s). */
export const STALE_MS = 3_000;
/** How often a holder renews its lock's mtime (at most half of `STALE_MS`). */
const UPDATE_MS = 1_000;
/**
 * How long a waiter waits for a refresh in another process before giving up: a refresh is one
 * HTTP request (bounded by the settings' timeouts) plus a keychain write, and a dead holder's
 * lock clears within `STALE_MS`.
 */
export const WAIT_MS = 60_000;

/** The folder of the lock files: beside the user's settings file, private to the user. */
export function lockDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(userSettingsPath(env)), 'locks');
}

/**
 * The lock file of a session: a hash of its key, so no tenant, client or user name (nor any
 * character a file system refuses) ends up in a file name.
 */
export function lockPath(
  key: RecordKey,
  what = 'refresh',
  env: NodeJS.ProcessEnv = process.env,
): string {
  // node:crypto on use only: a `signet token` that needs no refresh never loads it.
  const { createHash } = process.getBuiltinModule('node:crypto');
  const id = createHash('sha256')
    .update(`${indexAccount(key)}\n${what}`)
    .digest('hex')
    .slice(0, 32);
  return join(lockDir(env), `${id}.lock`);
}

/** proper-lockfile's options for the refresh lock (shared with tests that hold it themselves). */
export const LOCK_OPTIONS = {
  stale: STALE_MS,
  update: UPDATE_MS,
  realpath: false,
  retries: 0,
} as const;

/** Another process held the lock past `WAIT_MS` (its refresh is stuck on a silent tenant). */
function lockTimeout(): SignInError {
  return {
    code: 'timeout',
    message: `Another Signet process has been renewing this session for over ${WAIT_MS / 1000} s.`,
    hint: 'Try again in a moment.',
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` holding the lock of `key` (`what`: the session's refresh by default, or e.g. the
 * fetch of a token for another client, `target:<id>`); waits (polling with jitter, so twenty waiters do
 * not wake in step) while another process holds it. `signal` stops the wait (`cancelled`).
 * A config dir that cannot be created (a read-only home) runs `fn` unlocked: a refresh that
 * might race is better than none.
 */
export async function withRefreshLock<T>(
  key: RecordKey,
  fn: () => Promise<T>,
  signal?: AbortSignal,
  what = 'refresh',
): Promise<T> {
  const file = lockPath(key, what);
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  } catch {
    return fn();
  }
  // Loaded here, not at import: it installs exit handlers and patches fs at load, which a
  // `signet token` that needs no refresh should not pay for (bench/cli.ts).
  const { default: lockfile } = await import('proper-lockfile');
  const deadline = Date.now() + WAIT_MS;
  let release: (() => Promise<void>) | undefined;
  for (;;) {
    throwIfCancelled(signal);
    try {
      release = await lockfile.lock(file, {
        ...LOCK_OPTIONS,
        // The mtime could not be renewed in time (a suspended laptop): another process may
        // now refresh too. The refresh under way still finishes; nothing to crash for.
        onCompromised: () => undefined,
      });
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== 'ELOCKED') return fn();
      if (Date.now() > deadline) fail(lockTimeout());
      await sleep(40 + Math.random() * 80);
    }
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
