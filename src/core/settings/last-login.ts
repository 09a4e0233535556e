/**
 * The last login (Lock's `rememberLastLogin`): who signed in last on this machine, so that
 * after sign-out or expiry the window can offer "Continue as Ada Lovelace (ada@…)" with the
 * connection already chosen. ONE entry, names and the connection only — never a password, a
 * code or a token — in `last-login.json` beside the user's settings, written whole then
 * renamed (never half a file), mode 0600. What is read back is validated: a hand-edited,
 * foreign or oversized file counts as no last login, never as an error.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import type { LastLogin } from '../../shared/ipc.js';
import { ConnectionKindSchema } from '../../shared/settings.js';
import { terminalLine } from '../../shared/untrusted-text.js';
import { userSettingsPath } from './store.js';

/** Longest file read back: one entry is a few hundred bytes; anything bigger is not ours. */
export const LAST_LOGIN_MAX_BYTES = 8 * 1024;

/** Each field's limit (characters). */
const LIMITS = {
  tenant: 512,
  clientId: 200,
  connection: 200,
  username: 512,
  name: 256,
  email: 512,
} as const;

const text = (max: number) => z.string().min(1).max(max);

const LastLoginSchema = z.object({
  tenant: text(LIMITS.tenant),
  clientId: text(LIMITS.clientId),
  connection: text(LIMITS.connection),
  kind: ConnectionKindSchema,
  username: text(LIMITS.username),
  name: text(LIMITS.name).optional(),
  email: text(LIMITS.email).optional(),
  at: z.iso.datetime(),
});

/** Where the last login is kept: `last-login.json` beside the user's settings file. */
export function lastLoginPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(userSettingsPath(env)), 'last-login.json');
}

/** One line, no control character, at most `max` characters (text from a tenant's claims). */
function clean(s: string, max: number): string {
  return terminalLine(s).trim().slice(0, max);
}

/**
 * `login` as it may be kept: only the fields of `LastLogin` (whatever else the object holds is
 * dropped), each cleaned and cut to its limit; optional names left out when empty.
 */
function keepable(login: LastLogin): LastLogin | undefined {
  const name = login.name === undefined ? '' : clean(login.name, LIMITS.name);
  const email = login.email === undefined ? '' : clean(login.email, LIMITS.email);
  const r = LastLoginSchema.safeParse({
    tenant: clean(login.tenant, LIMITS.tenant),
    clientId: clean(login.clientId, LIMITS.clientId),
    connection: clean(login.connection, LIMITS.connection),
    kind: login.kind,
    username: clean(login.username, LIMITS.username),
    ...(name ? { name } : {}),
    ...(email ? { email } : {}),
    at: login.at,
  });
  return r.success ? r.data : undefined;
}

/** The last login, or null when none is kept or the file is not one Signet wrote. */
export function readLastLogin(env: NodeJS.ProcessEnv = process.env): LastLogin | null {
  const file = lastLoginPath(env);
  try {
    if (statSync(file).size > LAST_LOGIN_MAX_BYTES) return null;
    const r = LastLoginSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return r.success ? (keepable(r.data) ?? null) : null;
  } catch {
    return null;
  }
}

/**
 * Keeps `login` as the last login, replacing the one before. Returns false (and keeps
 * nothing) when it cannot be kept as it is: a field empty after cleaning, or the folder not
 * writable — remembering who signed in is a convenience, never a reason for a sign-in to fail.
 */
export function writeLastLogin(login: LastLogin, env: NodeJS.ProcessEnv = process.env): boolean {
  const entry = keepable(login);
  if (!entry) return false;
  const file = lastLoginPath(env);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(tmp, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing more to do: the folder itself is not writable.
    }
    return false;
  }
}

/** Forgets the last login ("Not you?"); true when there was a file to delete. */
export function clearLastLogin(env: NodeJS.ProcessEnv = process.env): boolean {
  const file = lastLoginPath(env);
  try {
    statSync(file);
  } catch {
    return false;
  }
  rmSync(file, { force: true });
  return true;
}
