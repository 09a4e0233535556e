/**
 * The local tenant: Auth0's legacy authentication API (spec: shared/spec/auth0-legacy-api.md)
 * served by Fastify on loopback.
 *
 * Choices where Auth0 documented nothing (each is also asserted by the conformance tests):
 * - Unknown route or method → 404 `{statusCode, error: "Not Found", message, error_description}`
 *   (Auth0's hapi-style body plus `error_description` so every error has one).
 * - Malformed JSON → 400 `invalid_request` `Malformed JSON body: …`; a body over the limit →
 *   413 `request_entity_too_large`; another content type → 415 `invalid_request`.
 * - /oauth/ro without `grant_type` → 400 `invalid_request` `missing grant_type parameter`; another
 *   grant → 400 `unsupported_grant_type`.
 * - MFA: 401 `a0.mfa_required` `Multifactor authentication required`, 401 `a0.mfa_invalid_code`
 *   `Wrong or expired code.`; /oauth/token answers 403 `mfa_required` with an `mfa_token`, which
 *   the `http://auth0.com/oauth/grant-type/mfa-otp` grant redeems.
 * - /passwordless/start accepts only `send: "code"` (a desktop app wants no links): absent or
 *   `link` → 400 `bad.send`.
 * - /delegation: unknown or revoked refresh token → 401 `unauthorized` `invalid refresh token`;
 *   bad id_token → 401 `unauthorized` `invalid id_token`; rate limit → 429 `too_many_requests`
 *   with `Retry-After` and `X-RateLimit-*` headers.
 * - /userinfo: no/unknown Bearer token → 401 `invalid_token` (+ `WWW-Authenticate`); a token
 *   issued without the `openid` scope → 403 `insufficient_scope`.
 * - HS256 id_tokens are signed with the client secret's UTF-8 bytes (not base64-decoded).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { verify as verifyTotp } from 'otplib';
import {
  parseTenantConfig,
  type ClientConfig,
  type ConnectionConfig,
  type TenantConfig,
  type TenantConfigInput,
} from './config';
import { createLdapConnection } from './connections/ldap';
import { connectionOf, createDatabaseConnection, DATABASE_FILE, TenantDatabase } from './database';
import { startDemoDirectory } from './demo-directory';
import { KeyStore } from './keys';
import { SmsCodes } from './sms';
import { AccessTokens, claimsForScope, publicProfile, scopeWords } from './tokens';
import { TenantError, type PasswordConnection, type UserProfile } from './types';

export const GRANT = {
  password: 'password',
  jwtBearer: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
  passwordRealm: 'http://auth0.com/oauth/grant-type/password-realm',
  passwordlessOtp: 'http://auth0.com/oauth/grant-type/passwordless/otp',
  mfaOtp: 'http://auth0.com/oauth/grant-type/mfa-otp',
  refreshToken: 'refresh_token',
} as const;

export const MESSAGES = {
  wrongPassword: 'Wrong email or password.',
  wrongSmsCode: 'Wrong phone number or verification code.',
  blocked: 'user is blocked',
  tooManyAttempts:
    'Your account has been blocked after multiple consecutive login attempts. We’ve sent you an email with instructions on how to unblock it.',
  legacyRoNotAllowed:
    "Grant type 'http://auth0.com/oauth/legacy/grant-type/ro' not allowed for the client.",
  legacyDelegationNotAllowed:
    "Grant type 'urn:ietf:params:oauth:grant-type:jwt-bearer' not allowed for the client.",
  dottedFields:
    'Fields with "." are not allowed, please remove all dotted fields. Example: "user.name"',
  mfaRequired: 'Multifactor authentication required',
  mfaInvalid: 'Wrong or expired code.',
  phonePattern: 'String does not match pattern: ^\\+[0-9]{1,15}$',
} as const;

const E164 = /^\+[0-9]{1,15}$/;

export interface TenantOptions {
  /** Where the SQLite file and the signing keys live. */
  dataDir: string;
  /** One line per request and per SMS; never a password, code or token. Default: silent. */
  log?: (line: string) => void;
  /** Serve HTTPS with this PEM certificate and key. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Clock (ms), for tests. */
  now?: () => number;
}

export interface TenantStats {
  /** Successful sign-ins (any endpoint, any connection). */
  signIns: number;
  /** Refused credentials (wrong password or code). */
  failedSignIns: number;
  /** Refused because of brute-force protection. */
  bruteForceBlocks: number;
  /** Live access tokens in memory. */
  accessTokens: number;
}

