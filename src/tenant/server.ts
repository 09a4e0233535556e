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
 *   the `http://auth0.com/oauth/grant-type/mfa-otp` grant redeems (a wrong code: 403
 *   `invalid_grant` `Invalid otp_code.`).
 * - An `mfa_token` lives 600 s and takes 5 codes: the 5th wrong one drops it; a dropped, expired,
 *   unknown or another client's token is 403 `invalid_grant` `Malformed mfa_token`. Expired
 *   tokens are swept (every minute, and on issue), so unredeemed ones do not pile up.
 * - Brute force counts wrong TOTP codes like wrong passwords, on the same counter (account and
 *   IP): a wrong `mfa_code` on /oauth/ro and a wrong `otp` of the mfa-otp grant are failures; a
 *   right password that is only asked for its code (`a0.mfa_required`, `mfa_required`) neither
 *   counts nor resets; the grant answers 429 `too_many_attempts` once the account is blocked.
 * - Brute force under concurrency: attempts are reserved before the password check, so no more
 *   than 10 can fail however many arrive at once (the rest: 429 once 10 failed). Attempts beyond
 *   the budget left while earlier ones are unsettled wait for them rather than being refused, so
 *   simultaneous correct sign-ins of one account are never a 429.
 * - `GET /__outbox` answers 403 `access_denied` to a request with `Forwarded`, `X-Forwarded-For`
 *   or `X-Real-IP` (a reverse proxy on this host would make every caller look like loopback),
 *   and to every request when `publicUrl` is set and its host is not loopback.
 * - /passwordless/start accepts only `send: "code"` (a desktop app wants no links): absent or
 *   `link` → 400 `bad.send`.
 * - /delegation: unknown or revoked refresh token → 401 `unauthorized` `invalid refresh token`;
 *   bad id_token → 401 `unauthorized` `invalid id_token`; rate limit → 429 `too_many_requests`
 *   with `Retry-After` and `X-RateLimit-*` headers.
 * - /userinfo: no/unknown Bearer token → 401 `invalid_token` (+ `WWW-Authenticate`); a token
 *   issued without the `openid` scope → 403 `insufficient_scope`.
 * - HS256 id_tokens are signed with the client secret's UTF-8 bytes (not base64-decoded).
 * - `GET /__outbox` also needs a `Host` naming this machine (127.0.0.0/8, [::1], localhost,
 *   *.localhost: DNS rebinding) and the key made at each start (`Tenant.outboxKey`, printed by
 *   the CLI; `Authorization: Bearer` or `?key=`), else 403 `access_denied`: a plain TCP relay on
 *   this host makes every caller loopback with a Host of its choosing; only a secret seen on the
 *   console tells the person at the machine apart. The answer is `Cache-Control: no-store`.
 * - SMS limits (sliding 15 min windows, config `sms`): 10 wrong codes per phone or 30 per address,
 *   across codes, clients and connections → 429 `too_many_attempts` (even for the right code,
 *   which stays unused) until the oldest is 15 min old; a right code clears its phone's count.
 *   /passwordless/start: 5 sends per phone, 30 per address → 429 `too_many_requests`, nothing
 *   sent. Both with `Retry-After` and `X-RateLimit-*`; an IPv6 address counts by its /64.
 * - A code redeemed by another client or on another sms connection is a wrong code (401).
 * - `sms_provider_error` says only `SMS gateway answered HTTP <status>`, `… unreachable (Code:
 *   ECONNREFUSED)` or `… did not answer within 5 s`; the gateway's own text goes to the log.
 * - A `webhook` URL in plain `http://` is refused at config parse unless its host is loopback.
 * - Sessions (sessions.ts): each credential sign-in starts one; its id_tokens (recorded by hash,
 *   no `sid` claim), access tokens and refresh token belong to it. It ends `sessionLifetime`
 *   (30 days) after a sign-in that got a refresh token, else with its first id_token; no
 *   renewal expires later (/delegation's `expires_in` shrinks to fit). Revoking the refresh
 *   token (sign-out) or changing the password ends it: then jwt-bearer answers 400
 *   `invalid_grant`, /delegation 401 `unauthorized`, /tokeninfo and /userinfo 401
 *   `invalid_token`, all with "the session of this token has ended (…)"; the refresh token is
 *   Auth0's unknown one. Refresh tokens stored before sessions existed are retired.
 * - jwt-bearer renews within the id_token's session: never a refresh token, even with
 *   `offline_access` and a device.
 * - A blocked user's tokens are refused at each use (/userinfo and /tokeninfo: 401
 *   `invalid_token` `user is blocked`; jwt-bearer, /delegation, refresh: 401 `unauthorized`
 *   `user is blocked`), and work again after an unblock; a block revokes nothing.
 * - A renewal (refresh grant, jwt-bearer, /delegation) asking for a scope word its sign-in was
 *   not granted → 400 `invalid_scope` (/delegation's bare `openid` excepted; its `passthrough`
 *   means the granted scope). A /delegation `target` that may not use the legacy grants, or
 *   whose `connections` exclude the session's → 403 `unauthorized_client` `invalid target: …`.
 * - A POST (any method but GET/HEAD/OPTIONS) with an `Origin` that is neither the issuer's
 *   origin nor in the named client's `web_origins` → 403 `access_denied` `Origin … is not
 *   allowed`, before anything happens; no `Origin` (native clients) passes. No CORS headers.
 * - Brute force counts the account, not the spelling (account-keys.ts): failures count under
 *   the login's normalised name (NFKC, trimmed, case-folded; for AD/LDAP without `DOMAIN\` and
 *   `@realm`) and under the account's user_id whenever it can be found without a password (the
 *   database always; a directory through its service account). Any key at 10 refuses the attempt.
 * - A password sign-in whose username begins or ends with white space is 400 `invalid_request`
 *   `username must not begin or end with white space` (/oauth/ro and /oauth/token alike).
 * - A password over 72 UTF-8 bytes (bcrypt's limit) is refused wherever one is set (config seed
 *   users, `users add`, `users set-password`; password-limit.ts). Sign-in is unchanged: a longer
 *   password is compared as bcrypt does (its first 72 bytes), so it fails unless those match.
 * - Brute force and the /delegation and jwt-bearer limits count an IPv6 address by its /64
 *   (`addressKey`), as the SMS limits do; IPv4 (and IPv4-mapped) addresses one by one.
 * - jwt-bearer on /oauth/ro: 10 renewals per minute per user and IP (the /delegation number,
 *   its own window) → 429 `too_many_requests` with `Retry-After` and `X-RateLimit-*`. A session
 *   keeps its newest 100 id_token rows (`ID_TOKENS_PER_SESSION`); an older one of its id_tokens
 *   is then "the session of this token has ended".
 * - /userinfo looks an AD/LDAP user up again when the connection has a service account (the
 *   demo directory has one): gone from the directory (or outside `baseDN`) → 401 `invalid_token`.
 *   A disabled AD account that is still there (userAccountControl), or any AD user without a
 *   service account, is only refused at the next bind; its access token lives out its lifetime.
 * - `GET /__stats` (request counts since start, for tests: request-stats.ts) is guarded as
 *   `GET /__outbox` (loopback, local `Host`, no proxy headers, the per-start key), else 403
 *   `access_denied`. It counts every request by `"<METHOD> <route>"` whatever its answer (an
 *   unmatched one as `"<METHOD> (no route)"`, never its path) and the `grant_type` strings sent
 *   to /oauth/ro, /oauth/token and /delegation (32 distinct ones per endpoint, then `(other)`);
 *   not itself.
 * - Refresh-token rotation (client `rotateRefreshTokens`, `rotationOverlapSeconds`; spec §9): the
 *   family is the session. A rotation retires the presented token and answers a successor with
 *   the session's scope. Within the overlap, the immediately previous token (retired less than
 *   the overlap ago, and no successor of it retired since) gets a fresh answer like a current
 *   one: new access and id tokens and another successor (Auth0's reuse interval), the family
 *   intact, the token still retired from its first rotation (its window does not extend). Any
 *   other retired token, at /oauth/token or /delegation, revokes the session (all its refresh,
 *   id and access tokens) and is 403 `invalid_grant` `Unknown or invalid refresh token.` at
 *   /oauth/token (401 `unauthorized` `invalid refresh token` at /delegation). Two requests
 *   racing with one current token are decided in one SQLite transaction: with overlap 0 the
 *   second is a reuse. /oauth/revoke of any token of the family (retired too) signs out.
 *   /delegation never rotates. Tokens stored before rotation existed are current; a client whose
 *   rotation is turned off keeps its current tokens as they are, non-rotating.
 * - `GET /client/{client_id}.js` (routes/client-script.ts): `tenant` is the first label of the
 *   issuer's host (`local` for an IP address or `localhost`), `subscription` is `free`; the
 *   client's `connections` (else all) minus `enabled: false`, grouped by strategy in config
 *   order; database `showForgot` is always true. `Content-Type: application/javascript;
 *   charset=utf-8`, `Cache-Control: public, max-age=60`, `X-Content-Type-Options: nosniff`, no
 *   CORS header beyond the web origins'. The client id is matched on the raw path (the config's
 *   client_id characters, nothing percent-decoded); an unknown client, `..`, `%2e`, `x.js.js` or a
 *   trailing `/` is the ordinary 404 of an unknown route.
 * - /dbconnections (spec §7; routes/dbconnections.ts, signup.ts): every error, the body parser's
 *   and the Origin check's too, is `{name, code, description, statusCode}`; `name` by status:
 *   400 `BadRequestError`, 403 `ForbiddenError` (sign-up disabled: `operation_not_allowed`
 *   "Signups are not allowed for this connection."), 429 `TooManyRequestsError` (…401, 404, 413,
 *   415 alike). Client and connection refusals reuse /passwordless/start's `bad.client_id` /
 *   `bad.connection` texts ("Unknown client" without echoing it; "Invalid connection strategy. It
 *   must be a database connection"); a missing or bad field is `invalid_body` (`Missing required
 *   property: <field>`, `email is not a valid email address`, the username rule's text,
 *   `user_metadata …` limits); a password over 72 bytes is `invalid_password` with the
 *   `PASSWORD_TOO_LONG` text of src/shared/signup-rules.ts (a string description, not
 *   password-sheriff's object), which core shows as the user's sentence.
 * - Sign-up: `username` sent to a connection without `requires_username` is refused
 *   (`invalid_body`); usernames are stored lower-case and unique, and no email may equal another
 *   account's username nor the reverse (a login looks both up). Profile texts: `name`/`nickname`
 *   ≤ 300, `given_name`/`family_name` ≤ 150 characters, no control or bidi characters; `picture`
 *   an http(s) URL ≤ 2048. `user_metadata` may also come as JSON text in a form body; a
 *   `__proto__`, `constructor` or `prototype` name is refused (in JSON the parser refuses
 *   `__proto__` first: 400 `invalid_request` `Malformed JSON body: …`). Other fields are ignored.
 * - Sign-up hashes the password before looking whether the address is taken, so a refusal for a
 *   taken address costs the same time as a success; `preventSignupEnumeration` (default false)
 *   answers `invalid_signup` "Invalid sign up" for a taken email or username.
 * - Sign-ups per IP address (an IPv6 /64): `limits.signupsPerIp` (20) per `signupWindowSeconds`
 *   (3600), every request counted whatever its answer → 429 `too_many_requests` "Too many
 *   sign-ups from this address. Retry in <n> s." with `Retry-After` and `X-RateLimit-*`.
 * - change_password: the same 200 for every address of a database connection the client may use
 *   (unknown client or connection and a bad email are still errors). Limits (config `email`,
 *   15 min windows): 5 per email address (known or not, counted across connections) and 30
 *   per IP → 429 `too_many_requests`. The email is not awaited; a webhook failure is only logged.
 * - Reset tickets (routes/reset-page.ts): 256 random bits, stored as SHA-256 in SQLite (they
 *   survive a restart), valid `email.resetTicketSeconds` (3600); a newer reset email retires the
 *   user's older links (only the newest works), setting the password by any way retires them
 *   all. Unknown, retired or used → 400 page "This link is not valid", expired → 410 "This link
 *   has expired"; neither names an account. The page's form fields are Auth0's `newPassword` and
 *   `confirmNewPassword`; a weak password → 400 with the form and each rule marked met/unmet; the
 *   ticket is spent only by a success. `POST /lo/reset` is exempt from the Origin check (the
 *   browser sends `Origin: null` under the page's `Referrer-Policy: no-referrer`).
 * - A reset submission hashes the new password first, then spends the ticket and sets the
 *   password in one transaction: a user deleted during the hash → 404 page "Your password was
 *   not changed" / "This account no longer exists."; a link used, retired or expired during it
 *   → the 400/410 page. Every error of `/lo/reset` (413, unreadable body 400, 415, 500) is an
 *   HTML page with the status kept ("The form was too large", "The form could not be read",
 *   "Your password was not changed"), never the JSON of the API routes.
 * - A password change (reset page, `users set-password`, even from another process) voids the
 *   user's pending `mfa_token`s: the right code then gets 403 `invalid_grant` `Malformed
 *   mfa_token`, as a dropped token does.
 */
import type { AddressInfo } from 'node:net';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { parseTenantConfig, type TenantConfig, type TenantConfigInput } from './config';
import { createContext, type TenantCounters } from './context';
import type { TenantDatabase } from './database';
import type { KeyStore } from './keys';
import { registerOriginCheck } from './origin';
import { registerClientScript } from './routes/client-script';
import { registerDbConnections } from './routes/dbconnections';
import { registerDelegation } from './routes/delegation';
import { registerDiscovery } from './routes/discovery';
import { registerOAuthToken } from './routes/oauth-token';
import { registerOutbox } from './routes/outbox';
import { registerPasswordless } from './routes/passwordless';
import { registerProfile } from './routes/profile';
import { registerResetPage, resetErrorPage, RESET_ROUTE } from './routes/reset-page';
import { registerResourceOwner } from './routes/resource-owner';
import { registerRevoke } from './routes/revoke';
import { registerStats } from './routes/stats';
import type { SmsCodes } from './sms';
import { TenantError } from './errors';
import { dbErrorBody } from './signup';
import type { PasswordConnection } from './types';

export { GRANT, MESSAGES } from '../shared/auth0-protocol';
export { safeEqual } from './request';

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

export interface TenantStats extends TenantCounters {
  /** Live access tokens in memory. */
  accessTokens: number;
  /** `mfa_token`s in memory, waiting for their TOTP code (expired ones until swept). */
  pendingMfaTokens: number;
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
  /** The secret `GET /__outbox` asks for (`Authorization: Bearer` or `?key=`), new at each start. */
  outboxKey: string;
  /** Password connections by name (database and AD). */
  connections: Map<string, PasswordConnection>;
  stats(): TenantStats;
  close(): Promise<void>;
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
    const ctx = await createContext(config, { dataDir: options.dataDir, log, now }, cleanups);

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

    app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
      // /dbconnections answers every error as `{name, code, description, statusCode}` (spec §7).
      const dbRoute = req.url.startsWith('/dbconnections/');
      // The reset page is opened by a person in a browser: a page, whatever went wrong.
      const resetPage = req.routeOptions.url === RESET_ROUTE;
      const answer = (status: number, body: Record<string, unknown>, headers = {}) =>
        resetPage
          ? resetErrorPage(reply, status)
          : reply
              .code(status)
              .headers(headers)
              .send(
                dbRoute && !('name' in body)
                  ? dbErrorBody(status, String(body.error), body.error_description)
                  : body,
              );
      if (err instanceof TenantError) return answer(err.status, err.toBody(), err.headers);
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return answer(413, {
          error: 'request_entity_too_large',
          error_description: `the request body is larger than ${config.limits.bodyLimit} bytes`,
        });
      }
      if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        return answer(415, {
          error: 'invalid_request',
          error_description:
            'Content-Type must be application/json or application/x-www-form-urlencoded',
        });
      }
      if (
        err.statusCode === 400 &&
        (err instanceof SyntaxError || err.code?.startsWith('FST_ERR_CTP'))
      ) {
        return answer(400, {
          error: 'invalid_request',
          error_description: `Malformed JSON body: ${err.message}`,
        });
      }
      if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
        return answer(err.statusCode, { error: 'invalid_request', error_description: err.message });
      }
      log(`tenant: internal error: ${err.name}: ${err.message}`);
      return answer(500, { error: 'server_error', error_description: 'Internal error' });
    });

    app.setNotFoundHandler((_req, reply) => {
      reply.code(404).send({
        statusCode: 404,
        error: 'Not Found',
        message: 'Not Found',
        error_description: 'Not Found',
      });
    });

    registerStats(app, ctx);
    registerOriginCheck(app, ctx);
    registerResourceOwner(app, ctx);
    registerPasswordless(app, ctx);
    registerDbConnections(app, ctx);
    registerResetPage(app, ctx);
    registerOutbox(app, ctx);
    registerDiscovery(app, ctx);
    registerProfile(app, ctx);
    registerDelegation(app, ctx);
    registerRevoke(app, ctx);
    registerOAuthToken(app, ctx);
    registerClientScript(app, ctx);

    // ---------------------------------------------------------------- listen
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address() as AddressInfo;
    const scheme = options.tls ? 'https' : 'http';
    const shownHost =
      config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '::1' : config.host;
    const url = `${scheme}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${address.port}`;
    const issuer = `${(config.publicUrl ?? url).replace(/\/+$/, '')}/`;
    ctx.issuer = issuer;

    let closed: Promise<void> | undefined;
    return {
      url,
      issuer,
      config,
      app,
      db: ctx.db,
      keys: ctx.keys,
      sms: ctx.sms,
      outboxKey: ctx.sms.outboxKey,
      connections: ctx.passwordConnections,
      stats: () => ({
        ...ctx.counters,
        accessTokens: ctx.accessTokens.size,
        pendingMfaTokens: ctx.mfaTokens.size,
      }),
      close: () => (closed ??= runCleanups()),
    };
  } catch (err) {
    await runCleanups();
    throw err;
  }
}
