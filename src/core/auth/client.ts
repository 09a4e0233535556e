/**
 * The tenant client: one method per endpoint of Auth0's legacy authentication API (and the
 * modern `/oauth/token` grants), each returning a parsed answer or throwing `SignInFailure`.
 * It knows nothing of sessions or the keychain; it logs every call, redacted, to the attempts log.
 */
import * as z from 'zod';
import { GRANT } from '../../shared/auth0-protocol.js';
import type { SignInError } from '../../shared/errors.js';
import type { ConnectionKind } from '../../shared/settings.js';
import { jsonSafeString } from '../../shared/untrusted-text.js';
import {
  attemptError,
  redactRequest,
  redactResponse,
  type AttemptLog,
} from '../diagnostics/attempts.js';
import { SignInFailure, toSignInError } from '../errors.js';
import type { HttpClient, HttpResponse } from './http.js';
import { badResponse, parseJson, serverError, type Operation } from './server-errors.js';
import { endpoint } from './tenant-url.js';
import { errorText } from '../../shared/error-text.js';

/** What a token endpoint answers, normalised (legacy and modern alike). */
export interface TokenSet {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  /** Always `Bearer` (Auth0 sends both spellings). */
  token_type: string;
  expires_in?: number;
  scope?: string;
}

/**
 * 16 KB per token (id_token, access_token, refresh_token): Auth0's are 1–3 KB. A bigger one is
 * refused before it is verified or stored, so a hostile tenant cannot turn one answer into
 * hundreds of keychain entries (the vault splits a session into 2,000-byte chunks).
 */
export const MAX_TOKEN_BYTES = 16 * 1024;
const TOKEN_FIELDS = ['id_token', 'access_token', 'refresh_token'] as const;

const TokenSetSchema = z.looseObject({
  access_token: z.string().min(1),
  id_token: z.string().min(1).optional(),
  refresh_token: z.string().min(1).optional(),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'token_type must be bearer'),
  expires_in: z.number().nonnegative().optional(),
  scope: z.string().optional(),
});

const DelegationSchema = z.looseObject({
  id_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().nonnegative().optional(),
});

const SmsStartSchema = z.looseObject({
  _id: z.string().optional(),
  phone_number: z.string().optional(),
  phone_verified: z.boolean().optional(),
});

/** `/dbconnections/signup`'s 200 (spec §7): the user the tenant created. */
const SignUpSchema = z.looseObject({
  _id: z.string().max(256).optional(),
  email: z.string().min(1).max(512),
  email_verified: z.boolean().optional(),
  username: z.string().min(1).max(512).optional(),
});

/** The user `/dbconnections/signup` created. */
export interface CreatedUser {
  id?: string;
  email: string;
  emailVerified: boolean;
  username?: string;
}

/** What `/dbconnections/signup` sends (spec §7); the password is used for this call only. */
export interface SignUpParams {
  connection: string;
  email: string;
  password: string;
  username?: string;
  signal?: AbortSignal;
}

/** `/dbconnections/change_password`'s 200 is one JSON string, at most a sentence or two. */
const RESET_MESSAGE_MAX = 500;

/**
 * A 2xx body that is a sentence in plain text: `text/plain` or `text/html`, at most
 * `RESET_MESSAGE_MAX` bytes, not empty (a JSON string in it is unquoted), with no `<` or `>` (a proxy's page is markup, and
 * stays a `bad_response`). Undefined for anything else.
 */
function plainText(contentType: string, body: Buffer, json: unknown): string | undefined {
  if (!/^text\/(plain|html)\b/i.test(contentType) || body.length > RESET_MESSAGE_MAX)
    return undefined;
  // A JSON string sent as text (`"We've just sent…"`) is read as JSON: no quotes shown.
  const text = typeof json === 'string' ? json.trim() : body.toString('utf8').trim();
  return text && !/[<>]/.test(text) ? text : undefined;
}

