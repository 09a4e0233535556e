/**
 * The tenant's SQLite store (better-sqlite3, WAL, prepared statements only): users of database
 * and SMS connections, sessions (one per credential sign-in) with the id_tokens (hashed) and
 * refresh tokens (device credentials, hashed) issued in each, brute-force counters, and
 * password-reset tickets (hashed; one-time, see `issueResetTicket`).
 *
 * Passwords are bcrypt hashes (@node-rs/bcrypt). Hashing and comparing are always the async
 * variants, which run on libuv's thread pool, so the event loop keeps serving while they work.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { hash as bcryptHash, verify as bcryptVerify } from '@node-rs/bcrypt';
import Database from 'better-sqlite3';
import { accountKeys, idKey, nameKey } from './account-keys';
import { assertPasswordFits } from './password-limit';
import { tenantError } from './errors';
import type { PasswordConnection, UserProfile } from './types';

export const DATABASE_FILE = 'tenant.sqlite';

const BCRYPT_HASH = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

interface UserRow {
  user_id: string;
  connection: string;
  email: string | null;
  email_verified: number;
  username: string | null;
  phone_number: string | null;
  name: string | null;
  given_name: string | null;
  family_name: string | null;
  nickname: string | null;
  picture: string | null;
  app_metadata: string;
  user_metadata: string;
  blocked: number;
  mfa_secret: string | null;
  password_hash: string | null;
  created_at: string;
  updated_at: string;
  last_login: string | null;
  logins_count: number;
}

/** A user as listed by `users list` (no hash, no MFA secret). */
export interface UserSummary {
  user_id: string;
  connection: string;
  email?: string;
  username?: string;
  phone_number?: string;
  name?: string;
  blocked: boolean;
  mfa: boolean;
  logins_count: number;
  last_login?: string;
  created_at: string;
}

export interface NewUser {
  connection: string;
  email?: string;
  username?: string;
  phone_number?: string;
  /** Plain password (hashed here) … */
  password?: string;
  /** … or an existing bcrypt hash. */
  password_hash?: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  nickname?: string;
  picture?: string;
  email_verified?: boolean;
  blocked?: boolean;
  mfa_secret?: string;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  /** Keep this id (import); otherwise `<prefix>|<24 hex>`. */
  user_id?: string;
}

export interface RefreshTokenRow {
  user_id: string;
  connection: string;
  client_id: string;
  device: string | null;
  scope: string;
  created_at: string;
  /** The session the token keeps alive; revoking either revokes both. */
  session_id: string;
  /**
   * When a rotation retired it (ms, the tenant's clock); null while it is the current token.
   * A retired token is not revoked: presented again, it is either the previous token within the
   * overlap period or a reuse (see `refreshTokenStanding`).
   */
  rotated_at: number | null;
}

/** How a live refresh token may be used now (see `TenantDatabase.refreshTokenStanding`). */
export type RefreshTokenStanding = 'current' | 'previous' | 'reused';

/**
 * One credential sign-in and everything renewed from it: the scope it granted and when it ends
 * (ms, the tenant's clock). Revoked on sign-out (the revocation of its refresh token) or a
 * password change of its user.
 */
export interface SessionRow {
  session_id: string;
  user_id: string;
  connection: string;
  client_id: string;
  scope: string;
  expires_at: number;
  revoked: boolean;
}

export interface ImportResult {
  imported: number;
  skipped: Array<{ index: number; email?: string; reason: string }>;
}

/** bcrypt of a password being set; throws `PasswordTooLongError` over 72 bytes (password-limit.ts). */
export async function hashPassword(password: string, cost: number): Promise<string> {
  assertPasswordFits(password);
  return bcryptHash(password, cost);
}

const nowIso = () => new Date().toISOString();
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const newHexId = () => randomBytes(12).toString('hex');

/**
 * id_token rows kept per session (newest first); an older id_token of the session no longer
 * renews or shows a profile. A client keeps only its newest id_token, and renewals are limited
 * to 10 a minute per user and IP, so 100 is hours of renewals and a bound of a few KB a session.
 */
export const ID_TOKENS_PER_SESSION = 100;

