/**
 * The session facade: sign in → verify → store → restore → refresh → sign out. This is the API
 * the desktop app's main process and the CLI call; every function resolves with plain,
 * serialisable values or rejects with `SignInFailure` (its `.error` is the `SignInError`).
 *
 * One `SignetCore` per process: it owns the shared HTTP client (one undici dispatcher), one
 * JWKS cache per tenant and the attempts log, and composes the rooms under session/: which
 * tenant a call goes to (tenant-context.ts), the password grants (password-grant.ts), where
 * sessions are kept (session-store.ts) and the verify-and-describe step (verified-session.ts).
 */
import type { ClientConfigView } from '../shared/client-config.js';
import type { ConnectionKind, Protocol, Settings } from '../shared/settings.js';
import { SettingsSchema } from '../shared/settings.js';
import { E164, EMAIL, OTP_CODE, OTP_CODE_LENGTH } from '../shared/auth0-protocol.js';
import {
  PASSWORD_TOO_LONG,
  passwordFits,
  USERNAME_RULE,
  usernameValid,
} from '../shared/signup-rules.js';
import {
  endsSession,
  invalidInput,
  isTransient,
  notSignedIn,
  toSignInError,
  type SignInError,
} from '../shared/errors.js';
import { HttpClient } from './auth/http.js';
import { tenantKey } from './auth/tenant-url.js';
import { checkTenant, type CheckReport } from './diagnostics/check.js';
import { AttemptLog, type Attempt } from './diagnostics/attempts.js';
import { SignInFailure, fail, throwIfCancelled } from './errors.js';
import { TokenVerifier } from './tokens/verify.js';
import { Vault, indexAccount, type RecordKey, type SessionRecord } from './vault/vault.js';
import { readCaFile } from './settings/ca-file.js';
import { passwordGrant } from './session/password-grant.js';
import {
  accessExpiry,
  delegationScope,
  reauthenticateTokens,
  refreshTokens,
  renewedRecord,
  type Renewed,
} from './session/renewal.js';
import { withRefreshLock } from './session/refresh-lock.js';
import {
  clearDefaultSession,
  readDefaultSession,
  sameSession,
  writeDefaultSession,
} from './session/default-session.js';
import {
  canServeAccessToken,
  expiresWithin,
  expiryMs,
  needsRenewal,
  recordTokenExpiry,
  tokenOf,
} from './session/token-choice.js';
import {
  accessTokenUnservable,
  noSession,
  sessionEnded,
  signInAgain,
} from './session/session-errors.js';
import { SessionStore, type Found, type KeepPolicy } from './session/session-store.js';
import {
  LOCAL_CLIENT_ID,
  LOCAL_TENANT_URL,
  TenantContexts,
  type TenantContext,
  type TenantTarget,
} from './session/tenant-context.js';
import {
  checkIdToken,
  noIdToken,
  sessionResult,
  tokenInvalid,
} from './session/verified-session.js';
import type {
  Account,
  Profile,
  RevealedTokens,
  SessionResult,
  SignOutResult,
  Stored,
  TokenResult,
  TokenType,
} from '../shared/session.js';
import type { SignUpResult } from '../shared/ipc.js';
import { errorText } from '../shared/error-text.js';
export type {
  Account,
  Profile,
  RevealedTokens,
  SessionResult,
  SignOutResult,
  Stored,
  TokenResult,
  TokenType,
};
export { LOCAL_CLIENT_ID, LOCAL_TENANT_URL, type KeepPolicy, type TenantTarget };

/** A password sign-in (database or AD/LDAP; SMS goes through `signInWithSms`). */
export interface SignInRequest extends TenantTarget {
  /** The connection's name; its kind comes from settings (or `kind`). */
  connection: string;
  kind?: ConnectionKind;
  username: string;
  /** Used for this one call only; never stored, never logged. */
  password: string;
  /** Defaults to settings' scope. */
  scope?: string;
  /** Device name for `offline_access`; defaults to settings (the host name). */
  device?: string;
  protocol?: Protocol;
  /** The 6-digit authenticator code, when a first attempt answered `a0.mfa_required`. */
  mfaCode?: string;
  /** Where the session is kept (session/session-store.ts); default `keychain`. */
  keep?: KeepPolicy;
  signal?: AbortSignal;
}

/** A call about one remembered session: the newest that matches, when fields are left out. */
export type SessionTarget = TenantTarget & { username?: string; signal?: AbortSignal };