export interface PasswordGrantParams {
  connection: string;
  kind: ConnectionKind;
  username: string;
  password: string;
  scope: string;
  device?: string;
  /** 6-digit code after `a0.mfa_required`. */
  mfaCode?: string;
  signal?: AbortSignal;
}

interface CallOptions {
  method: 'GET' | 'POST';
  path: string;
  body?: Record<string, unknown>;
  bearer?: string;
  operation: Operation;
  kind: ConnectionKind;
  connection?: string;
  username?: string;
  signal?: AbortSignal;
  /** Accept an empty 2xx body (revoke). */
  emptyOk?: boolean;
  /**
   * Accept a short `text/plain` or `text/html` 2xx body without markup as a JSON string
   * (change_password: auth0.js answers such a body as its text, so a real tenant may send it).
   */
  textOk?: boolean;
  /** A refusal carrying an `mfa_token` is answered as `MfaRequired` (modern password grant). */
  mfaStep?: boolean;
}

/** What `callJson` resolves with: a 2xx answer, or (with `mfaStep`) the MFA step. */
interface Answer {
  json: unknown;
  res: HttpResponse;
  mfa?: MfaRequired;
}

/**
 * The modern password grant's MFA step (403 `mfa_required` with an `mfa_token`): the token to
 * answer with and the error to show while the user fetches the code.
 */
export interface MfaRequired {
  mfaRequired: true;
  mfaToken: string;
  error: SignInError;
}

/** The client of one tenant + client_id. Cheap; the HTTP client is shared. */
export class AuthClient {
  constructor(
    readonly base: URL,
    readonly clientId: string,
    private readonly http: HttpClient,
    private readonly log?: AttemptLog,
  ) {}

  /** `POST /oauth/ro` with the password grant (database, AD/LDAP, and SMS with its code). */
  async legacyPassword(p: PasswordGrantParams): Promise<TokenSet> {
    const body: Record<string, unknown> = {
      client_id: this.clientId,
      connection: p.connection,
      grant_type: GRANT.password,
      username: p.username,
      password: p.password,
      scope: p.scope,
    };
    if (p.device) body.device = p.device;
    if (p.mfaCode) body.mfa_code = p.mfaCode;
    return this.tokens(await this.callJson({ ...this.opts(p, 'signin'), path: 'oauth/ro', body }));
  }

  /**
   * `POST /oauth/token`: password-realm for database/AD, passwordless/otp for SMS (tenants
   * created after 2017). A 403 `mfa_required` resolves as `MfaRequired` with its `mfa_token`;
   * called again with that `mfaToken` and the code, it uses the mfa-otp grant.
   */
  async modernPassword(
    p: PasswordGrantParams & { mfaToken?: string },
  ): Promise<TokenSet | MfaRequired> {
    let body: Record<string, unknown>;
    if (p.mfaToken && p.mfaCode) {
      body = {
        grant_type: GRANT.mfaOtp,
        client_id: this.clientId,
        mfa_token: p.mfaToken,
        otp: p.mfaCode,
      };
    } else if (p.kind === 'sms') {
      body = {
        grant_type: GRANT.passwordlessOtp,
        client_id: this.clientId,
        realm: p.connection,
        username: p.username,
        otp: p.password,
        scope: p.scope,
      };
    } else {
      body = {
        grant_type: GRANT.passwordRealm,
        client_id: this.clientId,
        realm: p.connection,
        username: p.username,
        password: p.password,
        scope: p.scope,
      };
    }
    if (p.device) body.device = p.device;
    const r = await this.callJson({
      ...this.opts(p, p.mfaToken ? 'mfa' : 'signin'),
      path: 'oauth/token',
      body,
      mfaStep: true,
    });
    return r.mfa ?? this.tokens(r);
  }

