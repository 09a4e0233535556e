/**
 * The session: sign in → verify → store → restore → refresh → sign out. This is the API the
 * desktop app's main process and the CLI call; every function resolves with plain,
 * serialisable values or rejects with `SignInFailure` (its `.error` is the `SignInError`).
 *
 * One `SignetCore` per process: it owns the shared HTTP client (one undici dispatcher), one
 * JWKS cache per tenant, the vault, the in-memory sessions and the attempts log.
 */
import type { SignInError } from '../shared/errors.js';
import type { Connection, ConnectionKind, Protocol, Settings } from '../shared/settings.js';
import { SettingsSchema } from '../shared/settings.js';
import { AuthClient, type TokenSet } from './auth/client.js';
import { HttpClient } from './auth/http.js';
import { isLegacyGrantRefused } from './auth/server-errors.js';
import { issuerOf, tenantBaseUrl, tenantKey } from './auth/tenant-url.js';
import { checkTenant, type CheckReport } from './diagnostics/check.js';
import { AttemptLog, type Attempt } from './diagnostics/attempts.js';
import { SignInFailure, fail, throwIfCancelled } from './errors.js';
import { tryDecodeToken } from './tokens/decode.js';
import { TokenVerifier, type Verification } from './tokens/verify.js';
import { Vault, indexAccount, type RecordKey, type SessionRecord } from './vault/vault.js';
import { readCaFile } from './settings/ca-file.js';
import type {
  Account,
  Profile,
  RevealedTokens,
  SessionResult,
  SignOutResult,
  Stored,
} from '../shared/session.js';
export type { Account, Profile, RevealedTokens, SessionResult, SignOutResult, Stored };

/** The local tenant `npm run tenant` serves when `useLocalTenant` is on. */
export const LOCAL_TENANT_URL = 'http://127.0.0.1:4455';
export const LOCAL_CLIENT_ID = 'signet-demo';

/** Which tenant and client a call is for; defaults come from settings. */
export interface TenantTarget {
  /** Domain or URL (`acme.eu.auth0.com`, `http://127.0.0.1:4455`). */
  tenant?: string;
  clientId?: string;
}

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
  /** false: keep the session in memory only (`stored: "none"`). Default true. */
  store?: boolean;
  /**
   * true: keep nothing at all — not in the keychain, not in this run's memory (a connection
   * test signs accounts in only to see what comes back).
   */
  ephemeral?: boolean;
  signal?: AbortSignal;
}

export interface SignetCoreOptions {
  /** Effective settings (from `loadSettings().settings`); defaults applied when omitted. */
  settings?: Partial<Settings>;
  /** The vault; `null` never touches the keychain (every session `stored: "none"`). */
  vault?: Vault | null;
  /** Shared HTTP client; built from settings (proxy, CA file, timeouts) when omitted. */
  http?: HttpClient;
  /** The local tenant's URL for `useLocalTenant`. */
  localTenantUrl?: string;
}

interface TenantContext {
  base: URL;
  clientId: string;
  auth: AuthClient;
  /** `auto` learned this tenant refuses the legacy grant. */
  learnedModern: boolean;
  /** Modern MFA: `mfa_token` per username, waiting for the code. */
  mfaTokens: Map<string, string>;
}

const ms = (t: number) => Math.round(t * 100) / 100;

/** The sign-in engine. Create one per process (or per test); call `close()` at the end. */
export class SignetCore {
  readonly settings: Settings;
  readonly http: HttpClient;
  readonly verifier: TokenVerifier;
  readonly vault: Vault | null;
  private readonly log = new AttemptLog();
  private readonly tenants = new Map<string, TenantContext>();
  /** Sessions of this run, by vault account key; the only copy when the keychain failed. */
  private readonly memory = new Map<string, { record: SessionRecord; stored: Stored }>();
  private readonly localTenantUrl: string;