export interface Tenant {
  /** Where it listens, e.g. `http://127.0.0.1:4455` (no trailing slash). */
  url: string;
  /** `iss` of its tokens: the public URL (or `url`) with a trailing slash. */
  issuer: string;
  config: TenantConfig;
  app: FastifyInstance;
  db: TenantDatabase;
  keys: KeyStore;
  sms: SmsCodes;
  /** Password connections by name (database and AD). */
  connections: Map<string, PasswordConnection>;
  stats(): TenantStats;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;

interface ConnectionEntry {
  config: ConnectionConfig;
  password?: PasswordConnection;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();
/** Constant-time string equality (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

const isLoopback = (ip: string) =>
  ip.startsWith('127.') || ip === '::1' || ip.startsWith('::ffff:127.');

function invalidRequest(description: string): TenantError {
  return new TenantError(400, 'invalid_request', description);
}

/** The body as an object (JSON or form); anything else is a 400. */
function bodyOf(req: FastifyRequest): Body {
  const b = req.body;
  if (b === undefined || b === null || b === '') return {};
  if (typeof b !== 'object' || Array.isArray(b)) {
    throw invalidRequest('the request body must be a JSON object or a form');
  }
  return b as Body;
}

/** A non-empty string field, or undefined. */
function str(body: Body, field: string): string | undefined {
  const v = body[field];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Starts a tenant; resolves once it accepts requests. */
export async function createTenant(
  configInput: TenantConfigInput | TenantConfig,
  options: TenantOptions,
): Promise<Tenant> {
  const config = parseTenantConfig(configInput);
  const log = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  const cleanups: Array<() => Promise<void> | void> = [];
  const runCleanups = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        log(`tenant: error while closing: ${(err as Error).message}`);
      }
    }
    cleanups.length = 0;
  };