  /**
   * `POST /dbconnections/signup` (spec §7): creates a database user. Its errors come in the
   * `{name, code, description, statusCode}` shape (server-errors.ts reads both shapes).
   */
  async signUp(p: SignUpParams): Promise<CreatedUser> {
    const body: Record<string, unknown> = {
      client_id: this.clientId,
      connection: p.connection,
      email: p.email,
      password: p.password,
    };
    if (p.username !== undefined) body.username = p.username;
    const r = await this.post('dbconnections/signup', body, {
      operation: 'signup',
      kind: 'database',
      connection: p.connection,
      username: p.username ?? p.email,
      signal: p.signal,
    });
    const u = this.parse(SignUpSchema, r.json, r.res);
    return {
      ...(u._id ? { id: u._id } : {}),
      email: u.email,
      emailVerified: u.email_verified ?? false,
      ...(u.username ? { username: u.username } : {}),
    };
  }

  /**
   * `POST /dbconnections/change_password` (spec §7): asks the tenant to email a reset link.
   * Resolves with the tenant's own sentence (a JSON string), the same whether or not the
   * address has an account.
   */
  async changePassword(p: {
    connection: string;
    email: string;
    signal?: AbortSignal;
  }): Promise<string> {
    const r = await this.post(
      'dbconnections/change_password',
      { client_id: this.clientId, connection: p.connection, email: p.email },
      {
        operation: 'reset',
        kind: 'database',
        connection: p.connection,
        username: p.email,
        signal: p.signal,
        textOk: true,
      },
    );
    const message = this.parse(z.string().min(1).max(RESET_MESSAGE_MAX), r.json, r.res);
    return jsonSafeString(message);
  }

  /** `POST /passwordless/start`: sends a 6-digit code by SMS. */
  async passwordlessStart(p: {
    connection: string;
    phone: string;
    signal?: AbortSignal;
  }): Promise<{ phone: string; id?: string }> {
    const json = await this.post(
      'passwordless/start',
      { client_id: this.clientId, connection: p.connection, phone_number: p.phone, send: 'code' },
      {
        operation: 'sms_start',
        kind: 'sms',
        connection: p.connection,
        username: p.phone,
        signal: p.signal,
      },
    );
    const parsed = this.parse(SmsStartSchema, json.json, json.res);
    return { phone: parsed.phone_number ?? p.phone, ...(parsed._id ? { id: parsed._id } : {}) };
  }

  /** `POST /oauth/ro` with the jwt-bearer grant: re-authenticate with an id_token + device. */
  async jwtBearer(p: {
    idToken: string;
    device: string;
    scope: string;
    connection?: string;
    kind: ConnectionKind;
    signal?: AbortSignal;
  }): Promise<TokenSet> {
    const body: Record<string, unknown> = {
      client_id: this.clientId,
      grant_type: GRANT.jwtBearer,
      id_token: p.idToken,
      device: p.device,
      scope: p.scope,
    };
    if (p.connection) body.connection = p.connection;
    const r = await this.post('oauth/ro', body, {
      operation: 'reauth',
      kind: p.kind,
      connection: p.connection,
      signal: p.signal,
    });
    return this.tokens(r);
  }

  /** `POST /delegation` with a refresh token: a new id_token for this client (legacy refresh). */
  async delegation(p: {
    refreshToken: string;
    scope?: string;
    kind: ConnectionKind;
    /** Another client's id: an id_token for that client (default: this one). */
    target?: string;
    signal?: AbortSignal;
  }): Promise<{ id_token: string; expires_in?: number }> {
    const r = await this.post(
      'delegation',
      {
        client_id: this.clientId,
        grant_type: GRANT.jwtBearer,
        refresh_token: p.refreshToken,
        target: p.target ?? this.clientId,
        api_type: 'app',
        scope: p.scope ?? 'openid',
      },
      { operation: 'refresh', kind: p.kind, signal: p.signal },
    );
    const d = this.parse(DelegationSchema, r.json, r.res);
    this.capTokens(d, r.res);
    return {
      id_token: d.id_token,
      ...(d.expires_in !== undefined ? { expires_in: d.expires_in } : {}),
    };
  }