/** What `token()` is asked for (`signet token`'s flags). */
export interface TokenRequest extends SessionTarget {
  /** `id` (default: what legacy APIs accept) or `access`. */
  type?: TokenType;
  /** Refresh first when fewer seconds than this remain (default `DEFAULT_MIN_VALID_SECONDS`). */
  minValid?: number;
  /** Another client's id: an id_token for it from `/delegation` (cached per target). */
  target?: string;
}

/** `signet token`'s default `--min-valid`: a token handed out lives at least this long. */
export const DEFAULT_MIN_VALID_SECONDS = 60;

export interface SignetCoreOptions {
  /** Effective settings (from `loadSettings().settings`); defaults applied when omitted. */
  settings?: Partial<Settings>;
  /** The vault; `null` never touches the keychain (every session `stored: "none"`). */
  vault?: Vault | null;
  /** Shared HTTP client; built from settings (proxy, CA file, timeouts) when omitted. */
  http?: HttpClient;
  /** The local tenant's URL for `useLocalTenant`. */
  localTenantUrl?: string;
  /**
   * The environment whose user settings file the client-configuration cache sits beside
   * (settings/client-config-cache.ts); default `process.env`.
   */
  settingsEnv?: NodeJS.ProcessEnv;
  /**
   * Something the user should know that did not stop the call (a renewal run without the
   * refresh lock). The CLI prints it on stderr; unset, it is dropped.
   */
  onWarning?: (warning: SignInError) => void;
}

/** The sign-in engine. Create one per process (or per test); call `close()` at the end. */
export class SignetCore {
  readonly settings: Settings;
  readonly http: HttpClient;
  readonly verifier: TokenVerifier;
  private readonly log = new AttemptLog();
  private readonly tenants: TenantContexts;
  private readonly sessions: SessionStore;
  /** Tokens for other clients of sessions kept only in memory, by `<index account>#<target>`. */
  private readonly targetTokens = new Map<string, string>();
  private readonly onWarning: (warning: SignInError) => void;
  private readonly settingsEnv: NodeJS.ProcessEnv;
  /** The background refresh of a stale client configuration (one at a time), and its stop. */
  private clientConfigRefresh: Promise<void> | undefined;
  private readonly backgroundStop = new AbortController();

  constructor(options: SignetCoreOptions = {}) {
    this.settings = SettingsSchema.parse({ ...options.settings });
    this.http =
      options.http ??
      new HttpClient({
        timeouts: this.settings.timeouts,
        proxy: this.settings.proxy,
        extraCaPem: this.settings.caFile ? readCaFile(this.settings.caFile) : undefined,
      });
    this.verifier = new TokenVerifier(this.http);
    this.sessions = new SessionStore(options.vault === undefined ? new Vault() : options.vault);
    this.onWarning = options.onWarning ?? (() => undefined);
    this.settingsEnv = options.settingsEnv ?? process.env;
    this.tenants = new TenantContexts(
      this.settings,
      this.http,
      this.log,
      options.localTenantUrl ?? LOCAL_TENANT_URL,
    );
  }

  /**
   * Signs in with a password (database or AD/LDAP connection) or an SMS code (connection
   * kind `sms`). Verifies the id_token, then keeps the session as `keep` says (the keychain by
   * default). A token that fails verification is never kept: the call rejects with
   * `token_invalid`. Protocol (`legacy`, `modern`, `auto`) and MFA: session/password-grant.ts;
   * after `a0.mfa_required` / `mfa_required`, call again with the same request plus `mfaCode`.
   */
  async signIn(req: SignInRequest): Promise<SessionResult> {
    const started = performance.now();
    const ctx = this.tenants.get(req);
    if (!req.username.trim()) fail(invalidInput('username', errorText('errors.input.username')));
    if (!req.password) fail(invalidInput('password', errorText('errors.input.password')));
    const connection = this.tenants.connection(req.connection, req.kind);
    const scope = req.scope ?? this.settings.scope;
    const device = req.device ?? this.settings.device;
    const params = {
      connection: connection.name,
      kind: connection.kind,
      username: req.username.trim(),
      password: req.password,
      scope,
      ...(device && /\boffline_access\b/.test(scope) ? { device } : {}),
      ...(req.mfaCode ? { mfaCode: req.mfaCode.trim() } : {}),
      signal: req.signal,
    };
    const t0 = performance.now();
    const { tokens, used } = await passwordGrant(
      ctx,
      params,
      req.protocol ?? this.settings.protocol,
    );
    const requestMs = performance.now() - t0;
    // Asked for `openid` and got no id_token: nothing says who signed in or that the tenant
    // is the one it claims to be, so it is not a sign-in (README: success means a verified
    // token). Nothing is stored.
    if (/(^|\s)openid(\s|$)/.test(scope) && !tokens.id_token) fail(noIdToken(scope));

    const record: SessionRecord = {
      tenant: tenantKey(ctx.base),
      clientId: ctx.clientId,
      username: params.username,
      connection: connection.name,
      kind: connection.kind,
      protocol: used,
      access_token: tokens.access_token,
      token_type: tokens.token_type,
      scope: tokens.scope ?? scope,
      obtained_at: new Date().toISOString(),
      ...accessExpiry(tokens.expires_in),
      ...(tokens.id_token ? { id_token: tokens.id_token } : {}),
      ...(tokens.refresh_token ? { refresh_token: tokens.refresh_token } : {}),
      ...(params.device ? { device: params.device } : {}),
    };
    return this.verifyAndKeep(ctx, record, req.keep ?? 'keychain', started, requestMs);
  }

