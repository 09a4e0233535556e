/**
 * What every route of the tenant shares: its configuration, storage, keys, SMS codes, connections
 * and counters. `createContext` opens them (seeding database users, starting the demo directory)
 * and registers how to close each one.
 */
import { join } from 'node:path';
import { connectionResolver } from './account-keys';
import { BruteForceGuard } from './brute-force';
import type { ClientConfig, ConnectionConfig, TenantConfig } from './config';
import { createLdapConnection } from './connections/ldap';
import { createDatabaseConnection, DATABASE_FILE, TenantDatabase } from './database';
import { startDemoDirectory } from './demo-directory';
import { EmailSender } from './email';
import { KeyStore } from './keys';
import { SlidingWindow } from './rate-limit';
import { SmsCodes } from './sms';
import { AccessTokens, TokenStore, type PendingMfa } from './tokens';
import type { PasswordConnection } from './types';

/** How long an `mfa_token` (the password step of an MFA sign-in) waits for its code. */
export const MFA_TOKEN_LIFETIME_SECONDS = 600;

/** A configured connection, with its password check when it has one (database and AD). */
export interface ConnectionEntry {
  config: ConnectionConfig;
  password?: PasswordConnection;
}

export interface TenantCounters {
  /** Successful sign-ins (any endpoint, any connection). */
  signIns: number;
  /** Refused credentials (wrong password or code). */
  failedSignIns: number;
  /** Refused because of brute-force protection. */
  bruteForceBlocks: number;
}

export interface TenantContext {
  config: TenantConfig;
  /** Clock (ms). */
  now: () => number;
  log: (line: string) => void;
  /**
   * `iss` of the tokens, with a trailing slash. Known only once the server listens (the port may
   * be chosen by the system), so it is set then; routes read it per request.
   */
  issuer: string;
  db: TenantDatabase;
  keys: KeyStore;
  sms: SmsCodes;
  /** Reset emails (config `email`): outbox or webhook. */
  email: EmailSender;
  /** The limits of /dbconnections (config `limits` and `email`), by IP key or address. */
  dbLimits: { signupsByIp: SlidingWindow; resetsByEmail: SlidingWindow; resetsByIp: SlidingWindow };
  accessTokens: AccessTokens;
  /** Password sign-ins of /oauth/token waiting for their TOTP code, by `mfa_token`. */
  mfaTokens: TokenStore<PendingMfa>;
  /** Brute-force protection of password (and TOTP) checks. */
  attempts: BruteForceGuard;
  /** Every configured connection by name. */
  connections: Map<string, ConnectionEntry>;
  /** The password connections by name (database and AD), as `Tenant.connections` shows them. */
  passwordConnections: Map<string, PasswordConnection>;
  clients: Map<string, ClientConfig>;
  counters: TenantCounters;
}

/**
 * Opens the tenant's state in `dataDir`. Each thing opened pushes its close onto `cleanups`
 * (the caller runs them in reverse), also when a later step fails.
 */
export async function createContext(
  config: TenantConfig,
  options: { dataDir: string; log: (line: string) => void; now: () => number },
  cleanups: Array<() => Promise<void> | void>,
): Promise<TenantContext> {
  const { log, now } = options;
  const db = new TenantDatabase(join(options.dataDir, DATABASE_FILE));
  cleanups.push(() => db.close());
  const keys = await KeyStore.open(options.dataDir, {
    lifetimeSeconds: config.idTokenLifetime,
    now,
  });
  const sms = new SmsCodes({ ...config.sms, now, log });
  const email = new EmailSender(config.email.provider, now, log);
  const resetWindowMs = config.email.limitWindowSeconds * 1000;
  const dbLimits = {
    signupsByIp: new SlidingWindow(
      config.limits.signupsPerIp,
      config.limits.signupWindowSeconds * 1000,
      now,
    ),
    resetsByEmail: new SlidingWindow(config.email.resetsPerEmail, resetWindowMs, now),
    resetsByIp: new SlidingWindow(config.email.resetsPerIp, resetWindowMs, now),
  };
  const accessTokens = new AccessTokens(config.accessTokenLifetime, now);
  cleanups.push(() => accessTokens.close());
  const mfaTokens = new TokenStore<PendingMfa>(MFA_TOKEN_LIFETIME_SECONDS, now);
  cleanups.push(() => mfaTokens.close());
  const counters: TenantCounters = { signIns: 0, failedSignIns: 0, bruteForceBlocks: 0 };

  const connections = new Map<string, ConnectionEntry>();
  const passwordConnections = new Map<string, PasswordConnection>();
  for (const c of config.connections) {
    const entry: ConnectionEntry = { config: c };
    if (c.type === 'database') {
      const conn = createDatabaseConnection(c.name, db, { bcryptCost: c.bcryptCost });
      await conn.dummyHash();
      for (const u of c.users) {
        if (db.findByLogin(c.name, u.email)) continue;
        await db.createUser({ connection: c.name, ...u }, c.bcryptCost);
      }
      entry.password = conn;
    } else if (c.type === 'ad') {
      let ldap = c.ldap;
      if (ldap === 'demo') {
        const directory = await startDemoDirectory();
        cleanups.push(() => directory.close());
        ldap = directory.connectionConfig;
      }
      const conn = createLdapConnection(c.name, ldap);
      cleanups.push(() => conn.close?.());
      entry.password = conn;
    }
    if (entry.password) passwordConnections.set(c.name, entry.password);
    connections.set(c.name, entry);
  }
  const attempts = new BruteForceGuard(
    db,
    config.limits.bruteForceThreshold,
    counters,
    connectionResolver(passwordConnections),
  );

  return {
    config,
    now,
    log,
    issuer: '',
    db,
    keys,
    sms,
    email,
    dbLimits,
    accessTokens,
    mfaTokens,
    attempts,
    connections,
    passwordConnections,
    clients: new Map(config.clients.map((c) => [c.client_id, c])),
    counters,
  };
}