  /** `POST /oauth/token` with the refresh_token grant (modern refresh). */
  async refreshModern(p: {
    refreshToken: string;
    kind: ConnectionKind;
    signal?: AbortSignal;
  }): Promise<TokenSet> {
    const r = await this.post(
      'oauth/token',
      { grant_type: GRANT.refreshToken, client_id: this.clientId, refresh_token: p.refreshToken },
      { operation: 'refresh', kind: p.kind, signal: p.signal },
    );
    return this.tokens(r);
  }

  /** `GET /userinfo` with the access token: the user's profile. */
  async userinfo(accessToken: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const r = await this.callJson({
      method: 'GET',
      path: 'userinfo',
      bearer: accessToken,
      operation: 'userinfo',
      kind: 'database',
      signal,
    });
    return this.object(r.json, r.res);
  }

  /** `GET /user/geoloc/country`: the tenant's guess of the caller's country (Lock's SMS default). */
  async geolocCountry(signal?: AbortSignal): Promise<string | null> {
    const r = await this.callJson({
      method: 'GET',
      path: 'user/geoloc/country',
      operation: 'discovery',
      kind: 'sms',
      signal,
    });
    const code = this.object(r.json, r.res).country_code;
    return typeof code === 'string' && /^[A-Z]{2}$/.test(code) ? code : null;
  }

  /** `POST /tokeninfo` (legacy): the tenant checks an id_token and returns the profile. */
  async tokeninfo(idToken: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const r = await this.post(
      'tokeninfo',
      { id_token: idToken },
      { operation: 'tokeninfo', kind: 'database', signal },
    );
    return this.object(r.json, r.res);
  }

  /** `POST /oauth/revoke`: revokes a refresh token. Resolves when the tenant said 200. */
  async revoke(refreshToken: string, signal?: AbortSignal): Promise<void> {
    await this.post(
      'oauth/revoke',
      { client_id: this.clientId, token: refreshToken },
      { operation: 'revoke', kind: 'database', signal, emptyOk: true },
    );
  }

  /** A POST of `body` to `path`; `o` says what it is for the log and the error mapping. */
  private post(
    path: string,
    body: Record<string, unknown>,
    o: Omit<CallOptions, 'method' | 'path' | 'body'>,
  ): Promise<Answer> {
    return this.callJson({ method: 'POST', path, body, ...o });
  }

  private opts(p: PasswordGrantParams, operation: Operation): Omit<CallOptions, 'path' | 'body'> {
    return {
      method: 'POST',
      operation,
      kind: p.kind,
      connection: p.connection,
      username: p.username,
      signal: p.signal,
    };
  }

  private tokens(r: { json: unknown; res: HttpResponse }): TokenSet {
    const t = this.parse(TokenSetSchema, r.json, r.res);
    this.capTokens(t, r.res);
    const out: TokenSet = { access_token: t.access_token, token_type: 'Bearer' };
    if (t.id_token) out.id_token = t.id_token;
    if (t.refresh_token) out.refresh_token = t.refresh_token;
    if (t.expires_in !== undefined) out.expires_in = t.expires_in;
    if (t.scope !== undefined) out.scope = t.scope;
    return out;
  }

  /** Refuses an answer holding a token over `MAX_TOKEN_BYTES` (`bad_response`, no token kept). */
  private capTokens(t: Partial<Record<(typeof TOKEN_FIELDS)[number], unknown>>, res: HttpResponse) {
    const sizes: Record<string, number> = {};
    for (const field of TOKEN_FIELDS) {
      const v = t[field];
      if (typeof v === 'string' && Buffer.byteLength(v) > MAX_TOKEN_BYTES)
        sizes[field] = Buffer.byteLength(v);
    }
    const names = Object.keys(sizes);
    if (!names.length) return;
    const kb = (n: number) => Math.ceil(n / 1024);
    throw new SignInFailure({
      code: 'bad_response',
      ...errorText('errors.response.tokenTooLarge', {
        sizes: names.map((n) => `${n}: ${kb(sizes[n]!)} KB`).join(', '),
        limit: kb(MAX_TOKEN_BYTES),
      }),
      status: res.status,
      detail: { problem: 'token_too_large', tenant: this.base.host, sizes, limit: MAX_TOKEN_BYTES },
    });
  }