  /**
   * Sends a one-time code by SMS (`/passwordless/start`, `send: "code"`). The phone number
   * must be E.164 (`+14155550100`).
   */
  async startSms(
    req: TenantTarget & { phone: string; connection?: string; signal?: AbortSignal },
  ): Promise<{
    phone: string;
    sentAt: string;
  }> {
    const phone = req.phone.replace(/[\s()-]/g, '');
    if (!E164.test(phone)) fail(invalidInput('phone', errorText('errors.input.phone')));
    const ctx = this.tenants.get(req);
    const connection = this.tenants.connection(
      req.connection ?? this.tenants.smsConnectionName(),
      'sms',
    );
    const r = await ctx.auth.passwordlessStart({
      connection: connection.name,
      phone,
      signal: req.signal,
    });
    return { phone: r.phone, sentAt: new Date().toISOString() };
  }

  /** Signs in with the SMS code (`/oauth/ro` connection `sms`, or the modern otp grant). */
  async signInWithSms(
    req: TenantTarget & {
      phone: string;
      code: string;
      connection?: string;
      scope?: string;
      device?: string;
      protocol?: Protocol;
      keep?: KeepPolicy;
      signal?: AbortSignal;
    },
  ): Promise<SessionResult> {
    const code = req.code.replace(/\s/g, '');
    if (!OTP_CODE.test(code))
      fail(invalidInput('code', errorText('errors.input.smsCode', { digits: OTP_CODE_LENGTH })));
    return this.signIn({
      ...req,
      connection: req.connection ?? this.tenants.smsConnectionName(),
      kind: 'sms',
      username: req.phone.replace(/[\s()-]/g, ''),
      password: code,
    });
  }

  /**
   * Creates a user on a database connection (`/dbconnections/signup`, spec §7); signs nobody
   * in (the form signs in next with the same password). `username` only where the connection
   * requires one. A refusal (`user_exists`, `invalid_password` with the unmet rules in
   * `detail.rules`, …) rejects with the tenant's code; the password is never logged.
   */
  async signUp(
    req: TenantTarget & {
      connection: string;
      email: string;
      username?: string;
      password: string;
      signal?: AbortSignal;
    },
  ): Promise<SignUpResult> {
    const email = this.databaseEmail(req.connection, req.email);
    if (!req.password) fail(invalidInput('password', errorText('errors.input.newPassword')));
    // What the tenant would refuse anyway, said before anything is sent (the same rules).
    if (!passwordFits(req.password)) fail(invalidInput('password', PASSWORD_TOO_LONG));
    const username = req.username?.trim();
    if (req.username !== undefined && !username)
      fail(invalidInput('username', errorText('errors.input.usernameBlank')));
    if (username && !usernameValid(username)) fail(invalidInput('username', USERNAME_RULE.text));
    const user = await this.tenants.get(req).auth.signUp({
      connection: req.connection,
      email,
      password: req.password,
      ...(username ? { username } : {}),
      signal: req.signal,
    });
    return {
      email: user.email,
      emailVerified: user.emailVerified,
      ...(user.username ? { username: user.username } : {}),
    };
  }

  /**
   * Asks the tenant to email a password-reset link (`/dbconnections/change_password`, spec
   * §7). Resolves with the tenant's sentence, the same whether or not the address has an
   * account (no enumeration).
   */
  async changePassword(
    req: TenantTarget & { connection: string; email: string; signal?: AbortSignal },
  ): Promise<{ message: string }> {
    const email = this.databaseEmail(req.connection, req.email);
    const message = await this.tenants.get(req).auth.changePassword({
      connection: req.connection,
      email,
      signal: req.signal,
    });
    return { message };
  }

