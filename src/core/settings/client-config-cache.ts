/**
 * The last good client configuration of each tenant + client, kept on disk so the window
 * offers the client's connections offline and a bad answer never replaces a good copy. Not a
 * secret (connection names, policies, email domains), so it is one small JSON file beside the
 * user's settings, `client-config.json` (mode 0600, written whole then renamed, as
 * default-session.json): `{ "<tenant>|<client_id>": { fetchedAt, connections } }`, at most
 * `MAX_CACHED_CLIENTS` entries (the oldest fetched go first). A file that is unreadable or
 * fails validation is as good as none.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import type { ClientConnection } from '../../shared/client-config.js';
import { PASSWORD_POLICIES } from '../../shared/password-policy.js';
import { ConnectionKindSchema, SETTINGS_LIMITS } from '../../shared/settings.js';
import { userSettingsPath } from './store.js';

/**
 * How long a copy is served without asking the tenant (10 min): the window asks at every
 * launch and settings change, and a client's connections change rarely; `refresh` asks anyway.
 */
export const CLIENT_CONFIG_FRESH_MS = 10 * 60 * 1000;

/** Tenants + clients remembered; more are dropped oldest first. */
export const MAX_CACHED_CLIENTS = 20;

/** The cache file of the settings in `env` (beside the user's settings file). */
export function clientConfigCachePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(userSettingsPath(env)), 'client-config.json');
}

/** One cached copy: when it was fetched and what it listed. */
export interface CachedClientConfig {
  fetchedAt: string;
  connections: ClientConnection[];
}

const CachedConnection = z.strictObject({
  name: z.string().min(1).max(SETTINGS_LIMITS.connectionName),
  strategy: z.string().min(1).max(100),
  kind: z.union([ConnectionKindSchema, z.literal('other')]),
  passwordPolicy: z.enum(PASSWORD_POLICIES).optional(),
  showSignup: z.boolean().optional(),
  showForgot: z.boolean().optional(),
  requiresUsername: z.boolean().optional(),
  domains: z.array(z.string().max(254)).max(50).optional(),
});
const Entry = z.strictObject({
  fetchedAt: z.iso.datetime(),
  connections: z.array(CachedConnection).max(SETTINGS_LIMITS.connections),
});

/** Every valid entry of the file (an invalid one is skipped, the rest kept). */
function readAll(file: string): Map<string, CachedClientConfig> {
  const out = new Map<string, CachedClientConfig>();
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return out;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return out;
  for (const [key, value] of Object.entries(json)) {
    const e = Entry.safeParse(value);
    if (e.success) out.set(key, e.data as CachedClientConfig);
  }
  return out;
}

/** The cache of one file: read on every call (another process may have written it). */
export class ClientConfigCache {
  constructor(readonly file: string) {}

  /** The last good copy for `key` (`<tenantKey>|<clientId>`), or undefined. */
  get(key: string): CachedClientConfig | undefined {
    return readAll(this.file).get(key);
  }

  /**
   * Keeps `value` as the good copy for `key`. Best effort: a file that cannot be written
   * leaves the old one (the configuration just fetched is still used this time).
   */
  set(key: string, value: CachedClientConfig): void {
    const all = readAll(this.file);
    all.delete(key);
    all.set(key, value);
    const kept = [...all].sort((a, b) => b[1].fetchedAt.localeCompare(a[1].fetchedAt));
    const out = Object.fromEntries(kept.slice(0, MAX_CACHED_CLIENTS));
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      writeFileSync(tmp, `${JSON.stringify(out, null, 1)}\n`, { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch {
      // Read-only home, full disk: the copy in hand is still answered.
    }
  }
}