  try {
    const db = new TenantDatabase(join(options.dataDir, DATABASE_FILE));
    cleanups.push(() => db.close());
    const keys = await KeyStore.open(options.dataDir, {
      lifetimeSeconds: config.idTokenLifetime,
      now,
    });
    const sms = new SmsCodes({ ...config.sms, now, log });
    const accessTokens = new AccessTokens(config.accessTokenLifetime, now);
    cleanups.push(() => accessTokens.close());

    // Connections.
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
    const clients = new Map(config.clients.map((c) => [c.client_id, c]));

    const counters = { signIns: 0, failedSignIns: 0, bruteForceBlocks: 0 };
    const mfaTokens = new Map<
      string,
      {
        userId: string;
        clientId: string;
        connection: string;
        scope: string;
        profile: UserProfile;
        expiresAt: number;
      }
    >();
    const delegationCalls = new Map<string, number[]>();

    let issuer = '';

    // ---------------------------------------------------------------- helpers

    const findClient = (clientId: string): ClientConfig | undefined => clients.get(clientId);

    /** The connection by name, refusing unknown and disabled ones (also disabled for this client). */
    function lookupConnection(
      name: string,
      client: ClientConfig,
      errors: { notFound: TenantError; disabled: TenantError },
    ): ConnectionEntry {
      const entry = connections.get(name);
      if (!entry) throw errors.notFound;
      if (!entry.config.enabled || (client.connections && !client.connections.includes(name)))
        throw errors.disabled;
      return entry;
    }

    /** Finds the user behind a `sub`, through the connection that owns it. */
    async function resolveUser(
      sub: string,
    ): Promise<{ profile: UserProfile; connection: string } | undefined> {
      if (sub.startsWith('auth0|') || sub.startsWith('sms|')) {
        const profile = db.findById(sub);
        const connection = profile && connectionOf(profile);
        if (!profile || !connection || !connections.get(connection)?.config.enabled)
          return undefined;
        return { profile, connection };
      }
      if (sub.startsWith('ad|')) {
        const name = sub.split('|')[1] ?? '';
        const entry = connections.get(name);
        if (!entry?.password || !entry.config.enabled) return undefined;
        const profile = await entry.password.findById(sub);
        return profile ? { profile, connection: name } : undefined;
      }
      return undefined;
    }

    /** Adds `identities` when a connection did not (AD profiles). */
    function withIdentities(profile: UserProfile, connection: string): UserProfile {
      if (profile.identities) return profile;
      const [provider, ...rest] = profile.user_id.split('|');
      return {
        ...profile,
        identities: [{ provider, user_id: rest.join('|'), connection, isSocial: false }],
      };
    }

    async function signIdToken(
      profile: UserProfile,
      audienceClient: ClientConfig,
      words: Set<string>,
    ): Promise<string> {
      const iat = Math.floor(now() / 1000);
      const jwt = new SignJWT(claimsForScope(profile, words))
        .setIssuer(issuer)
        .setSubject(profile.user_id)
        .setAudience(audienceClient.client_id)
        .setExpirationTime(iat + Math.round(config.idTokenLifetime))
        .setIssuedAt(iat);
      if (audienceClient.alg === 'HS256') {
        return jwt
          .setProtectedHeader({ typ: 'JWT', alg: 'HS256' })
          .sign(new TextEncoder().encode(audienceClient.client_secret));
      }
      const { kid, privateKey } = await keys.current();
      return jwt.setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid }).sign(privateKey);
    }

    /** Verifies an id_token of this tenant (signature, iss, exp); `audience` when given must match. */
    async function verifyIdToken(
      token: string,
      audience?: string,
    ): Promise<JWTPayload & { sub: string; aud: string }> {
      const header = decodeProtectedHeader(token);
      const payload = decodeJwt(token);
      const aud = typeof payload.aud === 'string' ? payload.aud : undefined;
      const client = aud ? findClient(aud) : undefined;
      if (!aud || !client || (audience !== undefined && aud !== audience))
        throw new Error('audience');
      let key: CryptoKey | Uint8Array | undefined;
      if (header.alg === 'RS256') key = await keys.publicKey(header.kid);
      else if (header.alg === 'HS256' && client.alg === 'HS256')
        key = new TextEncoder().encode(client.client_secret);
      if (!key) throw new Error('key');
      const { payload: verified } = await jwtVerify(token, key, {
        issuer,
        audience: aud,
        algorithms: [header.alg as string],
        currentDate: new Date(now()),
      });
      if (typeof verified.sub !== 'string') throw new Error('sub');
      return verified as JWTPayload & { sub: string; aud: string };
    }

    /**
     * Checks credentials on a database or AD connection with brute-force protection: 10
     * consecutive failures for one account from one IP refuse that account from that IP until
     * it is unblocked or its password changes; a success resets the count.
     */
    async function checkPassword(
      entry: ConnectionEntry,
      username: string,
      password: string,
      ip: string,
    ): Promise<UserProfile> {
      const conn = entry.password!;
      const name = entry.config.name;
      if (db.failureCount(name, username, ip) >= config.limits.bruteForceThreshold) {
        counters.bruteForceBlocks += 1;
        throw new TenantError(429, 'too_many_attempts', MESSAGES.tooManyAttempts);
      }
      try {
        const profile = await conn.authenticate(username, password);
        db.resetFailures(name, username, ip);
        return withIdentities(profile, name);
      } catch (err) {
        if (err instanceof TenantError && err.error === 'invalid_user_password') {
          db.addFailure(name, username, ip);
          counters.failedSignIns += 1;
        }
        throw err;
      }
    }

    function checkSmsCode(entry: ConnectionEntry, phone: string, code: string): UserProfile {
      if (!E164.test(phone) || !sms.verify(phone, code)) {
        counters.failedSignIns += 1;
        throw new TenantError(401, 'invalid_user_password', MESSAGES.wrongSmsCode);
      }
      const profile = db.findOrCreatePhoneUser(entry.config.name, phone);
      if (profile.blocked) throw new TenantError(401, 'unauthorized', MESSAGES.blocked);
      return profile;
    }

    async function totpValid(secret: string, code: string): Promise<boolean> {
      if (!/^\d{6}$/.test(code)) return false;
      try {
        const result = await verifyTotp({
          secret,
          token: code,
          epochTolerance: 30,
          epoch: Math.floor(now() / 1000),
        });
        return result.valid;
      } catch {
        return false;
      }
    }

    interface Issued {
      access_token: string;
      id_token?: string;
      refresh_token?: string;
    }

    /** Records the sign-in and issues the tokens of the scope. */
    async function issueTokens(args: {
      profile: UserProfile;
      client: ClientConfig;
      connection: string;
      scope: string;
      /** Issue a refresh token (offline_access was asked for and, on /oauth/ro, a device given). */
      refresh: boolean;
      device?: string;
      countSignIn?: boolean;
    }): Promise<Issued> {
      const words = scopeWords(args.scope);
      if (args.countSignIn !== false) {
        counters.signIns += 1;
        db.recordLogin(args.profile.user_id);
      }
      const out: Issued = {
        access_token: accessTokens.issue({
          userId: args.profile.user_id,
          clientId: args.client.client_id,
          connection: args.connection,
          scope: args.scope,
          profile: args.profile,
        }),
      };
      if (words.has('openid')) out.id_token = await signIdToken(args.profile, args.client, words);
      if (args.refresh) {
        out.refresh_token = db.issueRefreshToken({
          user_id: args.profile.user_id,
          connection: args.connection,
          client_id: args.client.client_id,
          device: args.device ?? null,
          scope: args.scope,
        });
      }
      return out;
    }

    function checkDotted(body: Body): void {
      if (Object.keys(body).some((k) => k.includes('.')))
        throw invalidRequest(MESSAGES.dottedFields);
    }

    function scopeOf(body: Body): string {
      const scope = body.scope;
      if (scope !== undefined && typeof scope !== 'string')
        throw invalidRequest('scope parameter must be a string');
      return scope ?? '';
    }

    // ---------------------------------------------------------------- app

    const app = Fastify({
      logger: false,
      bodyLimit: config.limits.bodyLimit,
      trustProxy: false,
      return503OnClosing: true,
      ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    }) as unknown as FastifyInstance;
    cleanups.push(() => app.close());
    await app.register(formbody, { bodyLimit: config.limits.bodyLimit });
    // JSON and forms only (as Auth0): any other content type is a 415, not a string body.
    app.removeContentTypeParser('text/plain');

    app.addHook('onRequest', async (req) => {
      (req as FastifyRequest & { startedAt?: number }).startedAt = performance.now();
    });
    app.addHook('onResponse', async (req, reply) => {
      const started =
        (req as FastifyRequest & { startedAt?: number }).startedAt ?? performance.now();
      // The path only: no query (it may hold a phone number), never a body.
      log(
        `${req.method} ${req.url.split('?')[0]} ${reply.statusCode} ${(performance.now() - started).toFixed(1)}ms`,
      );
    });

    app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
      if (err instanceof TenantError) {
        return reply.code(err.status).headers(err.headers).send(err.toBody());
      }
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply.code(413).send({
          error: 'request_entity_too_large',
          error_description: `the request body is larger than ${config.limits.bodyLimit} bytes`,
        });
      }
      if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        return reply.code(415).send({
          error: 'invalid_request',
          error_description:
            'Content-Type must be application/json or application/x-www-form-urlencoded',
        });
      }
      if (
        err.statusCode === 400 &&
        (err instanceof SyntaxError || err.code?.startsWith('FST_ERR_CTP'))
      ) {
        return reply.code(400).send({
          error: 'invalid_request',
          error_description: `Malformed JSON body: ${err.message}`,
        });
      }
      if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
        return reply
          .code(err.statusCode)
          .send({ error: 'invalid_request', error_description: err.message });
      }
      log(`tenant: internal error: ${err.name}: ${err.message}`);
      return reply.code(500).send({ error: 'server_error', error_description: 'Internal error' });
    });

    app.setNotFoundHandler((_req, reply) => {
      reply.code(404).send({
        statusCode: 404,
        error: 'Not Found',
        message: 'Not Found',
        error_description: 'Not Found',
      });
    });

    // ---- POST /oauth/ro --------------------------------------------------------------------
    app.post('/oauth/ro', async (req, reply) => {
      const body = bodyOf(req);
      checkDotted(body);
      const clientId = str(body, 'client_id');
      if (!clientId) throw invalidRequest('missing client_id parameter');
      const client = findClient(clientId);
      if (!client) throw new TenantError(403, 'unauthorized_client', 'invalid client');
      if (!client.legacyGrant)
        throw new TenantError(403, 'unauthorized_client', MESSAGES.legacyRoNotAllowed);
      if (client.oidcConformant)
        throw invalidRequest('OIDC conformant clients cannot use /oauth/ro');
      const scope = scopeOf(body);
      const words = scopeWords(scope);
      const device = str(body, 'device');
      const grantType = str(body, 'grant_type');
      const connectionErrors = {
        notFound: invalidRequest('the connection was not found'),
        disabled: invalidRequest('the connection was disabled'),
      };
      const strategyError = invalidRequest(
        'specified strategy does not support requested operation',
      );

      if (grantType === GRANT.jwtBearer) {
        if (!device) throw invalidRequest('missing device parameter');
        const idToken = str(body, 'id_token');
        if (!idToken) throw invalidRequest('missing id_token parameter');
        let sub: string;
        try {
          sub = (await verifyIdToken(idToken, client.client_id)).sub;
        } catch {
          throw new TenantError(400, 'invalid_grant', 'invalid id_token');
        }
        const connectionName = str(body, 'connection');
        if (connectionName) {
          const entry = lookupConnection(connectionName, client, connectionErrors);
          if (entry.config.type === 'social') throw strategyError;
        }
        const found = await resolveUser(sub);
        if (!found || (connectionName && found.connection !== connectionName)) {
          throw new TenantError(400, 'invalid_grant', 'the user of the id_token does not exist');
        }
        if (found.profile.blocked) throw new TenantError(401, 'unauthorized', MESSAGES.blocked);
        const issued = await issueTokens({
          profile: withIdentities(found.profile, found.connection),
          client,
          connection: found.connection,
          scope,
          refresh: words.has('offline_access'),
          device,
        });
        return reply.send({ ...issued, token_type: 'bearer' });
      }
      if (!grantType) throw invalidRequest('missing grant_type parameter');
      if (grantType !== GRANT.password) {
        throw new TenantError(
          400,
          'unsupported_grant_type',
          `grant_type ${grantType} is not supported by /oauth/ro`,
        );
      }
      const username = str(body, 'username');
      if (!username) throw invalidRequest('missing username parameter');
      const password = str(body, 'password');
      if (!password) throw invalidRequest('missing password parameter');
      const connectionName = str(body, 'connection');
      if (!connectionName) throw invalidRequest('missing connection parameter');
      const entry = lookupConnection(connectionName, client, connectionErrors);

      let profile: UserProfile;
      if (entry.config.type === 'sms') {
        profile = checkSmsCode(entry, username, password);
      } else if (entry.password) {
        profile = await checkPassword(entry, username, password, req.ip);
        if (profile.mfa_secret) {
          const mfaCode = body.mfa_code;
          if (mfaCode === undefined || mfaCode === '')
            throw new TenantError(401, 'a0.mfa_required', MESSAGES.mfaRequired);
          if (!(await totpValid(profile.mfa_secret, String(mfaCode)))) {
            throw new TenantError(401, 'a0.mfa_invalid_code', MESSAGES.mfaInvalid);
          }
        }
      } else {
        throw strategyError;
      }
      const issued = await issueTokens({
        profile,
        client,
        connection: entry.config.name,
        scope,
        refresh: words.has('offline_access') && device !== undefined,
        ...(device ? { device } : {}),
      });
      return reply.send({ ...issued, token_type: 'bearer' });
    });

    // ---- POST /passwordless/start ----------------------------------------------------------
    const PASSWORDLESS_FIELDS = new Set([
      'client_id',
      'client_secret',
      'connection',
      'phone_number',
      'email',
      'send',
      'authParams',
    ]);
    const bad = (field: string, description: string) =>
      new TenantError(400, `bad.${field}`, description);
    const typeName = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

    app.post('/passwordless/start', async (req, reply) => {
      const body = bodyOf(req);
      const extra = Object.keys(body).filter((k) => !PASSWORDLESS_FIELDS.has(k));
      if (extra.length)
        throw bad('request', `the following properties are not allowed: ${extra.join(', ')}`);
      const clientId = str(body, 'client_id');
      if (!clientId) throw bad('client_id', 'Missing required property: client_id');
      const client = findClient(clientId);
      if (!client) throw bad('client_id', `Unknown client: ${clientId}`);
      const secret = body.client_secret;
      if (
        secret !== undefined &&
        client.client_secret !== undefined &&
        !(typeof secret === 'string' && safeEqual(secret, client.client_secret))
      ) {
        throw bad('client_secret', 'Invalid client_secret');
      }
      const connectionName = str(body, 'connection');
      if (!connectionName) throw bad('connection', 'Missing required property: connection');
      const entry = lookupConnection(connectionName, client, {
        notFound: bad('connection', 'Connection does not exist'),
        disabled: bad('connection', 'Connection is disabled'),
      });
      if (entry.config.type !== 'sms')
        throw bad(
          'connection',
          'Invalid connection strategy. It must either be a passwordless connection',
        );
      const phone = body.phone_number;
      if (phone === undefined || phone === '')
        throw bad('phone_number', 'Missing required property: phone_number');
      if (typeof phone !== 'string')
        throw bad('phone_number', `Expected type string but found type ${typeName(phone)}`);
      if (!E164.test(phone)) throw bad('phone_number', MESSAGES.phonePattern);
      const send = body.send;
      if (send !== 'code') {
        if (send === undefined || send === 'link') {
          throw bad('send', 'send "link" is not supported by the local tenant: send "code"');
        }
        throw bad('send', `No enum match for: ${JSON.stringify(send)}`);
      }
      const authParams = body.authParams;
      if (
        authParams !== undefined &&
        (typeof authParams !== 'object' || authParams === null || Array.isArray(authParams))
      ) {
        throw bad(
          'authParams',
          `error in authParams - invalid type: ${typeName(authParams)} (expected object)`,
        );
      }
      await sms.send(phone);
      return reply.send({
        _id: db.phoneUserHex(entry.config.name, phone),
        phone_number: phone,
        phone_verified: false,
        request_language: null,
      });
    });

    // ---- GET /__outbox (loopback only) -----------------------------------------------------
    app.get('/__outbox', async (req, reply) => {
      if (!isLoopback(req.socket.remoteAddress ?? '')) {
        throw new TenantError(
          403,
          'access_denied',
          'the outbox is served to loopback callers only',
        );
      }
      const phone = (req.query as Record<string, unknown>).phone;
      return reply.send(sms.outbox(typeof phone === 'string' && phone !== '' ? phone : undefined));
    });

    // ---- discovery -------------------------------------------------------------------------
    app.get('/.well-known/openid-configuration', async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return reply.send({
        issuer,
        authorization_endpoint: `${issuer}authorize`,
        token_endpoint: `${issuer}oauth/token`,
        userinfo_endpoint: `${issuer}userinfo`,
        jwks_uri: `${issuer}.well-known/jwks.json`,
        revocation_endpoint: `${issuer}oauth/revoke`,
        scopes_supported: [
          'openid',
          'profile',
          'offline_access',
          'name',
          'given_name',
          'family_name',
          'nickname',
          'email',
          'email_verified',
          'picture',
          'created_at',
          'identities',
          'phone',
          'address',
        ],
        response_types_supported: [
          'code',
          'token',
          'id_token',
          'code token',
          'code id_token',
          'token id_token',
          'code token id_token',
        ],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['HS256', 'RS256'],
        token_endpoint_auth_methods_supported: [
          'client_secret_basic',
          'client_secret_post',
          'none',
        ],
        grant_types_supported: [
          GRANT.password,
          GRANT.jwtBearer,
          GRANT.passwordRealm,
          GRANT.passwordlessOtp,
          GRANT.mfaOtp,
          GRANT.refreshToken,
        ],
        claims_supported: [
          'aud',
          'auth_time',
          'created_at',
          'email',
          'email_verified',
          'exp',
          'family_name',
          'given_name',
          'iat',
          'identities',
          'iss',
          'name',
          'nickname',
          'phone_number',
          'picture',
          'sub',
          'groups',
          'upn',
        ],
      });
    });

    app.get('/.well-known/jwks.json', async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return reply.send(await keys.jwks());
    });

    // ---- GET /userinfo ---------------------------------------------------------------------
    app.get('/userinfo', async (req, reply) => {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      const unauthorized = (description: string) =>
        new TenantError(
          401,
          'invalid_token',
          description,
          {},
          { 'www-authenticate': `Bearer realm="${issuer}", error="invalid_token"` },
        );
      if (!match) throw unauthorized('missing Bearer access token');
      const grant = accessTokens.get(match[1]!);
      if (!grant) throw unauthorized('invalid or expired access token');
      if (!scopeWords(grant.scope).has('openid')) {
        throw new TenantError(
          403,
          'insufficient_scope',
          'the access token was not issued with the openid scope',
          {},
          {
            'www-authenticate': `Bearer realm="${issuer}", error="insufficient_scope", scope="openid"`,
          },
        );
      }
      return reply.send({ sub: grant.profile.user_id, ...publicProfile(grant.profile) });
    });

    // ---- POST /tokeninfo -------------------------------------------------------------------
    app.post('/tokeninfo', async (req, reply) => {
      const body = bodyOf(req);
      const idToken = str(body, 'id_token');
      if (!idToken) throw invalidRequest('missing id_token parameter');
      let sub: string;
      try {
        sub = (await verifyIdToken(idToken)).sub;
      } catch {
        throw new TenantError(401, 'invalid_token', 'invalid id_token');
      }
      const found = await resolveUser(sub);
      if (!found)
        throw new TenantError(401, 'invalid_token', 'the user of the id_token does not exist');
      return reply.send({ sub, ...publicProfile(withIdentities(found.profile, found.connection)) });
    });

    // ---- POST /delegation ------------------------------------------------------------------
    app.post('/delegation', async (req, reply) => {
      const body = bodyOf(req);
      checkDotted(body);
      const clientId = str(body, 'client_id');
      if (!clientId) throw invalidRequest('missing client_id parameter');
      const client = findClient(clientId);
      if (!client) throw new TenantError(403, 'unauthorized_client', 'invalid client');
      if (!client.legacyGrant)
        throw new TenantError(403, 'unauthorized_client', MESSAGES.legacyDelegationNotAllowed);
      const grantType = str(body, 'grant_type');
      if (!grantType) throw invalidRequest('missing grant_type parameter');
      if (grantType !== GRANT.jwtBearer) {
        throw new TenantError(
          400,
          'unsupported_grant_type',
          `grant_type ${grantType} is not supported by /delegation`,
        );
      }
      const scope = scopeOf(body) || 'openid';
      const apiType = body.api_type;
      if (apiType !== undefined && apiType !== 'app')
        throw invalidRequest(`api_type ${String(apiType)} is not supported: use app`);
      const targetId = str(body, 'target') ?? client.client_id;
      const target = findClient(targetId);
      if (!target) throw invalidRequest(`invalid target: no client ${targetId}`);
      const refreshToken = str(body, 'refresh_token');
      const idToken = str(body, 'id_token');
      if (!refreshToken && !idToken)
        throw invalidRequest('missing refresh_token or id_token parameter');

      let sub: string;
      if (refreshToken) {
        const row = db.findRefreshToken(refreshToken);
        if (!row || row.client_id !== client.client_id)
          throw new TenantError(401, 'unauthorized', 'invalid refresh token');
        sub = row.user_id;
      } else {
        try {
          sub = (await verifyIdToken(idToken!, client.client_id)).sub;
        } catch {
          throw new TenantError(401, 'unauthorized', 'invalid id_token');
        }
      }

      // 10 per minute per user and IP (sliding window).
      const key = `${sub}\n${req.ip}`;
      const t = now();
      const recent = (delegationCalls.get(key) ?? []).filter((x) => t - x < 60_000);
      if (recent.length >= config.limits.delegationPerMinute) {
        const resetMs = recent[0]! + 60_000;
        const retryAfter = Math.max(1, Math.ceil((resetMs - t) / 1000));
        throw new TenantError(
          429,
          'too_many_requests',
          `Too many requests: /delegation allows ${config.limits.delegationPerMinute} per minute per user and IP. Retry in ${retryAfter} s.`,
          {},
          {
            'retry-after': String(retryAfter),
            'x-ratelimit-limit': String(config.limits.delegationPerMinute),
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
          },
        );
      }
      recent.push(t);
      delegationCalls.set(key, recent);
      reply.header('x-ratelimit-limit', String(config.limits.delegationPerMinute));
      reply.header(
        'x-ratelimit-remaining',
        String(config.limits.delegationPerMinute - recent.length),
      );
      reply.header('x-ratelimit-reset', String(Math.ceil((recent[0]! + 60_000) / 1000)));

      const found = await resolveUser(sub);
      if (!found) throw new TenantError(401, 'unauthorized', 'the user does not exist');
      if (found.profile.blocked) throw new TenantError(401, 'unauthorized', MESSAGES.blocked);
      const profile = withIdentities(found.profile, found.connection);
      const idTokenOut = await signIdToken(profile, target, scopeWords(scope));
      return reply.send({
        token_type: 'Bearer',
        expires_in: Math.round(config.idTokenLifetime),
        id_token: idTokenOut,
      });
    });

    // ---- POST /oauth/revoke ----------------------------------------------------------------
    app.post('/oauth/revoke', async (req, reply) => {
      const body = bodyOf(req);
      const clientId = str(body, 'client_id');
      if (!clientId) throw invalidRequest('Missing required parameter: client_id');
      const client = findClient(clientId);
      if (!client) throw new TenantError(403, 'unauthorized_client', 'invalid client');
      const token = str(body, 'token');
      if (!token) throw invalidRequest('Missing required parameter: token');
      // RFC 7009: an unknown token (or another client's) is answered 200 as well, revoking nothing.
      const row = db.findRefreshToken(token);
      if (row && row.client_id === client.client_id) db.revokeRefreshToken(token);
      else accessTokens.revoke(token, client.client_id);
      return reply.code(200).send();
    });

    // ---- POST /oauth/token -----------------------------------------------------------------
    app.post('/oauth/token', async (req, reply) => {
      const body = bodyOf(req);
      const missing = (p: string) => invalidRequest(`Missing required parameter: ${p}`);
      const need = (p: string) => {
        const v = str(body, p);
        if (!v) throw missing(p);
        return v;
      };
      const grantType = need('grant_type');
      const clientId = need('client_id');
      const client = findClient(clientId);
      if (!client) throw new TenantError(401, 'invalid_client', `Unknown client: ${clientId}`);
      const scope = scopeOf(body);
      const words = scopeWords(scope);
      const invalidGrant = (d: string) => new TenantError(403, 'invalid_grant', d);
      const realmErrors = () => ({
        notFound: invalidRequest('the connection was not found'),
        disabled: invalidRequest('the connection was disabled'),
      });

      const answer = async (profile: UserProfile, connection: string, countSignIn = true) => {
        const issued = await issueTokens({
          profile,
          client,
          connection,
          scope,
          refresh: words.has('offline_access'),
          countSignIn,
        });
        return reply.send({
          ...issued,
          ...(scope ? { scope } : {}),
          expires_in: Math.round(config.accessTokenLifetime),
          token_type: 'Bearer',
        });
      };

      switch (grantType) {
        case GRANT.passwordRealm: {
          const realm = need('realm');
          const username = need('username');
          const password = need('password');
          const entry = lookupConnection(realm, client, realmErrors());
          if (!entry.password)
            throw invalidRequest('specified strategy does not support requested operation');
          let profile: UserProfile;
          try {
            profile = await checkPassword(entry, username, password, req.ip);
          } catch (err) {
            if (err instanceof TenantError && err.error === 'invalid_user_password')
              throw invalidGrant(err.description);
            throw err;
          }
          if (profile.mfa_secret) {
            const mfaToken = randomBytes(24).toString('base64url');
            mfaTokens.set(mfaToken, {
              userId: profile.user_id,
              clientId,
              connection: realm,
              scope,
              profile,
              expiresAt: now() + 600_000,
            });
            throw new TenantError(403, 'mfa_required', MESSAGES.mfaRequired, {
              mfa_token: mfaToken,
            });
          }
          return answer(profile, realm);
        }
        case GRANT.passwordlessOtp: {
          const realm = need('realm');
          const username = need('username');
          const otp = need('otp');
          const entry = lookupConnection(realm, client, realmErrors());
          if (entry.config.type !== 'sms')
            throw invalidRequest('specified strategy does not support requested operation');
          let profile: UserProfile;
          try {
            profile = checkSmsCode(entry, username, otp);
          } catch (err) {
            if (err instanceof TenantError && err.error === 'invalid_user_password')
              throw invalidGrant(err.description);
            throw err;
          }
          return answer(profile, realm);
        }
        case GRANT.mfaOtp: {
          const mfaToken = need('mfa_token');
          const otp = need('otp');
          const pending = mfaTokens.get(mfaToken);
          if (!pending || pending.clientId !== clientId || now() >= pending.expiresAt) {
            if (pending) mfaTokens.delete(mfaToken);
            throw invalidGrant('Malformed mfa_token');
          }
          if (!(await totpValid(pending.profile.mfa_secret ?? '', otp)))
            throw invalidGrant('Invalid otp_code.');
          mfaTokens.delete(mfaToken);
          const issued = await issueTokens({
            profile: pending.profile,
            client,
            connection: pending.connection,
            scope: pending.scope,
            refresh: scopeWords(pending.scope).has('offline_access'),
          });
          return reply.send({
            ...issued,
            ...(pending.scope ? { scope: pending.scope } : {}),
            expires_in: Math.round(config.accessTokenLifetime),
            token_type: 'Bearer',
          });
        }
        case GRANT.refreshToken: {
          const refreshToken = need('refresh_token');
          const row = db.findRefreshToken(refreshToken);
          if (!row || row.client_id !== clientId)
            throw invalidGrant('Unknown or invalid refresh token.');
          const found = await resolveUser(row.user_id);
          if (!found) throw invalidGrant('Unknown or invalid refresh token.');
          if (found.profile.blocked) throw new TenantError(401, 'unauthorized', MESSAGES.blocked);
          const useScope = scope || row.scope;
          const issued = await issueTokens({
            profile: withIdentities(found.profile, found.connection),
            client,
            connection: found.connection,
            scope: useScope,
            refresh: false,
            countSignIn: false,
          });
          return reply.send({
            ...issued,
            ...(useScope ? { scope: useScope } : {}),
            expires_in: Math.round(config.accessTokenLifetime),
            token_type: 'Bearer',
          });
        }
        default:
          throw new TenantError(
            400,
            'unsupported_grant_type',
            `Unsupported grant type: ${grantType}`,
          );
      }
    });

    // ---- GET /user/geoloc/country ----------------------------------------------------------
    app.get('/user/geoloc/country', async (_req, reply) =>
      reply.send({ country_code: config.geoloc.defaultCountry }),
    );

    // ---------------------------------------------------------------- listen
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address() as AddressInfo;
    const scheme = options.tls ? 'https' : 'http';
    const shownHost =
      config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '::1' : config.host;
    const url = `${scheme}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${address.port}`;
    issuer = `${(config.publicUrl ?? url).replace(/\/+$/, '')}/`;

    let closed: Promise<void> | undefined;
    return {
      url,
      issuer,
      config,
      app,
      db,
      keys,
      sms,
      connections: passwordConnections,
      stats: () => ({ ...counters, accessTokens: accessTokens.size }),
      close: () => (closed ??= runCleanups()),
    };
  } catch (err) {
    await runCleanups();
    throw err;
  }
}