  constructor(options: SignetCoreOptions = {}) {
    this.settings = SettingsSchema.parse({ ...options.settings });
    this.localTenantUrl = options.localTenantUrl ?? LOCAL_TENANT_URL;
    this.http =
      options.http ??
      new HttpClient({
        timeouts: this.settings.timeouts,
        proxy: this.settings.proxy,
        extraCaPem: this.settings.caFile ? readCaFile(this.settings.caFile) : undefined,
      });
    this.verifier = new TokenVerifier(this.http);
    this.vault = options.vault === undefined ? new Vault() : options.vault;
  }

  /**
   * Signs in with a password (database or AD/LDAP connection) or an SMS code (connection
   * kind `sms`). Verifies the id_token, then stores the session in the keychain. A token
   * that fails verification is never stored: the call rejects with `token_invalid`.
   *
   * Protocol: `legacy` posts `/oauth/ro`; `modern` posts `/oauth/token`; `auto` tries legacy
   * and, when the tenant answers 403 "Grant type … not allowed", switches to modern and
   * remembers that for this tenant and client.
   *
   * MFA: a first call may reject with `a0.mfa_required` (legacy) or `mfa_required` (modern);
   * call again with the same request plus `mfaCode`.
   */
  async signIn(req: SignInRequest): Promise<SessionResult> {
    const started = performance.now();
    const ctx = this.context(req);
    if (!req.username.trim()) fail(inputError('username', 'Enter your username or email.'));
    if (!req.password) fail(inputError('password', 'Enter your password.'));
    const connection = this.connectionOf(req.connection, req.kind);
    const scope = req.scope ?? this.settings.scope;
    const device = req.device ?? this.settings.device;
    const requested = req.protocol ?? this.settings.protocol;
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

    let tokens: TokenSet;
    let used: 'legacy' | 'modern';
    const t0 = performance.now();
    const modern = async () => {
      const mfaKey = `${connection.name}|${params.username}`;
      const mfaToken = req.mfaCode ? ctx.mfaTokens.get(mfaKey) : undefined;
      try {
        const r = await ctx.auth.modernPassword({ ...params, ...(mfaToken ? { mfaToken } : {}) });
        ctx.mfaTokens.delete(mfaKey);
        return r;
      } catch (err) {
        if (err instanceof SignInFailure && err.mfaToken) ctx.mfaTokens.set(mfaKey, err.mfaToken);
        throw err;
      }
    };
    if (requested === 'modern' || (requested === 'auto' && ctx.learnedModern)) {
      tokens = await modern();
      used = 'modern';
    } else {
      try {
        tokens = await ctx.auth.legacyPassword(params);
        used = 'legacy';
      } catch (err) {
        if (
          requested === 'auto' &&
          err instanceof SignInFailure &&
          isLegacyGrantRefused(err.error)
        ) {
          ctx.learnedModern = true;
          tokens = await modern();
          used = 'modern';
        } else throw err;
      }
    }
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
      ...(tokens.id_token ? { id_token: tokens.id_token } : {}),
      ...(tokens.refresh_token ? { refresh_token: tokens.refresh_token } : {}),
      ...(params.device ? { device: params.device } : {}),
    };
    if (req.ephemeral) return this.finish(ctx, record, connection, 'nothing', started, requestMs);
    return this.finish(ctx, record, connection, req.store !== false, started, requestMs);
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
    if (!/^\+[0-9]{1,15}$/.test(phone))
      fail(
        inputError(
          'phone',
          'Enter the phone number in international format, for example +14155550100.',
        ),
      );
    const ctx = this.context(req);
    const connection = this.connectionOf(req.connection ?? this.smsConnectionName(), 'sms');
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
      store?: boolean;
      signal?: AbortSignal;
    },
  ): Promise<SessionResult> {
    const code = req.code.replace(/\s/g, '');
    if (!/^\d{4,10}$/.test(code)) fail(inputError('code', 'Enter the code from the text message.'));
    return this.signIn({
      ...req,
      connection: req.connection ?? this.smsConnectionName(),
      kind: 'sms',
      username: req.phone.replace(/[\s()-]/g, ''),
      password: code,
    });
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
  async restore(
    target: TenantTarget & { username?: string; signal?: AbortSignal } = {},
  ): Promise<SessionResult | null> {
    const started = performance.now();
    const { signal } = target;
    throwIfCancelled(signal);
    const found = await this.find(target);
    throwIfCancelled(signal);
    if (!found) return null;
    const { record, stored } = found;
    const ctx = this.context({ tenant: record.tenant, clientId: record.clientId });
    const connection = this.connectionOf(record.connection, record.kind);
    const exp = record.id_token ? decodeExp(record.id_token) : undefined;
    if (exp !== undefined && exp * 1000 <= Date.now() + 60_000) {
      if (record.refresh_token) return this.refresh({ ...record, signal });
      fail({
        code: 'not_signed_in',
        message: 'Your session has expired. Please sign in again.',
        detail: { expiredAt: new Date(exp * 1000).toISOString() },
      });
    }
    return this.finish(ctx, record, connection, stored === 'keychain', started, 0, {
      restored: true,
      storedBefore: stored,
      signal,
    });
  }

  /**
   * Renews the id_token with the refresh token: `/delegation` (legacy) or `/oauth/token`
   * refresh_token grant (modern). The new token is verified and stored.
   *
   * `signal` cancels until the tenant has answered; after that the renewal is seen through
   * (verified and stored), because a tenant that rotates refresh tokens has already made the
   * old one useless.
   */
  async refresh(
    target: TenantTarget & { username?: string; signal?: AbortSignal } = {},
  ): Promise<SessionResult> {
    const started = performance.now();
    const found = await this.find(target);
    throwIfCancelled(target.signal);
    if (!found) fail(notSignedIn());
    const { record } = found;
    if (!record.refresh_token)
      fail({
        code: 'not_signed_in',
        message:
          'This session cannot be renewed (it was signed in without “keep me signed in”). Please sign in again.',
      });
    const ctx = this.context({ tenant: record.tenant, clientId: record.clientId });
    const connection = this.connectionOf(record.connection, record.kind);
    const t0 = performance.now();
    let renewed: Renewed;
    if (record.protocol === 'modern') {
      renewed = await ctx.auth.refreshModern({
        refreshToken: record.refresh_token,
        kind: record.kind,
        signal: target.signal,
      });
    } else {
      // Ask for the same claims as at sign-in (without offline_access: delegation issues no
      // refresh token), so the renewed id_token shows the same profile.
      const scope =
        record.scope
          .split(/\s+/)
          .filter((w) => w && w !== 'offline_access')
          .join(' ') || 'openid';
      const d = await ctx.auth.delegation({
        refreshToken: record.refresh_token,
        scope,
        kind: record.kind,
        signal: target.signal,
      });
      renewed = { id_token: d.id_token };
    }
    return this.finishRenewal(ctx, connection, found, renewed, started, t0);
  }

  /**
   * Re-authenticates with the stored id_token and device (the jwt-bearer grant of
   * `/oauth/ro`, Auth0's "Touch ID" flow): new tokens without the password.
   */
  async reauthenticate(
    target: TenantTarget & { username?: string; signal?: AbortSignal } = {},
  ): Promise<SessionResult> {
    const started = performance.now();
    const found = await this.find(target);
    throwIfCancelled(target.signal);
    if (!found?.record.id_token) fail(notSignedIn());
    const { record } = found;
    const ctx = this.context({ tenant: record.tenant, clientId: record.clientId });
    const connection = this.connectionOf(record.connection, record.kind);
    const t0 = performance.now();
    const t = await ctx.auth.jwtBearer({
      idToken: record.id_token!,
      device: record.device ?? this.settings.device ?? 'signet',
      scope: record.scope,
      connection: record.connection,
      kind: record.kind,
      signal: target.signal,
    });
    return this.finishRenewal(ctx, connection, found, t, started, t0);
  }

  /**
   * Signs out: revokes the refresh token at the tenant (best effort: a failure is reported in
   * the result, the local sign-out still happens), deletes every keychain entry of the
   * session, and forgets it in memory.
   */
  async signOut(
    target: TenantTarget & { username?: string; signal?: AbortSignal } = {},
  ): Promise<SignOutResult> {
    let found: { record: SessionRecord; stored: Stored } | undefined;
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
      const ctx = this.context({ tenant: record.tenant, clientId: record.clientId });
      try {
        await ctx.auth.revoke(record.refresh_token, target.signal);
        out.revoked = true;
      } catch (err) {
        out.revokeError =
          err instanceof SignInFailure
            ? err.error
            : { code: 'internal_error', message: String(err) };
      }
    }
    this.memory.delete(indexAccount(record));
    if (this.vault) {
      try {
        out.deleted = await this.vault.delete(record);
      } catch (err) {
        if (!(err instanceof SignInFailure)) throw err;
      }
    }
    return out;
  }

  /** Remembered sessions across tenants (keychain and this run's memory), newest first. */
  async accounts(): Promise<Account[]> {
    const out = new Map<string, Account>();
    if (this.vault) {
      try {
        for (const a of await this.vault.accounts())
          out.set(indexAccount(a), { ...a, stored: 'keychain' });
      } catch (err) {
        if (!(err instanceof SignInFailure)) throw err;
      }
    }
    for (const [key, { record, stored }] of this.memory) {
      if (stored === 'keychain' || out.has(key)) continue;
      out.set(key, {
        tenant: record.tenant,
        clientId: record.clientId,
        username: record.username,
        connection: record.connection,
        kind: record.kind,
        obtainedAt: record.obtained_at,
        stored: 'memory',
      });
    }
    return [...out.values()].sort((a, b) => b.obtainedAt.localeCompare(a.obtainedAt));
  }

  /** The raw tokens of a session, for a user who explicitly asked to see or copy them. */
  async revealTokens(target: TenantTarget & { username?: string } = {}): Promise<RevealedTokens> {
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
  async userinfo(
    target: TenantTarget & { username?: string; signal?: AbortSignal } = {},
  ): Promise<Record<string, unknown>> {
    const found = await this.find(target);
    if (!found) fail(notSignedIn());
    const ctx = this.context({ tenant: found.record.tenant, clientId: found.record.clientId });
    return ctx.auth.userinfo(found.record.access_token, target.signal);
  }

  /** `POST /tokeninfo` for a session's id_token: the tenant's own view of it (legacy). */
  async tokeninfo(
    target: TenantTarget & { username?: string; signal?: AbortSignal } = {},
  ): Promise<Record<string, unknown>> {
    const found = await this.find(target);
    if (!found?.record.id_token) fail(notSignedIn());
    const ctx = this.context({ tenant: found.record.tenant, clientId: found.record.clientId });
    return ctx.auth.tokeninfo(found.record.id_token!, target.signal);
  }

  /**
   * Diagnostics for IT: DNS, TCP and TLS timings, the certificate chain, openid-configuration
   * and JWKS, and the clock skew from the server's `Date` header. Never throws for a failing
   * step: each step reports its own error.
   */
  async check(target: TenantTarget & { signal?: AbortSignal } = {}): Promise<CheckReport> {
    const base = this.resolveTenant(target.tenant);
    return checkTenant(base, this.http, {
      extraCaPem: this.settings.caFile ? readCaFile(this.settings.caFile) : undefined,
      proxy: this.settings.proxy,
      signal: target.signal,
    });
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
    return this.context(target).auth.geolocCountry(target.signal);
  }

  /**
   * The tenant (base URL) and client ID a call for `target` goes to, settings filling the
   * gaps; rejects with `config_invalid` when either is missing or the tenant is unusable.
   */
  resolveTarget(target: TenantTarget = {}): { tenant: string; clientId: string } {
    const ctx = this.context(target);
    return { tenant: ctx.base.href, clientId: ctx.clientId };
  }

  /** Closes the HTTP connections. The core is unusable afterwards. */
  async close(): Promise<void> {
    await this.http.close();
  }

  // ——— internals ———

  /**
   * The end of a refresh or re-authentication: the renewed tokens over the record they renew
   * (what the tenant did not renew is kept), then verify and store like a sign-in.
   */
  private finishRenewal(
    ctx: TenantContext,
    connection: Required<Connection>,
    found: { record: SessionRecord; stored: Stored },
    renewed: Renewed,
    started: number,
    requestStarted: number,
  ): Promise<SessionResult> {
    const next: SessionRecord = {
      ...found.record,
      ...(renewed.access_token ? { access_token: renewed.access_token } : {}),
      ...(renewed.id_token ? { id_token: renewed.id_token } : {}),
      ...(renewed.refresh_token ? { refresh_token: renewed.refresh_token } : {}),
      obtained_at: new Date().toISOString(),
    };
    const requestMs = performance.now() - requestStarted;
    return this.finish(ctx, next, connection, found.stored !== 'none', started, requestMs);
  }

  private async finish(
    ctx: TenantContext,
    record: SessionRecord,
    connection: Required<Connection>,
    /** true: the keychain (memory when it fails); false: memory only; 'nothing': not kept. */
    store: boolean | 'nothing',
    started: number,
    requestMs: number,
    /** A restore: nothing is written, and `signal` cancels it (nothing changed). */
    restore?: { restored: true; storedBefore: Stored; signal?: AbortSignal },
  ): Promise<SessionResult> {
    const t1 = performance.now();
    let verification: Verification;
    let payload: Record<string, unknown> = {};
    if (record.id_token) {
      const v = await this.verifier.verify(record.id_token, {
        issuer: issuerOf(ctx.base),
        audience: ctx.clientId,
        jwksUri: new URL('.well-known/jwks.json', ctx.base).href,
        signal: restore?.signal,
      });
      throwIfCancelled(restore?.signal);
      verification = v.verification;
      payload = v.payload as Record<string, unknown>;
    } else {
      verification = {
        status: 'unverifiable',
        alg: null,
        kid: null,
        reason: 'The tenant sent no id_token (the scope did not include openid).',
      };
    }
    const verifyMs = performance.now() - t1;
    if (verification.status === 'failed') {
      // Never keep a token that failed; a restored one is removed.
      if (restore) {
        this.memory.delete(indexAccount(record));
        await this.vault?.delete(record).catch(() => 0);
      }
      fail({
        code: 'token_invalid',
        message: `The tenant's answer could not be verified, so you were not signed in: ${verification.reason}`,
        detail: { verification },
      });
    }

    const t2 = performance.now();
    let stored: Stored = 'none';
    let storeError: SignInError | undefined;
    if (restore) stored = restore.storedBefore;
    else if (store === true && this.vault) {
      try {
        await this.vault.save(record);
        stored = 'keychain';
      } catch (err) {
        if (!(err instanceof SignInFailure)) throw err;
        stored = 'memory';
        storeError = err.error;
      }
    }
    const storeMs = performance.now() - t2;
    if (store !== 'nothing') this.memory.set(indexAccount(record), { record, stored });

    const decoded = record.id_token ? tryDecodeToken(record.id_token) : undefined;
    const result: SessionResult = {
      tenant: ctx.base.href,
      clientId: ctx.clientId,
      connection,
      username: record.username,
      protocol: record.protocol === 'modern' ? 'modern' : 'legacy',
      profile: profileOf(payload, record.username),
      claims: decoded?.claims ?? [],
      verification,
      expiresAt: decoded?.expiresAt ?? null,
      stored,
      ...(storeError ? { storeError } : {}),
      refreshable: Boolean(record.refresh_token),
      scope: record.scope,
      obtainedAt: record.obtained_at,
      timings: {
        totalMs: ms(performance.now() - started),
        requestMs: ms(requestMs),
        verifyMs: ms(verifyMs),
        storeMs: ms(storeMs),
      },
    };
    return result;
  }

  /** Finds a session: this run's memory first, then the keychain. */
  private async find(
    target: TenantTarget & { username?: string },
  ): Promise<{ record: SessionRecord; stored: Stored } | undefined> {
    const tenant = target.tenant ? tenantKey(this.resolveTenant(target.tenant)) : undefined;
    const clientId = target.clientId;
    const matches = (k: RecordKey) =>
      (!tenant || k.tenant === tenant) &&
      (!clientId || k.clientId === clientId) &&
      (!target.username || k.username === target.username);
    const inMemory = [...this.memory.values()]
      .filter((m) => matches(m.record))
      .sort((a, b) => b.record.obtained_at.localeCompare(a.record.obtained_at));
    if (inMemory[0]) return inMemory[0];
    if (!this.vault) return undefined;
    const key: RecordKey | undefined =
      tenant && clientId && target.username
        ? { tenant, clientId, username: target.username }
        : (await this.vault.accounts()).find(matches);
    if (!key) return undefined;
    const record = await this.vault.load(key);
    return record ? { record, stored: 'keychain' } : undefined;
  }

  private resolveTenant(tenant: string | undefined): URL {
    const t = tenant ?? (this.settings.useLocalTenant ? this.localTenantUrl : this.settings.tenant);
    if (!t)
      fail({
        code: 'config_invalid',
        message: 'No tenant is configured. Set the tenant in Settings (or use the local tenant).',
        hint: 'Settings → Tenant',
        detail: { field: 'tenant' },
      });
    return tenantBaseUrl(t);
  }

  private context(target: TenantTarget): TenantContext {
    const base = this.resolveTenant(target.tenant);
    const clientId =
      target.clientId ??
      this.settings.clientId ??
      (this.settings.useLocalTenant && !target.tenant ? LOCAL_CLIENT_ID : undefined);
    if (!clientId)
      fail({
        code: 'config_invalid',
        message: 'No client ID is configured. Set it in Settings.',
        hint: 'Settings → Client ID',
        detail: { field: 'clientId' },
      });
    const key = `${tenantKey(base)}|${clientId}`;
    let ctx = this.tenants.get(key);
    if (!ctx) {
      ctx = {
        base,
        clientId,
        auth: new AuthClient(base, clientId, this.http, this.log),
        learnedModern: false,
        mfaTokens: new Map(),
      };
      this.tenants.set(key, ctx);
    }
    return ctx;
  }

  private connectionOf(name: string, kind?: ConnectionKind): Required<Connection> {
    const c = this.settings.connections.find((x) => x.name === name);
    const k = kind ?? c?.kind ?? (name === 'sms' ? 'sms' : 'database');
    return { name, kind: k, label: c?.label ?? name };
  }

  private smsConnectionName(): string {
    return this.settings.connections.find((c) => c.kind === 'sms')?.name ?? 'sms';
  }
}