  /**
   * Brings back a remembered session at launch: reads the keychain (or this run's memory),
   * verifies the id_token; if it expired and a refresh token is held, refreshes it; otherwise
   * rejects with `not_signed_in` ("sign in again"). Resolves `null` when nothing is
   * remembered. Without `username`, the most recent session of the tenant/client is used.
   *
   * `signal` cancels the keychain read, the JWKS fetch and a refresh's request: the call then
   * rejects with `cancelled` and nothing is changed — no session in memory, nothing deleted.
   * (A refresh the tenant has already answered is seen through; see `refresh`.)
   */
  async restore(target: SessionTarget = {}): Promise<SessionResult | null> {
    const started = performance.now();
    const { signal } = target;
    throwIfCancelled(signal);
    const found = await this.find(target);
    throwIfCancelled(signal);
    if (!found) return null;
    const { record } = found;
    // Renewed when its id_token would live less than `signet token`'s default (at launch, even
    // a token with a shorter lifetime than that, unlike `token`'s once-per-process rule).
    const stale = (rec: SessionRecord) =>
      !rec.id_token || expiresWithin(rec, 'id', DEFAULT_MIN_VALID_SECONDS);
    if (record.id_token && stale(record)) {
      if (record.refresh_token) {
        const r = await this.renewFound(
          found,
          (ctx, rec) => refreshTokens(ctx, rec, signal),
          started,
          signal,
          stale,
        );
        return r.result ?? this.present(r.record, r.stored, started, signal);
      }
      const exp = recordTokenExpiry(record, 'id');
      fail(
        notSignedIn(errorText('errors.session.expired'), {
          ...(exp !== undefined ? { expiredAt: new Date(exp).toISOString() } : {}),
        }),
      );
    }
    return this.present(record, found.stored, started, signal);
  }

  /**
   * Renews the id_token with the refresh token: `/delegation` (legacy) or `/oauth/token`
   * refresh_token grant (modern). The new token is verified and stored.
   *
   * `signal` cancels until the tenant has answered; after that the renewal is seen through
   * (verified and stored), because a tenant that rotates refresh tokens has already made the
   * old one useless.
   */
  async refresh(target: SessionTarget = {}): Promise<SessionResult> {
    return this.renew(target, (ctx, record) => refreshTokens(ctx, record, target.signal));
  }

  /**
   * Re-authenticates with the stored id_token and device (the jwt-bearer grant of
   * `/oauth/ro`, Auth0's "Touch ID" flow): new tokens without the password.
   */
  async reauthenticate(target: SessionTarget = {}): Promise<SessionResult> {
    const device = this.settings.device ?? 'signet';
    return this.renew(target, (ctx, record) =>
      reauthenticateTokens(ctx, record, device, target.signal),
    );
  }

  /**
   * Signs out: revokes the refresh token at the tenant (best effort: a failure is reported in
   * the result, the local sign-out still happens), deletes every keychain entry of the
   * session, and forgets it in memory.
   */
  async signOut(target: SessionTarget = {}): Promise<SignOutResult> {
    let found: Found | undefined;
    try {
      found = await this.find(target);
    } catch (err) {
      // An unreadable keychain still lets us forget the in-memory session.
      if (!(err instanceof SignInFailure && err.error.code === 'keychain_unavailable')) throw err;
    }
    if (!found) return { revoked: false, deleted: 0 };
    const { record } = found;
    const out: SignOutResult = { revoked: false, deleted: 0 };
    if (record.refresh_token) {
      try {
        await this.tenants.get(record).auth.revoke(record.refresh_token, target.signal);
        out.revoked = true;
      } catch (err) {
        out.revokeError = toSignInError(err);
      }
    }
    out.deleted = await this.forget(record);
    return out;
  }