  private object(json: unknown, res: HttpResponse): Record<string, unknown> {
    if (!json || typeof json !== 'object' || Array.isArray(json))
      throw new SignInFailure(badResponse(res, 'not_an_object', { tenant: this.base.host }));
    return json as Record<string, unknown>;
  }

  private parse<T>(schema: z.ZodType<T>, json: unknown, res: HttpResponse): T {
    const r = schema.safeParse(json);
    if (r.success) return r.data;
    const e = badResponse(res, 'missing_fields', { tenant: this.base.host });
    e.detail = {
      ...e.detail,
      fields: r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
    };
    throw new SignInFailure(e);
  }

  /** Sends one call, logs it (redacted) and returns the parsed JSON of a 2xx answer. */
  private async callJson(o: CallOptions): Promise<Answer> {
    const url = endpoint(this.base, o.path);
    const at = new Date().toISOString();
    const started = performance.now();
    const entry = {
      at,
      method: o.method,
      endpoint: `/${o.path}`,
      ...(o.connection ? { connection: o.connection } : {}),
      ...(o.username ? { username: o.username } : {}),
      request: redactRequest(o.body),
    };
    let res: HttpResponse | undefined;
    try {
      res = await this.http.send({
        method: o.method,
        url,
        json: o.body,
        signal: o.signal,
        headers: o.bearer ? { authorization: `Bearer ${o.bearer}` } : undefined,
      });
      const json = parseJson(res.body);
      if (res.status < 200 || res.status >= 300) {
        const error = serverError(res, {
          kind: o.kind,
          operation: o.operation,
          tenant: this.base.host,
          connection: o.connection,
        });
        // The modern MFA step: an answer, not a failure of the call. Its token goes back to
        // the grant (in memory), never into the serialisable error that reaches the renderer.
        const mfaToken = (json as { mfa_token?: unknown } | undefined)?.mfa_token;
        if (o.mfaStep && typeof mfaToken === 'string') {
          this.log?.add({
            ...entry,
            ...attemptError(error),
            timings: this.t(res, started),
            response: redactResponse(json, res.status),
          });
          return { json, res, mfa: { mfaRequired: true, mfaToken, error } };
        }
        throw new SignInFailure(error);
      }
      if (o.emptyOk && res.body.length === 0) {
        this.log?.add({
          ...entry,
          status: res.status,
          timings: this.t(res, started),
          response: {},
        });
        return { json: undefined, res };
      }
      const type = res.headers['content-type'] ?? '';
      const text = o.textOk ? plainText(type, res.body, json) : undefined;
      if (text !== undefined) {
        this.log?.add({
          ...entry,
          status: res.status,
          timings: this.t(res, started),
          response: { text: `[${text.length} chars]` },
        });
        return { json: text, res };
      }
      if (!/^application\/([\w.+-]+\+)?json\b/i.test(type))
        throw new SignInFailure(
          badResponse(res, json === undefined ? 'not_json' : 'wrong_content_type', {
            tenant: this.base.host,
          }),
        );
      if (json === undefined)
        throw new SignInFailure(badResponse(res, 'not_json', { tenant: this.base.host }));
      this.log?.add({
        ...entry,
        status: res.status,
        timings: this.t(res, started),
        response: redactResponse(json, res.status),
      });
      return { json, res };
    } catch (err) {
      const e = toSignInError(err);
      this.log?.add({
        ...entry,
        ...attemptError(e),
        timings: res ? this.t(res, started) : { totalMs: performance.now() - started },
        ...(res ? { response: redactResponse(parseJson(res.body), res.status) } : {}),
      });
      throw err instanceof SignInFailure ? err : new SignInFailure(e);
    }
  }

  private t(res: HttpResponse, started: number) {
    return { totalMs: round(performance.now() - started), headersMs: round(res.timings.headersMs) };
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
