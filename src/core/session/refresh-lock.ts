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
 * next waiter takes it over; waiters retry until `WAIT_MS`, which outlasts both a live holder
 * (`HOLD_MS`) and a dead one's stale window.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SignInError } from '../../shared/errors.js';
import { fail, throwIfCancelled } from '../errors.js';
import { userSettingsPath } from '../settings/store.js';
import { indexAccount, type RecordKey } from '../vault/vault.js';
import { errorText, type ErrorText } from '../../shared/error-text.js';

/**
 * A lock whose holder stopped renewing it for this long is taken over: a crashed holder's lock
 * clears within seconds, while a live holder on a loaded machine or a laptop waking from sleep
 * (its mtime update late by a few seconds) keeps it.
 */
export const STALE_MS = 10_000;
/** How often a holder renews its lock's mtime: a quarter of `STALE_MS`, so three may be late. */
const UPDATE_MS = STALE_MS / 4;
/**
 * The longest a holder goes on towards the tenant: past it (a keychain unlock prompt left
 * open, a slow keychain read) the renewal is abandoned before its request is sent, and the
 * waiters try themselves. The request itself is bounded by the settings' HTTP timeouts.
 */
export const HOLD_MS = 45_000;
/** How long a waiter waits for another process's renewal: a live holder's `HOLD_MS`, then a dead one's stale window. */
export const WAIT_MS = HOLD_MS + STALE_MS;

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

/**
 * This process's hold on the lock ended before its request was sent: its mtime could not be
 * renewed in time (`onCompromised`: another process may be renewing now), or `HOLD_MS` passed.
 */
function lockLost(why: ErrorText): SignInError {
  return { code: 'timeout', ...why };
}

/**
 * The lock could not be taken at all (its folder cannot be created or written: a read-only or
 * foreign config folder). The renewal then runs without it — a renewal that might race another
 * process is better than none — and the caller is told, since with rotating refresh tokens a
 * race can end the session.
 */
export function lockUnavailable(dir: string, cause: unknown): SignInError {
  return {
    code: 'config_invalid',
    ...errorText(
      'errors.session.lockUnavailable',
      { dir, cause: (cause as { code?: string }).code ?? String(cause) },
      'errors.hint.lockFolder',
    ),
    detail: { field: 'locks', path: dir },
  };
}

/** Another process held the lock past `WAIT_MS` (its refresh is stuck on a silent tenant). */
function lockTimeout(): SignInError {
  return {
    code: 'timeout',
    ...errorText(
      'errors.session.lockTimeout',
      { seconds: WAIT_MS / 1000 },
      'errors.hint.tryAgainSoon',
    ),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` holding the session refresh lock of `key`; waits (polling with jitter, so twenty
 * waiters do not wake in step) while another process holds it. `signal` stops the wait
 * (`cancelled`). `fn` gets `beforeSend`: called right before its request goes to the tenant, it
 * throws (`timeout`) when the hold was compromised (the mtime could not be renewed in time, so
 * another process may be renewing) or `HOLD_MS` passed. Once the request is sent it is seen
 * through: aborting cannot unsend it, and a tenant that rotated the refresh token has already
 * made the old one useless, so storing the answer is the least bad outcome.
 * A lock that cannot be taken (its folder unusable) runs `fn` unlocked and reports it through
 * `onUnlocked` (`lockUnavailable`).
 */
export async function withRefreshLock<T>(
  key: RecordKey,
  fn: (beforeSend: () => void) => Promise<T>,
  signal?: AbortSignal,
  onUnlocked: (warning: SignInError) => void = () => undefined,
): Promise<T> {
  const file = lockPath(key);
  const unlocked = (err: unknown) => {
    onUnlocked(lockUnavailable(dirname(file), err));
    return fn(() => undefined);
  };
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  } catch (err) {
    return unlocked(err);
  }
  // Loaded here, not at import: it installs exit handlers and patches fs at load, which a
  // `signet token` that needs no refresh should not pay for (bench/cli.ts).
  const { default: lockfile } = await import('proper-lockfile');
  const deadline = Date.now() + WAIT_MS;
  let release: (() => Promise<void>) | undefined;
  let lost: ErrorText | undefined;
  for (;;) {
    throwIfCancelled(signal);
    try {
      release = await lockfile.lock(file, {
        ...LOCK_OPTIONS,
        // The mtime could not be renewed in time (a suspended laptop): another process may be
        // renewing now. Nothing to crash for; a request not yet sent is not sent (`beforeSend`).
        onCompromised: () => {
          lost = errorText('errors.session.lockLostPaused', {}, 'errors.hint.tryAgainSoon');
        },
      });
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== 'ELOCKED') return unlocked(err);
      if (Date.now() > deadline) fail(lockTimeout());
      await sleep(40 + Math.random() * 80);
    }
  }
  const holdUntil = Date.now() + HOLD_MS;
  const beforeSend = () => {
    if (lost === undefined && Date.now() > holdUntil)
      lost = errorText(
        'errors.session.lockLostSlow',
        { seconds: HOLD_MS / 1000 },
        'errors.hint.tryAgainSoon',
      );
    if (lost !== undefined) fail(lockLost(lost));
  };
  try {
    return await fn(beforeSend);
  } finally {
    await release().catch(() => undefined);
  }
}