  /**
   * A valid token of a remembered session for another tool: the id_token (or the access token
   * with `type: 'access'`), refreshed first when fewer than `minValid` seconds remain.
   * Rejects with `not_signed_in` when nothing is remembered or the session cannot be renewed,
   * and with `invalid_input` (field `type`) for an access token Signet cannot vouch for (a
   * legacy session's: no known expiry, and /delegation does not renew it) — before asking the
   * tenant anything.
   */
  async token(req: TokenRequest = {}): Promise<TokenResult> {
    const type = req.type ?? 'id';
    const minValid = req.minValid ?? DEFAULT_MIN_VALID_SECONDS;
    if (!Number.isFinite(minValid) || minValid < 0)
      fail(invalidInput('min-valid', 'The minimum validity is a number of seconds (0 or more).'));
    if (req.target !== undefined && !req.target.trim())
      fail(invalidInput('target', 'Name the client the token is for (its client ID).'));
    if (req.target && type === 'access')
      fail(invalidInput('type', 'A token for another client is an id_token (leave out the type).'));
    const found = await this.find(req);
    if (!found) fail(noSession(this.queryOf(req)));
    let { record } = found;
    if (type === 'access' && !canServeAccessToken(record)) fail(accessTokenUnservable(record));
    let warning: SignInError | undefined;
    if (needsRenewal(record, type, minValid)) {
      try {
        record = (
          await this.renewFound(
            found,
            (ctx, r) => refreshTokens(ctx, r, req.signal),
            performance.now(),
            req.signal,
            (r) => needsRenewal(r, type, minValid),
          )
        ).record;
      } catch (err) {
        // The tenant could not be asked, but the token has not expired yet: hand it out,
        // closer to expiry than asked, and say so.
        const e = toSignInError(err);
        const exp = recordTokenExpiry(record, type);
        if (!isTransient(e) || !tokenOf(record, type) || exp === undefined || exp <= Date.now())
          throw err;
        warning = e;
      }
    }
    if (req.target && req.target !== record.clientId)
      return this.targetToken(record, found.stored, req.target, minValid, warning, req.signal);
    const token = tokenOf(record, type);
    const exp = recordTokenExpiry(record, type);
    if (!token || (exp !== undefined && exp <= Date.now()))
      fail({
        ...notSignedIn(
          `This session at ${record.tenant} holds no valid ${type === 'id' ? 'id_token' : 'access token'}, and it cannot be renewed.`,
          { tenant: record.tenant, clientId: record.clientId },
        ),
        hint: signInAgain(record),
      });
    return {
      token,
      type,
      expiresAt: exp !== undefined ? new Date(exp).toISOString() : null,
      tenant: record.tenant,
      clientId: record.clientId,
      username: record.username,
      ...(warning ? { warning } : {}),
    };
  }

  /**
   * Makes a remembered session the default: the one `token`, `restore` (whoami), the
   * credential helpers and `find` use when a call names no user. Rejects with `not_signed_in`
   * when no such session is remembered.
   */
  async useAccount(target: SessionTarget & { username: string }): Promise<Account> {
    const q = this.queryOf(target);
    const match = (await this.accounts()).find(
      (a) =>
        a.username === q.username &&
        (!q.tenant || a.tenant === q.tenant) &&
        (!q.clientId || a.clientId === q.clientId),
    );
    if (!match) fail(noSession(q));
    writeDefaultSession(match);
    return { ...match, isDefault: true };
  }

  /**
   * Remembered sessions across tenants (keychain and this run's memory), newest first; the
   * default one (`useAccount`) has `isDefault`.
   */
  async accounts(): Promise<Account[]> {
    const d = readDefaultSession();
    return (await this.sessions.accounts()).map((a) => ({
      ...a,
      isDefault: d !== undefined && sameSession(a, d),
    }));
  }

  /** The raw tokens of a session, for a user who explicitly asked to see or copy them. */
  async revealTokens(target: SessionTarget = {}): Promise<RevealedTokens> {
    const found = await this.find(target);
    if (!found) fail(notSignedIn());
    const r = found.record;
    return {
      access_token: r.access_token,
      token_type: r.token_type,
      ...(r.id_token ? { id_token: r.id_token } : {}),
      ...(r.refresh_token ? { refresh_token: r.refresh_token } : {}),
    };
  }

  /** `GET /userinfo` for a session: the full profile as the tenant holds it. */
  async userinfo(target: SessionTarget = {}): Promise<Record<string, unknown>> {
    const found = await this.find(target);
    if (!found) fail(notSignedIn());
    return this.tenants.get(found.record).auth.userinfo(found.record.access_token, target.signal);
  }

  /** `POST /tokeninfo` for a session's id_token: the tenant's own view of it (legacy). */
  async tokeninfo(target: SessionTarget = {}): Promise<Record<string, unknown>> {
    const found = await this.find(target);
    if (!found?.record.id_token) fail(notSignedIn());
    return this.tenants.get(found.record).auth.tokeninfo(found.record.id_token!, target.signal);
  }

  /**
   * Diagnostics for IT: DNS, TCP and TLS timings, the certificate chain, openid-configuration
   * and JWKS, and the clock skew from the server's `Date` header. Never throws for a failing
   * step: each step reports its own error. `signal` stops it between and inside steps (the
   * call rejects with `cancelled`).
   */
  async check(target: TenantTarget & { signal?: AbortSignal } = {}): Promise<CheckReport> {
    const base = this.tenants.resolveTenant(target.tenant);
    return checkTenant(base, this.http, {
      extraCaPem: this.settings.caFile ? readCaFile(this.settings.caFile) : undefined,
      proxy: this.settings.proxy,
      signal: target.signal,
    });
  }