export class TenantDatabase {
  readonly db: Database.Database;
  private readonly st;
  private lastSessionSweep = Number.NEGATIVE_INFINITY;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.db = new Database(file);
    // Password hashes and MFA secrets: owner only (SQLite gives -wal/-shm the same mode).
    if (file !== ':memory:') chmodSync(file, 0o600);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS users (
        user_id TEXT PRIMARY KEY,
        connection TEXT NOT NULL,
        email TEXT,
        email_verified INTEGER NOT NULL DEFAULT 0,
        username TEXT,
        phone_number TEXT,
        name TEXT,
        nickname TEXT,
        picture TEXT,
        app_metadata TEXT NOT NULL DEFAULT '{}',
        user_metadata TEXT NOT NULL DEFAULT '{}',
        blocked INTEGER NOT NULL DEFAULT 0,
        mfa_secret TEXT,
        password_hash TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_login TEXT,
        logins_count INTEGER NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users(connection, email) WHERE email IS NOT NULL;
      CREATE UNIQUE INDEX IF NOT EXISTS users_username ON users(connection, username) WHERE username IS NOT NULL;
      CREATE UNIQUE INDEX IF NOT EXISTS users_phone ON users(connection, phone_number) WHERE phone_number IS NOT NULL;
      CREATE TABLE IF NOT EXISTS refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        connection TEXT NOT NULL,
        client_id TEXT NOT NULL,
        device TEXT,
        scope TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE INDEX IF NOT EXISTS refresh_tokens_user ON refresh_tokens(user_id);
      CREATE TABLE IF NOT EXISTS sessions (
        session_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        connection TEXT NOT NULL,
        client_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at TEXT
      );
      CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
      CREATE INDEX IF NOT EXISTS sessions_end ON sessions(expires_at);
      CREATE TABLE IF NOT EXISTS id_tokens (
        token_hash TEXT NOT NULL,
        session_id TEXT NOT NULL,
        PRIMARY KEY (token_hash, session_id)
      );
      CREATE INDEX IF NOT EXISTS id_tokens_session ON id_tokens(session_id);
      CREATE TABLE IF NOT EXISTS login_failures (
        connection TEXT NOT NULL,
        account TEXT NOT NULL,
        ip TEXT NOT NULL,
        count INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (connection, account, ip)
      );
      CREATE TABLE IF NOT EXISTS reset_tickets (
        ticket_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS reset_tickets_user ON reset_tickets(user_id);
      CREATE TABLE IF NOT EXISTS login_aliases (
        connection TEXT NOT NULL,
        name_key TEXT NOT NULL,
        account_key TEXT NOT NULL,
        PRIMARY KEY (connection, name_key, account_key)
      );
    `);
    // Refresh tokens from before sessions were recorded belong to none: they are retired (their
    // users sign in once more) rather than kept alive without an end.
    const columns = this.db.pragma('table_info(refresh_tokens)') as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'session_id')) {
      this.db.exec(`ALTER TABLE refresh_tokens ADD COLUMN session_id TEXT;
        UPDATE refresh_tokens SET revoked_at = '${nowIso()}' WHERE revoked_at IS NULL;`);
    }
    // Rotation (added to every file, old or new, so both have one schema): a stored token is
    // current and of no parent, as it was; a client with rotation on rotates it at its next use.
    if (!columns.some((c) => c.name === 'rotated_at'))
      this.db.exec('ALTER TABLE refresh_tokens ADD COLUMN rotated_at INTEGER');
    if (!columns.some((c) => c.name === 'parent_hash'))
      this.db.exec('ALTER TABLE refresh_tokens ADD COLUMN parent_hash TEXT');
    this.db.exec('CREATE INDEX IF NOT EXISTS refresh_tokens_parent ON refresh_tokens(parent_hash)');
    // Two sessions can be given the very same id_token (same user, claims and second: RS256
    // signs deterministically), so a token is recorded once per session. A file from before
    // kept one session per token: its rows are dropped (those id_tokens end; a refresh token
    // or a new sign-in gives new ones).
    const idTokenKey = (this.db.pragma('table_info(id_tokens)') as Array<{ pk: number }>).filter(
      (c) => c.pk > 0,
    );
    if (idTokenKey.length === 1)
      this.db.exec(`DROP TABLE id_tokens;
        CREATE TABLE id_tokens (token_hash TEXT NOT NULL, session_id TEXT NOT NULL,
          PRIMARY KEY (token_hash, session_id));
        CREATE INDEX id_tokens_session ON id_tokens(session_id);`);
    // Sign-up keeps Auth0's given_name and family_name (files from before it get the columns).
    const userColumns = this.db.pragma('table_info(users)') as Array<{ name: string }>;
    for (const column of ['given_name', 'family_name'])
      if (!userColumns.some((c) => c.name === column))
        this.db.exec(`ALTER TABLE users ADD COLUMN ${column} TEXT`);
    const db = this.db;
    this.st = {
      insertUser:
        db.prepare(`INSERT INTO users (user_id, connection, email, email_verified, username, phone_number, name,
        given_name, family_name, nickname, picture, app_metadata, user_metadata, blocked, mfa_secret, password_hash,
        created_at, updated_at)
        VALUES (@user_id, @connection, @email, @email_verified, @username, @phone_number, @name, @given_name,
        @family_name, @nickname, @picture, @app_metadata, @user_metadata, @blocked, @mfa_secret, @password_hash,
        @created_at, @updated_at)`),
      insertTicket: db.prepare<[string, string, number]>(
        'INSERT INTO reset_tickets (ticket_hash, user_id, expires_at) VALUES (?, ?, ?)',
      ),
      findTicket: db.prepare<
        [string],
        { user_id: string; expires_at: number; used_at: number | null }
      >('SELECT user_id, expires_at, used_at FROM reset_tickets WHERE ticket_hash = ?'),
      useTicket: db.prepare<[number, string, number]>(
        'UPDATE reset_tickets SET used_at = ? WHERE ticket_hash = ? AND used_at IS NULL AND expires_at > ?',
      ),
      deleteUserTickets: db.prepare<[string]>('DELETE FROM reset_tickets WHERE user_id = ?'),
      sweepTickets: db.prepare<[number]>('DELETE FROM reset_tickets WHERE expires_at <= ?'),
      byId: db.prepare<[string], UserRow>('SELECT * FROM users WHERE user_id = ?'),
      byEmail: db.prepare<[string, string], UserRow>(
        'SELECT * FROM users WHERE connection = ? AND email = ?',
      ),
      byUsername: db.prepare<[string, string], UserRow>(
        'SELECT * FROM users WHERE connection = ? AND username = ?',
      ),
      byPhone: db.prepare<[string, string], UserRow>(
        'SELECT * FROM users WHERE connection = ? AND phone_number = ?',
      ),
      list: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY connection, created_at, user_id'),
      listIn: db.prepare<[string], UserRow>(
        'SELECT * FROM users WHERE connection = ? ORDER BY created_at, user_id',
      ),
      setBlocked: db.prepare<[number, string, string]>(
        'UPDATE users SET blocked = ?, updated_at = ? WHERE user_id = ?',
      ),
      setPassword: db.prepare<[string, string, string]>(
        'UPDATE users SET password_hash = ?, updated_at = ? WHERE user_id = ?',
      ),
      setMfa: db.prepare<[string | null, string, string]>(
        'UPDATE users SET mfa_secret = ?, updated_at = ? WHERE user_id = ?',
      ),
      recordLogin: db.prepare<[string, string]>(
        'UPDATE users SET logins_count = logins_count + 1, last_login = ? WHERE user_id = ?',
      ),
      deleteUser: db.prepare<[string]>('DELETE FROM users WHERE user_id = ?'),
      deleteUserTokens: db.prepare<[string]>('DELETE FROM refresh_tokens WHERE user_id = ?'),
      deleteUserSessions: db.prepare<[string]>('DELETE FROM sessions WHERE user_id = ?'),
      deleteUserIdTokens: db.prepare<[string]>(
        'DELETE FROM id_tokens WHERE session_id IN (SELECT session_id FROM sessions WHERE user_id = ?)',
      ),
      insertIdToken: db.prepare<[string, string]>(
        'INSERT OR IGNORE INTO id_tokens (token_hash, session_id) VALUES (?, ?)',
      ),
      // Rows get increasing rowids and only the oldest are deleted, so rowid order is age.
      trimIdTokens: db.prepare<[string, string, number]>(
        `DELETE FROM id_tokens WHERE session_id = ? AND rowid NOT IN
          (SELECT rowid FROM id_tokens WHERE session_id = ? ORDER BY rowid DESC LIMIT ?)`,
      ),
      idTokenSessions: db.prepare<[string], { session_id: string }>(
        'SELECT session_id FROM id_tokens WHERE token_hash = ?',
      ),
      sweepIdTokens: db.prepare<[number]>(
        'DELETE FROM id_tokens WHERE session_id IN (SELECT session_id FROM sessions WHERE expires_at <= ?)',
      ),
      insertRefresh:
        db.prepare(`INSERT INTO refresh_tokens (token_hash, user_id, connection, client_id, device, scope, created_at, session_id, parent_hash)
        VALUES (@token_hash, @user_id, @connection, @client_id, @device, @scope, @created_at, @session_id, @parent_hash)`),
      findRefresh: db.prepare<[string], RefreshTokenRow>(
        `SELECT r.user_id, r.connection, r.client_id, r.device, r.scope, r.created_at, r.session_id, r.rotated_at
        FROM refresh_tokens r JOIN sessions s ON s.session_id = r.session_id
        WHERE r.token_hash = ? AND r.revoked_at IS NULL AND s.revoked_at IS NULL`,
      ),
      /** `superseded`: a token issued for this one was itself retired since (it is not the previous one). */
      refreshRotation: db.prepare<
        [string],
        { rotated_at: number | null; revoked_at: string | null; superseded: number }
      >(
        `SELECT r.rotated_at, r.revoked_at, EXISTS (SELECT 1 FROM refresh_tokens c
          WHERE c.parent_hash = r.token_hash AND c.rotated_at IS NOT NULL) AS superseded
        FROM refresh_tokens r WHERE r.token_hash = ?`,
      ),
      retireRefresh: db.prepare<[number, string]>(
        'UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL AND revoked_at IS NULL',
      ),
      refreshSession: db.prepare<[string], { session_id: string | null }>(
        'SELECT session_id FROM refresh_tokens WHERE token_hash = ?',
      ),
      revokeRefresh: db.prepare<[string, string]>(
        'UPDATE refresh_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL',
      ),
      insertSession:
        db.prepare(`INSERT INTO sessions (session_id, user_id, connection, client_id, scope, created_at, expires_at)
        VALUES (@session_id, @user_id, @connection, @client_id, @scope, @created_at, @expires_at)`),
      findSession: db.prepare<
        [string],
        Omit<SessionRow, 'revoked'> & { revoked_at: string | null }
      >(
        'SELECT session_id, user_id, connection, client_id, scope, expires_at, revoked_at FROM sessions WHERE session_id = ?',
      ),
      revokeSession: db.prepare<[string, string]>(
        'UPDATE sessions SET revoked_at = ? WHERE session_id = ? AND revoked_at IS NULL',
      ),
      revokeSessionTokens: db.prepare<[string, string]>(
        'UPDATE refresh_tokens SET revoked_at = ? WHERE session_id = ? AND revoked_at IS NULL',
      ),
      revokeUserSessions: db.prepare<[string, string]>(
        'UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL',
      ),
      revokeUserTokens: db.prepare<[string, string]>(
        'UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL',
      ),
      sweepSessions: db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?'),
      sweepSessionTokens: db.prepare<[number]>(
        'DELETE FROM refresh_tokens WHERE session_id IN (SELECT session_id FROM sessions WHERE expires_at <= ?)',
      ),
      failures: db.prepare<[string, string, string], { count: number }>(
        'SELECT count FROM login_failures WHERE connection = ? AND account = ? AND ip = ?',
      ),
      addFailure: db.prepare<
        [string, string, string, string]
      >(`INSERT INTO login_failures (connection, account, ip, count, updated_at)
        VALUES (?, ?, ?, 1, ?) ON CONFLICT(connection, account, ip) DO UPDATE SET count = count + 1, updated_at = excluded.updated_at`),
      resetFailures: db.prepare<[string, string, string]>(
        'DELETE FROM login_failures WHERE connection = ? AND account = ? AND ip = ?',
      ),
      clearAccount: db.prepare<[string, string]>(
        'DELETE FROM login_failures WHERE connection = ? AND account = ?',
      ),
      aliases: db.prepare<[string, string], { account_key: string }>(
        'SELECT account_key FROM login_aliases WHERE connection = ? AND name_key = ?',
      ),
      addAlias: db.prepare<[string, string, string]>(
        'INSERT OR IGNORE INTO login_aliases (connection, name_key, account_key) VALUES (?, ?, ?)',
      ),
      deleteAliases: db.prepare<[string]>('DELETE FROM login_aliases WHERE account_key = ?'),
      aliasNames: db.prepare<[string, string], { name_key: string }>(
        'SELECT name_key FROM login_aliases WHERE connection = ? AND account_key = ?',
      ),
    };
  }

  // ---- users ---------------------------------------------------------------------------------

  /**
   * Creates a user; throws when its email/username/phone is taken in that connection, or
   * `PasswordTooLongError` for a password over 72 bytes.
   */
  async createUser(input: NewUser, bcryptCost = 10): Promise<UserProfile> {
    let passwordHash: string | null = null;
    if (input.password_hash !== undefined) {
      if (!BCRYPT_HASH.test(input.password_hash))
        throw new Error('password_hash is not a bcrypt hash');
      passwordHash = input.password_hash;
    } else if (input.password !== undefined) {
      passwordHash = await hashPassword(input.password, bcryptCost);
    }
    const prefix = input.phone_number !== undefined && input.email === undefined ? 'sms' : 'auth0';
    const now = nowIso();
    const row = {
      user_id: input.user_id ?? `${prefix}|${newHexId()}`,
      connection: input.connection,
      email: input.email?.toLowerCase() ?? null,
      email_verified: input.email_verified ? 1 : 0,
      username: input.username?.toLowerCase() ?? null,
      phone_number: input.phone_number ?? null,
      name: input.name ?? null,
      given_name: input.given_name ?? null,
      family_name: input.family_name ?? null,
      nickname:
        input.nickname ??
        (input.email ? input.email.split('@')[0] : (input.username ?? null)) ??
        null,
      picture: input.picture ?? null,
      app_metadata: JSON.stringify(input.app_metadata ?? {}),
      user_metadata: JSON.stringify(input.user_metadata ?? {}),
      blocked: input.blocked ? 1 : 0,
      mfa_secret: input.mfa_secret ?? null,
      password_hash: passwordHash,
      created_at: now,
      updated_at: now,
    };
    this.st.insertUser.run(row);
    return toProfile(this.st.byId.get(row.user_id)!);
  }

  /** Finds a database user by email or username (case-insensitive). */
  findByLogin(
    connection: string,
    login: string,
  ): (UserProfile & { password_hash?: string }) | undefined {
    const key = login.toLowerCase();
    const row = this.st.byEmail.get(connection, key) ?? this.st.byUsername.get(connection, key);
    return row
      ? { ...toProfile(row), ...(row.password_hash ? { password_hash: row.password_hash } : {}) }
      : undefined;
  }

  /**
   * A fingerprint of the user's current password (SHA-256 of its bcrypt hash, whose salt is new
   * at each change): whatever remembers it sees any later change, even one made by another
   * process on the same file (`tenant users set-password`). Undefined for an unknown user.
   */
  passwordStamp(userId: string): string | undefined {
    const row = this.st.byId.get(userId);
    return row ? sha256(row.password_hash ?? '') : undefined;
  }

  findById(userId: string): UserProfile | undefined {
    const row = this.st.byId.get(userId);
    return row ? toProfile(row) : undefined;
  }

  /** The SMS user of a phone number, created on first sign-in as Auth0 does. */
  findOrCreatePhoneUser(connection: string, phone: string): UserProfile {
    const existing = this.st.byPhone.get(connection, phone);
    if (existing) return toProfile(existing);
    const now = nowIso();
    const userId = `sms|${newHexId()}`;
    this.st.insertUser.run({
      user_id: userId,
      connection,
      email: null,
      email_verified: 0,
      username: null,
      phone_number: phone,
      name: phone,
      given_name: null,
      family_name: null,
      nickname: phone,
      picture: null,
      app_metadata: '{}',
      user_metadata: '{}',
      blocked: 0,
      mfa_secret: null,
      password_hash: null,
      created_at: now,
      updated_at: now,
    });
    return toProfile(this.st.byId.get(userId)!);
  }

  /** The id Auth0 would answer `/passwordless/start` with: the phone user's hex id, or a fresh one. */
  phoneUserHex(connection: string, phone: string): string {
    const row = this.st.byPhone.get(connection, phone);
    return row ? row.user_id.slice(row.user_id.indexOf('|') + 1) : newHexId();
  }

  /** Resolves `user_id`, email, username or phone number (optionally within a connection). */
  resolve(ref: string, connection?: string): UserProfile | undefined {
    const byId = this.st.byId.get(ref);
    if (byId && (!connection || byId.connection === connection)) return toProfile(byId);
    const rows = connection
      ? [connection]
      : [...new Set(this.st.list.all().map((r) => r.connection))];
    for (const c of rows) {
      const row =
        this.st.byEmail.get(c, ref.toLowerCase()) ??
        this.st.byUsername.get(c, ref.toLowerCase()) ??
        this.st.byPhone.get(c, ref);
      if (row) return toProfile(row);
    }
    return undefined;
  }

  listUsers(connection?: string): UserSummary[] {
    const rows = connection ? this.st.listIn.all(connection) : this.st.list.all();
    return rows.map((r) => ({
      user_id: r.user_id,
      connection: r.connection,
      ...(r.email ? { email: r.email } : {}),
      ...(r.username ? { username: r.username } : {}),
      ...(r.phone_number ? { phone_number: r.phone_number } : {}),
      ...(r.name ? { name: r.name } : {}),
      blocked: r.blocked === 1,
      mfa: r.mfa_secret !== null,
      logins_count: r.logins_count,
      ...(r.last_login ? { last_login: r.last_login } : {}),
      created_at: r.created_at,
    }));
  }

  /**
   * Blocks or unblocks; unblocking also lifts every brute-force block of the account. A block
   * revokes nothing: every endpoint refuses a blocked user's tokens at use ("user is blocked",
   * as Auth0), and they work again after an unblock, as Auth0's block is reversible too.
   */
  setBlocked(userId: string, blocked: boolean): boolean {
    const row = this.st.byId.get(userId);
    if (!row) return false;
    this.db.transaction(() => {
      this.st.setBlocked.run(blocked ? 1 : 0, nowIso(), userId);
      if (!blocked) this.clearAccountFailures(row);
    })();
    return true;
  }

  /**
   * Changes (or resets) the password and ends every session of the user, so whoever held the
   * old password keeps none of its tokens; like Auth0, it also lifts brute-force blocks. Throws
   * `PasswordTooLongError` for a password over 72 bytes.
   */
  async setPassword(userId: string, password: string, bcryptCost = 10): Promise<boolean> {
    if (!this.st.byId.get(userId)) return false;
    const hashed = await hashPassword(password, bcryptCost);
    // Looked up again inside the transaction: the user may have been deleted during the hash.
    return this.db.transaction(() => this.replacePassword(userId, hashed))();
  }

  /**
   * A reset page's submission, after its password was hashed: in one transaction the ticket is
   * spent (only by the one caller that finds it unused and unexpired) and the password of its
   * user `userId` (whom the ticket named when the page looked) replaced, as `setPassword` does. Nothing changes unless both happen: `'no_user'` (the
   * user was deleted meanwhile; the ticket is left as it was) or `'ticket_gone'` (used, retired
   * by a newer email, or expired meanwhile).
   */
  resetPassword(
    ticket: string,
    userId: string,
    passwordHash: string,
    now: number,
  ): 'changed' | 'ticket_gone' | 'no_user' {
    return this.db.transaction(() => {
      if (!this.st.byId.get(userId)) return 'no_user';
      if (this.st.findTicket.get(sha256(ticket))?.user_id !== userId) return 'ticket_gone';
      if (this.st.useTicket.run(now, sha256(ticket), now).changes !== 1) return 'ticket_gone';
      this.replacePassword(userId, passwordHash);
      return 'changed';
    })();
  }

  /**
   * Within a transaction: sets the hash, retires the user's reset tickets, ends every session
   * and lifts brute-force blocks. False (nothing done) when the user does not exist.
   */
  private replacePassword(userId: string, passwordHash: string): boolean {
    const row = this.st.byId.get(userId);
    if (!row) return false;
    this.st.setPassword.run(passwordHash, nowIso(), userId);
    this.st.deleteUserTickets.run(userId);
    this.revokeUserSessions(userId);
    this.clearAccountFailures(row);
    return true;
  }

  setMfaSecret(userId: string, secret: string | null): boolean {
    return this.st.setMfa.run(secret, nowIso(), userId).changes === 1;
  }

  deleteUser(userId: string): boolean {
    const row = this.st.byId.get(userId);
    if (!row) return false;
    this.db.transaction(() => {
      this.st.deleteUserTokens.run(userId);
      this.st.deleteUserTickets.run(userId);
      this.st.deleteUserIdTokens.run(userId);
      this.st.deleteUserSessions.run(userId);
      this.st.deleteUser.run(userId);
      this.clearAccountFailures(row);
      this.st.deleteAliases.run(idKey(userId));
    })();
    return true;
  }

  /**
   * Which of a sign-up's names is taken in `connection`: its email (as anyone's email or
   * username, since a login looks both up) or its username; undefined when neither.
   */
  loginTaken(
    connection: string,
    login: { email: string; username?: string },
  ): 'email' | 'username' | undefined {
    const taken = (name: string) => {
      const key = name.toLowerCase();
      return (
        this.st.byEmail.get(connection, key) !== undefined ||
        this.st.byUsername.get(connection, key) !== undefined
      );
    };
    if (taken(login.email)) return 'email';
    if (login.username !== undefined && taken(login.username)) return 'username';
    return undefined;
  }

  /** The database user of `connection` whose email is `email` (case-insensitive), if any. */
  findByEmail(connection: string, email: string): UserProfile | undefined {
    const row = this.st.byEmail.get(connection, email.toLowerCase());
    return row ? toProfile(row) : undefined;
  }

  // ---- password-reset tickets ------------------------------------------------------------

  /**
   * Stores a new reset ticket of `userId` (by its SHA-256 only: the file never holds a working
   * link) that works until `expiresAt` (ms); the user's older tickets are retired (only the newest
   * link works, as only the newest SMS code does), and expired ones of anyone are swept.
   */
  issueResetTicket(ticket: string, userId: string, expiresAt: number, now: number): void {
    this.db.transaction(() => {
      this.st.sweepTickets.run(now);
      this.st.deleteUserTickets.run(userId);
      this.st.insertTicket.run(sha256(ticket), userId, Math.floor(expiresAt));
    })();
  }

  /** What the tenant knows of a ticket: unknown (or retired), used, expired, or whose it is. */
  resetTicketState(
    ticket: string,
    now: number,
  ): { state: 'unknown' | 'used' | 'expired' } | { state: 'valid'; userId: string } {
    const row = this.st.findTicket.get(sha256(ticket));
    if (!row) return { state: 'unknown' };
    if (row.used_at !== null) return { state: 'used' };
    if (now >= row.expires_at) return { state: 'expired' };
    return { state: 'valid', userId: row.user_id };
  }

  /** Counts one successful sign-in (`logins_count`, `last_login`). */
  recordLogin(userId: string): void {
    this.st.recordLogin.run(nowIso(), userId);
  }

  /**
   * Imports an Auth0 user export (array of user objects, as JSON or NDJSON) into a database
   * connection. Bcrypt hashes come from `custom_password_hash` (`{algorithm: 'bcrypt', hash:
   * {value}}`), `password_hash` or `passwordHash`; users without one are imported without a
   * password (they cannot sign in until `users set-password`). Existing emails are skipped.
   */
  importUsers(connection: string, records: unknown[]): ImportResult {
    const result: ImportResult = { imported: 0, skipped: [] };
    const insert = this.db.transaction((rows: Array<{ index: number; user: NewUser }>) => {
      for (const { index, user } of rows) {
        try {
          if (user.email && this.st.byEmail.get(connection, user.email.toLowerCase())) {
            result.skipped.push({
              index,
              email: user.email,
              reason: 'a user with this email exists',
            });
            continue;
          }
          if (user.user_id && this.st.byId.get(user.user_id)) {
            result.skipped.push({
              index,
              ...(user.email ? { email: user.email } : {}),
              reason: 'a user with this user_id exists',
            });
            continue;
          }
          const now = nowIso();
          this.st.insertUser.run({
            user_id: user.user_id ?? `auth0|${newHexId()}`,
            connection,
            email: user.email?.toLowerCase() ?? null,
            email_verified: user.email_verified ? 1 : 0,
            username: user.username?.toLowerCase() ?? null,
            phone_number: null,
            name: user.name ?? null,
            given_name: user.given_name ?? null,
            family_name: user.family_name ?? null,
            nickname: user.nickname ?? user.email?.split('@')[0] ?? null,
            picture: user.picture ?? null,
            app_metadata: JSON.stringify(user.app_metadata ?? {}),
            user_metadata: JSON.stringify(user.user_metadata ?? {}),
            blocked: user.blocked ? 1 : 0,
            mfa_secret: null,
            password_hash: user.password_hash ?? null,
            created_at: now,
            updated_at: now,
          });
          result.imported += 1;
        } catch (err) {
          result.skipped.push({
            index,
            ...(user.email ? { email: user.email } : {}),
            reason: (err as Error).message,
          });
        }
      }
    });
    const rows: Array<{ index: number; user: NewUser }> = [];
    records.forEach((rec, index) => {
      const parsed = fromAuth0Export(rec, connection);
      if (typeof parsed === 'string') result.skipped.push({ index, reason: parsed });
      else rows.push({ index, user: parsed });
    });
    insert(rows);
    return result;
  }

  // ---- sessions and refresh tokens (device credentials) --------------------------------------

  /**
   * Starts a session ending at `expiresAt` (ms) and returns its id. Sessions that ended more
   * than `keepEndedMs` before `now` (the longest an access token of theirs may still live) are
   * deleted with their refresh tokens on the way, at most once a minute, so they do not pile up.
   */
  createSession(
    row: Omit<SessionRow, 'session_id' | 'revoked' | 'expires_at'>,
    expiresAt: number,
    clock: { now: number; keepEndedMs: number },
  ): string {
    if (clock.now - this.lastSessionSweep >= 60_000) {
      this.lastSessionSweep = clock.now;
      const cutoff = clock.now - clock.keepEndedMs;
      this.db.transaction(() => {
        this.st.sweepSessionTokens.run(cutoff);
        this.st.sweepIdTokens.run(cutoff);
        this.st.sweepSessions.run(cutoff);
      })();
    }
    const sessionId = randomBytes(16).toString('base64url');
    this.st.insertSession.run({
      session_id: sessionId,
      ...row,
      created_at: nowIso(),
      expires_at: Math.floor(expiresAt),
    });
    return sessionId;
  }

  /** A session by id, revoked or not (the caller also checks `expires_at` against its clock). */
  findSession(sessionId: string): SessionRow | undefined {
    const row = this.st.findSession.get(sessionId);
    if (!row) return undefined;
    const { revoked_at, ...rest } = row;
    return { ...rest, revoked: revoked_at !== null };
  }

  /**
   * Records that `idToken` was issued in a session (only its SHA-256 is kept), keeping the
   * newest `ID_TOKENS_PER_SESSION` of the session: renewals cannot grow the file without bound.
   */
  recordIdToken(idToken: string, sessionId: string): void {
    this.db.transaction(() => {
      this.st.insertIdToken.run(sha256(idToken), sessionId);
      this.st.trimIdTokens.run(sessionId, sessionId, ID_TOKENS_PER_SESSION);
    })();
  }

  /** The ids of the sessions an id_token was issued in (recorded and not swept). */
  idTokenSessions(idToken: string): string[] {
    return this.st.idTokenSessions.all(sha256(idToken)).map((r) => r.session_id);
  }

  /** Stores a new refresh token of a session (only its SHA-256 is kept) and returns it. */
  issueRefreshToken(
    row: Omit<RefreshTokenRow, 'created_at' | 'rotated_at'>,
    parentHash: string | null = null,
  ): string {
    const token = randomBytes(32).toString('base64url');
    this.st.insertRefresh.run({
      token_hash: sha256(token),
      ...row,
      created_at: nowIso(),
      parent_hash: parentHash,
    });
    return token;
  }

  /**
   * How a refresh token may be used at `now` (ms) under rotation with an overlap of `overlapMs`:
   * `current` (never rotated); `previous` (retired less than `overlapMs` ago, and none of the
   * tokens issued for it retired since: the immediately previous token); else `reused`.
   * Undefined for an unknown or revoked token.
   */
  refreshTokenStanding(
    token: string,
    now: number,
    overlapMs: number,
  ): RefreshTokenStanding | undefined {
    const row = this.st.refreshRotation.get(sha256(token));
    if (!row || row.revoked_at !== null) return undefined;
    if (row.rotated_at === null) return 'current';
    return now < row.rotated_at + overlapMs && !row.superseded ? 'previous' : 'reused';
  }

  /**
   * Rotates a refresh token in one transaction and returns its successor (same session, scope
   * and device): a current token is retired at `now`; the previous token within the overlap
   * gets another successor and stays retired from when it was (the overlap is not extended).
   * Any other token (reused, revoked, or rotated by a concurrent request beyond the overlap)
   * changes nothing and answers undefined.
   */
  rotateRefreshToken(token: string, now: number, overlapMs: number): string | undefined {
    const hash = sha256(token);
    return this.db.transaction(() => {
      const row = this.st.findRefresh.get(hash);
      const standing = this.refreshTokenStanding(token, now, overlapMs);
      if (!row || standing === undefined || standing === 'reused') return undefined;
      if (standing === 'current' && this.st.retireRefresh.run(now, hash).changes !== 1)
        return undefined;
      const { created_at: _created, rotated_at: _rotated, ...successor } = row;
      return this.issueRefreshToken(successor, hash);
    })();
  }

  /** A refresh token that is neither revoked nor of a revoked session. */
  findRefreshToken(token: string): RefreshTokenRow | undefined {
    return this.st.findRefresh.get(sha256(token));
  }

  /** Revokes a refresh token and so its session (sign-out): its id_tokens stop working too. */
  revokeRefreshToken(token: string): boolean {
    const hash = sha256(token);
    return this.db.transaction(() => {
      const revoked = this.st.revokeRefresh.run(nowIso(), hash).changes === 1;
      const sessionId = this.st.refreshSession.get(hash)?.session_id;
      if (sessionId) this.revokeSession(sessionId);
      return revoked;
    })();
  }

  /** Ends a session and revokes its refresh tokens. */
  revokeSession(sessionId: string): void {
    const at = nowIso();
    this.st.revokeSession.run(at, sessionId);
    this.st.revokeSessionTokens.run(at, sessionId);
  }

  private revokeUserSessions(userId: string): void {
    const at = nowIso();
    this.st.revokeUserSessions.run(at, userId);
    this.st.revokeUserTokens.run(at, userId);
  }

  // ---- brute-force counters (keys: account-keys.ts) ----------------------------------------

  /** Consecutive failures from `ip` under one key (`name:…` or `id:…`) of `connection`. */
  keyFailures(connection: string, key: string, ip: string): number {
    return this.st.failures.get(connection, key, ip)?.count ?? 0;
  }

  /** Counts one failure from `ip` under each key, in one transaction. */
  addKeyFailures(connection: string, keys: string[], ip: string): void {
    const at = nowIso();
    this.db.transaction(() => {
      for (const key of keys) this.st.addFailure.run(connection, key, ip, at);
    })();
  }

  /** Forgets the failures from `ip` under each key (a successful sign-in). */
  resetKeyFailures(connection: string, keys: string[], ip: string): void {
    this.db.transaction(() => {
      for (const key of keys) this.st.resetFailures.run(connection, key, ip);
    })();
  }

  /**
   * The accounts (`id:` keys) a name key was seen to sign in as: a directory without a service
   * account cannot say who a name is before a bind succeeds, but once one did, every later
   * attempt under that name also counts against the account (account-keys.ts).
   */
  aliasKeys(connection: string, nameKey: string): string[] {
    return this.st.aliases.all(connection, nameKey).map((r) => r.account_key);
  }

  /** Records that each name key signed in as the account `accountKey`. */
  addAliases(connection: string, nameKeys: string[], accountKey: string): void {
    this.db.transaction(() => {
      for (const key of nameKeys) this.st.addAlias.run(connection, key, accountKey);
    })();
  }

  /**
   * The failures from `ip` that count against a database login: the most under its name and,
   * when it names a user of `connection`, under that user's id (what the guard compares).
   */
  failureCount(connection: string, login: string, ip: string): number {
    const user = this.findByLogin(connection, login);
    const keys = [nameKey(login, 'auth0'), ...(user ? [idKey(user.user_id)] : [])];
    return Math.max(...keys.map((k) => this.keyFailures(connection, k, ip)));
  }

  /**
   * Lifts every brute-force block of an account of any connection, from every IP: its id, each
   * name it signs in with (e.g. an AD user's profile: sAMAccountName, UPN, mail) and each name
   * it was seen to sign in as.
   */
  clearFailures(connection: string, account: UserProfile): void {
    const id = idKey(account.user_id);
    // Also every other name it was seen to sign in with (`addAliases`).
    const aliases = this.st.aliasNames.all(connection, id).map((r) => r.name_key);
    this.db.transaction(() => {
      for (const key of new Set([...accountKeys(account), ...aliases]))
        this.st.clearAccount.run(connection, key);
    })();
  }

  private clearAccountFailures(row: UserRow): void {
    this.clearFailures(row.connection, {
      user_id: row.user_id,
      ...(row.email ? { email: row.email } : {}),
      ...(row.username ? { username: row.username } : {}),
      ...(row.phone_number ? { phone_number: row.phone_number } : {}),
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function toProfile(row: UserRow): UserProfile {
  const profile: UserProfile = { user_id: row.user_id };
  if (row.email) {
    profile.email = row.email;
    profile.email_verified = row.email_verified === 1;
  }
  if (row.username) profile.username = row.username;
  if (row.phone_number) {
    profile.phone_number = row.phone_number;
    profile.phone_verified = true;
  }
  if (row.name) profile.name = row.name;
  if (row.given_name) profile.given_name = row.given_name;
  if (row.family_name) profile.family_name = row.family_name;
  if (row.nickname) profile.nickname = row.nickname;
  profile.picture = row.picture ?? defaultPicture(row);
  profile.app_metadata = parseJson(row.app_metadata);
  profile.user_metadata = parseJson(row.user_metadata);
  if (row.mfa_secret) profile.mfa_secret = row.mfa_secret;
  if (row.blocked) profile.blocked = true;
  const [provider, ...rest] = row.user_id.split('|');
  profile.identities = [
    { provider, user_id: rest.join('|'), connection: row.connection, isSocial: false },
  ];
  profile.created_at = row.created_at;
  profile.updated_at = row.updated_at;
  return profile;
}

/** Auth0 gives every user a picture; the local tenant never points at the network, so a data: URL. */
function defaultPicture(row: UserRow): string {
  const initials = (row.name ?? row.email ?? row.phone_number ?? '?')
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('')
    .replace(/[^A-Z0-9+]/g, '');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#3b5bdb"/><text x="32" y="41" font-size="24" text-anchor="middle" fill="#fff" font-family="sans-serif">${initials}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** One record of an Auth0 user export → a NewUser, or the reason it cannot be imported. */
function fromAuth0Export(rec: unknown, connection: string): NewUser | string {
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return 'not an object';
  const r = rec as Record<string, unknown>;
  const str = (k: string) =>
    typeof r[k] === 'string' && r[k] !== '' ? (r[k] as string) : undefined;
  const obj = (k: string) =>
    typeof r[k] === 'object' && r[k] !== null && !Array.isArray(r[k])
      ? (r[k] as Record<string, unknown>)
      : undefined;
  const email = str('email') ?? str('Email');
  const username = str('username');
  if (!email && !username) return 'no email or username';
  let passwordHash = str('password_hash') ?? str('passwordHash');
  const custom = obj('custom_password_hash');
  if (custom) {
    if (custom.algorithm !== 'bcrypt')
      return `unsupported custom_password_hash algorithm: ${String(custom.algorithm)}`;
    const h = custom.hash as { value?: unknown } | undefined;
    if (typeof h?.value !== 'string') return 'custom_password_hash.hash.value missing';
    passwordHash = h.value;
  }
  if (passwordHash !== undefined && !BCRYPT_HASH.test(passwordHash))
    return 'password hash is not bcrypt';
  let userId = str('user_id') ?? str('Id');
  if (userId) userId = userId.includes('|') ? userId : `auth0|${userId}`;
  if (userId && !userId.startsWith('auth0|')) return `user_id ${userId} is not a database user`;
  return {
    connection,
    ...(email ? { email } : {}),
    ...(username ? { username } : {}),
    ...(passwordHash ? { password_hash: passwordHash } : {}),
    ...(str('name') ? { name: str('name') } : {}),
    ...(str('nickname') ? { nickname: str('nickname') } : {}),
    ...(str('given_name') ? { given_name: str('given_name') } : {}),
    ...(str('family_name') ? { family_name: str('family_name') } : {}),
    ...(str('picture') ? { picture: str('picture') } : {}),
    email_verified: r.email_verified === true,
    blocked: r.blocked === true,
    app_metadata: obj('app_metadata') ?? {},
    user_metadata: obj('user_metadata') ?? {},
    ...(userId ? { user_id: userId } : {}),
  };
}

/** The connection name recorded in a profile's first identity. */
export function connectionOf(profile: UserProfile): string | undefined {
  const identities = profile.identities as Array<{ connection?: string }> | undefined;
  return identities?.[0]?.connection;
}

/** Parses an export file: a JSON array, or NDJSON (one user per line, as Auth0's export job writes). */
export function parseUserExport(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as unknown[];
  return trimmed
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

/**
 * The database connection (strategy `auth0`). A wrong password, an unknown user and a user
 * without a password all answer `invalid_user_password` after the same bcrypt work, so timing
 * does not tell which; a blocked user is told so only after a correct password, as Auth0 does.
 */
export function createDatabaseConnection(
  name: string,
  db: TenantDatabase,
  opts: { bcryptCost: number },
): PasswordConnection & { dummyHash(): Promise<string> } {
  let dummy: Promise<string> | undefined;
  const dummyHash = () => (dummy ??= bcryptHash(randomBytes(16).toString('hex'), opts.bcryptCost));
  return {
    name,
    strategy: 'auth0',
    dummyHash,
    async authenticate(username, password) {
      const user = db.findByLogin(name, username);
      const hash = user?.password_hash ?? (await dummyHash());
      const ok = await bcryptVerify(password, hash);
      if (!user || !user.password_hash || !ok) {
        throw tenantError.wrongPassword();
      }
      if (user.blocked) throw tenantError.blocked();
      const { password_hash: _hash, ...profile } = user;
      return profile;
    },
    async findById(userId) {
      const user = db.findById(userId);
      return user && connectionOf(user) === name ? user : undefined;
    },
    async accountId(login) {
      return db.findByLogin(name, login)?.user_id;
    },
  };
}