/** What a refresh or re-authentication renewed (the rest of the record is kept). */
type Renewed = Partial<Pick<TokenSet, 'access_token' | 'id_token' | 'refresh_token'>>;

/** The answer to an `openid` sign-in that carried no id_token (issue 9, item 11). */
function noIdToken(scope: string): SignInError {
  return {
    code: 'bad_response',
    message:
      'The tenant answered without an id_token although the sign-in asked for openid, so it cannot be verified and you were not signed in.',
    status: 200,
    detail: { problem: 'no id_token in the answer to an openid sign-in', scope },
  };
}

function inputError(field: string, message: string): SignInError {
  return { code: 'invalid_input', message, detail: { field } };
}

function notSignedIn(): SignInError {
  return { code: 'not_signed_in', message: 'You are not signed in.' };
}

function decodeExp(jwt: string): number | undefined {
  const d = tryDecodeToken(jwt);
  const exp = d?.payload.exp;
  return typeof exp === 'number' ? exp : undefined;
}

function profileOf(p: Record<string, unknown>, username: string): Profile {
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
  const out: Profile = { sub: str('sub') ?? username };
  for (const k of ['name', 'email', 'nickname', 'picture', 'phone_number'] as const) {
    const v = str(k);
    if (v !== undefined) out[k] = v;
  }
  if (Array.isArray(p.groups)) out.groups = p.groups.map(String);
  return out;
}