  /**
   * The client's configuration (spec §8): its connections by strategy, with the database
   * connections' policy and sign-up/reset switches and the AD connections' email domains.
   * Stale-while-revalidate: the last good copy on disk is answered at once, however old (the
   * window must not wait on the network for it), and when it is older than
   * `CLIENT_CONFIG_FRESH_MS` a fetch in the background refreshes it for the next ask. Without
   * a copy, or with `refresh`, it is fetched; when fetching fails (offline, a proxy's page, a
   * malformed script) the last good copy is answered with the `error`, or `source: 'none'`.
   * Never rejects for the network; rejects only with `config_invalid` (no tenant or client ID).
   * Its modules load on first use: the CLI never pays for them.
   */
  async clientConfig(
    target: TenantTarget & { refresh?: boolean; signal?: AbortSignal } = {},
  ): Promise<ClientConfigView> {
    const ctx = this.tenants.get(target);
    const [
      { fetchClientConfig },
      { ClientConfigCache, clientConfigCachePath, CLIENT_CONFIG_FRESH_MS },
    ] = await Promise.all([
      import('./auth/client-config.js'),
      import('./settings/client-config-cache.js'),
    ]);
    const cache = new ClientConfigCache(clientConfigCachePath(this.settingsEnv));
    const key = `${tenantKey(ctx.base)}|${ctx.clientId}`;
    const fetchAndKeep = async (signal?: AbortSignal) => {
      const connections = await fetchClientConfig({
        http: this.http,
        log: this.log,
        tenant: ctx.base,
        clientId: ctx.clientId,
        ...(signal ? { signal } : {}),
      });
      const fetchedAt = new Date().toISOString();
      cache.set(key, { fetchedAt, connections });
      return { connections, fetchedAt };
    };
    const cached = cache.get(key);
    if (cached && !target.refresh) {
      const age = Date.now() - Date.parse(cached.fetchedAt);
      // A copy "from the future" (clock changed) is not fresh either.
      if (!(age >= 0 && age < CLIENT_CONFIG_FRESH_MS)) {
        // For the next ask; a failure keeps the copy, and the log has the attempt.
        this.clientConfigRefresh ??= fetchAndKeep(this.backgroundStop.signal)
          .then(
            () => undefined,
            () => undefined,
          )
          .finally(() => {
            this.clientConfigRefresh = undefined;
          });
      }
      return {
        connections: cached.connections,
        fetchedAt: cached.fetchedAt,
        source: 'cache',
        error: null,
      };
    }
    try {
      const fresh = await fetchAndKeep(target.signal);
      return { ...fresh, source: 'network', error: null };
    } catch (err) {
      const error = toSignInError(err);
      return cached
        ? { connections: cached.connections, fetchedAt: cached.fetchedAt, source: 'cache', error }
        : { connections: [], fetchedAt: null, source: 'none', error };
    }
  }

  /** Every request of this run (redacted: no password, code or token), oldest first. */
  attempts(): Attempt[] {
    return this.log.list();
  }

  /**
   * The SMS tab's default country (ISO 3166 alpha-2): settings' `smsCountry`, else the
   * tenant's `/user/geoloc/country`, else null.
   */
  async defaultCountry(
    target: TenantTarget & { signal?: AbortSignal } = {},
  ): Promise<string | null> {
    if (this.settings.smsCountry) return this.settings.smsCountry;
    return this.tenants.get(target).auth.geolocCountry(target.signal);
  }

  /**
   * The tenant (base URL) and client ID a call for `target` goes to, settings filling the
   * gaps; rejects with `config_invalid` when either is missing or the tenant is unusable.
   */
  resolveTarget(target: TenantTarget = {}): { tenant: string; clientId: string } {
    const ctx = this.tenants.get(target);
    return { tenant: ctx.base.href, clientId: ctx.clientId };
  }

  /** Closes the HTTP connections. The core is unusable afterwards. */
  async close(): Promise<void> {
    this.backgroundStop.abort();
    await this.clientConfigRefresh;
    await this.http.close();
  }

  // ——— internals ———

  /** Checks a sign-up or reset's connection (a database one) and email; the email trimmed. */
  private databaseEmail(connection: string, email: string): string {
    if (!connection.trim()) fail(invalidInput('connection', errorText('errors.input.connection')));
    const kind = this.tenants.connection(connection).kind;
    if (kind !== 'database')
      fail(invalidInput('connection', errorText('errors.input.notDatabase', { connection })));
    const trimmed = email.trim();
    if (!EMAIL.test(trimmed)) fail(invalidInput('email', errorText('errors.input.email')));
    return trimmed;
  }

  /** The lookup of `target`: the fields it names, the tenant as its `tenantKey`. */
  private queryOf(target: SessionTarget): Partial<RecordKey> {
    return {
      ...(target.tenant ? { tenant: tenantKey(this.tenants.resolveTenant(target.tenant)) } : {}),
      ...(target.clientId ? { clientId: target.clientId } : {}),
      ...(target.username ? { username: target.username } : {}),
    };
  }

  /**
   * A session of `target`: this run's memory first, then the keychain. A target naming no
   * user gets the default session (`useAccount`) when it matches, else the newest.
   */
  private async find(target: SessionTarget): Promise<Found | undefined> {
    const q = this.queryOf(target);
    if (!q.username) {
      const d = readDefaultSession();
      if (d && (!q.tenant || q.tenant === d.tenant) && (!q.clientId || q.clientId === d.clientId)) {
        const found = await this.sessions.find(d);
        if (found) return found;
      }
    }
    return this.sessions.find(q);
  }

  /** Forgets a session everywhere (memory, keychain, the default when it was). */
  private async forget(record: SessionRecord): Promise<number> {
    const d = readDefaultSession();
    if (d && sameSession(d, record)) clearDefaultSession();
    this.targetTokens.forEach((_v, k) => {
      if (k.startsWith(`${indexAccount(record)}#`)) this.targetTokens.delete(k);
    });
    return this.sessions.forget(record);
  }

  /**
   * A restored (or another process's renewed) session as a `SessionResult`: its id_token is
   * verified again; one that fails is removed, never kept.
   */
  private async present(
    record: SessionRecord,
    stored: Stored,
    started: number,
    signal?: AbortSignal,
  ): Promise<SessionResult> {
    const ctx = this.tenants.get(record);
    const t1 = performance.now();
    const checked = await checkIdToken(this.verifier, ctx, record, signal);
    const verifyMs = performance.now() - t1;
    if (checked.verification.status === 'failed') {
      await this.forget(record).catch(() => 0);
      fail(tokenInvalid(checked.verification));
    }
    this.sessions.remember(record, stored);
    const connection = this.tenants.connection(record.connection, record.kind);
    return sessionResult(
      ctx,
      record,
      connection,
      checked,
      { stored },
      { totalMs: performance.now() - started, requestMs: 0, verifyMs, storeMs: 0 },
    );
  }

  /**
   * Renews a found session, one process at a time: a keychain session under its refresh lock
   * (session/refresh-lock.ts). Once the lock is held the keychain is read again; when another
   * process renewed the session meanwhile (the record differs from `found`'s) and the renewed
   * one no longer `stillNeeds` renewing, that is used and nothing is asked of the tenant (a
   * record that merely differs — this run's memory was stale — is renewed as asked). A refusal that ends the session removes
   * it and rejects with `not_signed_in` naming the tenant and what to do. `result` is set when
   * this call renewed (verified and kept the new tokens).
   */
  private async renewFound(
    found: Found,
    tokens: (ctx: TenantContext, record: SessionRecord) => Promise<Renewed>,
    started: number,
    signal: AbortSignal | undefined,
    stillNeeds: (record: SessionRecord) => boolean,
  ): Promise<{ record: SessionRecord; stored: Stored; result?: SessionResult }> {
    const renewNow = async (record: SessionRecord, stored: Stored, beforeSend = () => {}) => {
      const ctx = this.tenants.get(record);
      beforeSend();
      const t0 = performance.now();
      let renewed: Renewed;
      try {
        renewed = await tokens(ctx, record);
      } catch (err) {
        const e = toSignInError(err);
        if (endsSession(e)) {
          await this.forget(record);
          fail(sessionEnded(record, e));
        }
        throw err;
      }
      const next = renewedRecord(record, renewed);
      const keep: KeepPolicy = stored === 'none' ? 'memory' : 'keychain';
      const result = await this.verifyAndKeep(ctx, next, keep, started, performance.now() - t0);
      return { record: next, stored: result.stored, result };
    };
    if (found.stored !== 'keychain' || !this.sessions.vault)
      return renewNow(found.record, found.stored);
    const before = fingerprint(found.record);
    return withRefreshLock(
      found.record,
      async (beforeSend) => {
        const now = await this.sessions.reload(found.record);
        if (!now) fail(noSession(found.record));
        if (fingerprint(now) !== before && !stillNeeds(now))
          return { record: now, stored: 'keychain' as const };
        return renewNow(now, 'keychain', beforeSend);
      },
      signal,
      this.onWarning,
    );
  }

  /**
   * An id_token of `record`'s session for another client (`target`), from `/delegation`;
   * cached beside the session in the keychain (or this run's memory) until fewer than
   * `minValid` seconds remain, and fetched under the session's own refresh lock with the
   * refresh token stored there (never one read before a rotation).
   */
  private async targetToken(
    record: SessionRecord,
    stored: Stored,
    target: string,
    minValid: number,
    warning: SignInError | undefined,
    signal?: AbortSignal,
  ): Promise<TokenResult> {
    const vault = stored === 'keychain' ? this.sessions.vault : null;
    const memoryKey = `${indexAccount(record)}#${target}`;
    const fresh = (t: string | undefined) => {
      const exp = expiryMs(t);
      return t && exp !== undefined && exp >= Date.now() + minValid * 1000 ? t : undefined;
    };
    const cached = async () =>
      fresh(
        vault
          ? await vault.loadBeside(record, target).catch(() => undefined)
          : this.targetTokens.get(memoryKey),
      );
    // Under the session's refresh lock, with the session read again there: a refresh token
    // read before the lock may have been rotated away meanwhile, and presenting it would be a
    // reuse (the tenant revokes the family, spec §9).
    const fetchIt = async (beforeSend = () => {}): Promise<string> => {
      const again = await cached();
      if (again) return again;
      const now = vault ? await this.sessions.reload(record) : record;
      if (!now) fail(noSession(record));
      if (!now.refresh_token)
        fail({
          ...notSignedIn(
            `This session at ${now.tenant} cannot get tokens for other clients: it holds no refresh token.`,
          ),
          hint: signInAgain(now),
        });
      const ctx = this.tenants.get(now);
      beforeSend();
      let idToken: string;
      try {
        ({ id_token: idToken } = await ctx.auth.delegation({
          refreshToken: now.refresh_token,
          scope: delegationScope(now),
          kind: now.kind,
          target,
          signal,
        }));
      } catch (err) {
        const e = toSignInError(err);
        if (endsSession(e)) {
          await this.forget(now);
          fail(sessionEnded(now, e));
        }
        throw err;
      }
      if (vault) await vault.saveBeside(now, target, idToken).catch(() => false);
      else this.targetTokens.set(memoryKey, idToken);
      return idToken;
    };
    const token =
      (await cached()) ??
      (vault ? await withRefreshLock(record, fetchIt, signal, this.onWarning) : await fetchIt());
    const exp = expiryMs(token);
    return {
      token,
      type: 'id',
      expiresAt: exp !== undefined ? new Date(exp).toISOString() : null,
      tenant: record.tenant,
      clientId: target,
      username: record.username,
      ...(warning ? { warning } : {}),
    };
  }

  /**
   * A refresh or re-authentication: finds the session, asks the tenant for new tokens with
   * `tokens` (under the session's refresh lock), lays them over the record (what was not
   * renewed is kept), then verifies and keeps it like a sign-in — in the keychain again unless
   * the session was never there.
   */
  private async renew(
    target: SessionTarget,
    tokens: (ctx: TenantContext, record: SessionRecord) => Promise<Renewed>,
  ): Promise<SessionResult> {
    const started = performance.now();
    const found = await this.find(target);
    throwIfCancelled(target.signal);
    if (!found) fail(noSession(this.queryOf(target)));
    // Asked to renew: a session another process renewed after this call began will do.
    const asked = Date.now();
    const r = await this.renewFound(
      found,
      tokens,
      started,
      target.signal,
      (rec) => Date.parse(rec.obtained_at) < asked,
    );
    return r.result ?? this.present(r.record, r.stored, started, target.signal);
  }

  /** Verifies a new session's id_token, then keeps it as `keep` says (a failed one never). */
  private async verifyAndKeep(
    ctx: TenantContext,
    record: SessionRecord,
    keep: KeepPolicy,
    started: number,
    requestMs: number,
  ): Promise<SessionResult> {
    const t1 = performance.now();
    const checked = await checkIdToken(this.verifier, ctx, record);
    const verifyMs = performance.now() - t1;
    if (checked.verification.status === 'failed') fail(tokenInvalid(checked.verification));
    const t2 = performance.now();
    const kept = await this.sessions.keep(record, keep);
    const storeMs = performance.now() - t2;
    const connection = this.tenants.connection(record.connection, record.kind);
    return sessionResult(ctx, record, connection, checked, kept, {
      totalMs: performance.now() - started,
      requestMs,
      verifyMs,
      storeMs,
    });
  }
}

/** What changes whenever a session is renewed (by this process or another). */
function fingerprint(r: SessionRecord): string {
  return [r.obtained_at, r.access_token, r.id_token ?? '', r.refresh_token ?? ''].join('\n');
}
