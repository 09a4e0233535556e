/**
 * Sessions of the local tenant over real HTTP (issue 9, items 3, 4, 5 and 7d): signing out ends
 * every token of the session, an id_token never renews itself past its session or into a refresh
 * token, blocking a user or changing the password cuts its tokens, a renewal never widens the
 * scope or hops to a client the user may not use, and browsers of other origins cannot POST.
 * The tenant runs on an injectable clock, moved forward to reach a session's end.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_DATABASE,
  demoConfig,
  parseTenantConfig,
  TenantConfigError,
  type TenantConfig,
} from '../../src/tenant/config';
import { createTenant, type Tenant } from '../../src/tenant/server';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../src/tenant/database';
import { ADA } from '../fixtures/demo';
import {
  expectError,
  getFrom,
  postTo,
  startTestTenant,
  type TenantResponse,
} from '../fixtures/tenant';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ID_TOKEN_LIFETIME = 36000;
const SESSION_LIFETIME = 30 * 24 * 3600;
const WEB_ORIGIN = 'https://app.signet.test';
const HOUR = 3600_000;

let tenant: Tenant;
let dataDir: string;
/** How far the tenant's clock is ahead of the real one (ms). */
let offset = 0;
/** When set, the tenant's clock stands still at this time (ms). */
let frozen: number | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'signet-tenant-sessions-'));
  const demo = demoConfig();
  const config: TenantConfig = {
    ...demo,
    port: 0,
    connections: demo.connections.filter((c) => c.name !== 'corp-ldap'),
    clients: [
      ...demo.clients.map((c) =>
        c.client_id === 'signet-demo' ? { ...c, web_origins: [WEB_ORIGIN] } : c,
      ),
      {
        client_id: 'other-app',
        name: 'Another legacy app',
        alg: 'RS256',
        legacyGrant: true,
        oidcConformant: false,
      },
      {
        client_id: 'sms-only-app',
        name: 'An app for SMS users only',
        alg: 'RS256',
        legacyGrant: true,
        oidcConformant: false,
        connections: ['sms'],
      },
    ],
  };
  tenant = await createTenant(config, { dataDir, now: () => frozen ?? Date.now() + offset });
});
afterAll(async () => {
  await tenant?.close();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  offset = 0;
  frozen = undefined;
});

const post = (path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  postTo(tenant.url, path, body, { headers });

let users = 0;
/** A fresh database user (each test its own, so blocks and password changes stay local). */
async function newUser(): Promise<{ email: string; password: string; user_id: string }> {
  users += 1;
  const email = `session-${users}@signet.test`;
  const password = `Session-Password-${users}`;
  const { user_id } = await tenant.db.createUser({ connection: DEMO_DATABASE, email, password }, 4);
  return { email, password, user_id };
}

/** /oauth/ro password sign-in on signet-demo; `device` makes `offline_access` give a refresh token. */
async function signIn(
  user: { email: string; password: string },
  scope: string,
  device?: string,
): Promise<{ access_token: string; id_token: string; refresh_token?: string }> {
  const res = await post('/oauth/ro', {
    client_id: 'signet-demo',
    connection: DEMO_DATABASE,
    grant_type: 'password',
    username: user.email,
    password: user.password,
    scope,
    ...(device ? { device } : {}),
  });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

const jwtBearer = (id_token: string, scope = 'openid', extra: Record<string, unknown> = {}) =>
  post('/oauth/ro', {
    client_id: 'signet-demo',
    grant_type: JWT_BEARER,
    id_token,
    device: 'laptop',
    scope,
    ...extra,
  });
const delegate = (
  token: { id_token?: string; refresh_token?: string },
  extra: Record<string, unknown> = {},
) =>
  post('/delegation', {
    client_id: 'signet-demo',
    grant_type: JWT_BEARER,
    api_type: 'app',
    ...token,
    ...extra,
  });
const refreshGrant = (refresh_token: string, extra: Record<string, unknown> = {}) =>
  post('/oauth/token', {
    grant_type: 'refresh_token',
    client_id: 'signet-demo',
    refresh_token,
    ...extra,
  });
const userinfo = (access_token: string) =>
  getFrom(tenant.url, '/userinfo', { authorization: `Bearer ${access_token}` });
const tokeninfo = (id_token: string) => post('/tokeninfo', { id_token });
const exp = (idToken: string) => decodeJwt(idToken).exp!;
const refused = (res: TenantResponse) => res.status >= 400 && res.status < 500;

describe('signing out ends the session', () => {
  it('after /oauth/revoke of the refresh token, jwt-bearer and /delegation refuse the session’s id_tokens', async () => {
    const user = await newUser();
    const tokens = await signIn(user, 'openid offline_access', 'laptop');
    // Before: the id_token renews (and a renewed one is of the same session).
    const renewed = await delegate({ id_token: tokens.id_token });
    expect(renewed.status, renewed.text).toBe(200);
    expect((await jwtBearer(tokens.id_token)).status).toBe(200);

    const revoke = await post('/oauth/revoke', {
      client_id: 'signet-demo',
      token: tokens.refresh_token!,
    });
    expect(revoke.status).toBe(200);

    for (const idToken of [tokens.id_token, renewed.body.id_token as string]) {
      const bearer = await jwtBearer(idToken, 'openid offline_access');
      expect(bearer.status, bearer.text).toBe(400);
      expect(bearer.body.error).toBe('invalid_grant');
      expect(bearer.body).not.toHaveProperty('refresh_token');
      const delegation = await delegate({ id_token: idToken });
      expect(delegation.status, delegation.text).toBe(401);
      expect(delegation.body.error).toBe('unauthorized');
      expect((await tokeninfo(idToken)).status).toBe(401);
    }
    // The access token of the signed-out session is refused as well.
    expect((await userinfo(tokens.access_token)).status).toBe(401);
  });

  it('a sign-in given the very id_token of a signed-out session (same second) keeps it valid; the old session stays ended', async () => {
    const user = await newUser();
    frozen = Date.now();
    const first = await signIn(user, 'openid offline_access', 'laptop');
    expect(
      (await post('/oauth/revoke', { client_id: 'signet-demo', token: first.refresh_token! }))
        .status,
    ).toBe(200);
    const second = await signIn(user, 'openid offline_access', 'laptop');
    // RS256 signs deterministically: same user, claims and second give the same token.
    expect(second.id_token).toBe(first.id_token);
    expect((await tokeninfo(second.id_token)).status).toBe(200);
    expect((await jwtBearer(second.id_token)).status).toBe(200);
    // The first session's other tokens stay ended.
    expect((await userinfo(first.access_token)).status).toBe(401);
    expect(
      (await post('/oauth/revoke', { client_id: 'signet-demo', token: second.refresh_token! }))
        .status,
    ).toBe(200);
    expect((await tokeninfo(second.id_token)).status).toBe(401);
  });

  it('an id_token renewed through /delegation never expires after its session, so it cannot renew itself forever', async () => {
    const user = await newUser();
    // No refresh token: the session ends with the first id_token.
    const { id_token } = await signIn(user, 'openid');
    const sessionEnd = exp(id_token);

    offset = 9 * HOUR;
    const renewed = await delegate({ id_token });
    expect(renewed.status, renewed.text).toBe(200);
    expect(exp(renewed.body.id_token)).toBeLessThanOrEqual(sessionEnd);
    expect(renewed.body.expires_in).toBeLessThanOrEqual(ID_TOKEN_LIFETIME - 9 * 3600 + 1);
    const bearer = await jwtBearer(renewed.body.id_token);
    expect(bearer.status, bearer.text).toBe(200);
    expect(exp(bearer.body.id_token)).toBeLessThanOrEqual(sessionEnd);

    // Past the session's end, nothing renewed in it renews again.
    offset = ID_TOKEN_LIFETIME * 1000 + 60_000;
    for (const token of [renewed.body.id_token as string, bearer.body.id_token as string]) {
      expect((await delegate({ id_token: token })).status).toBe(401);
      expect((await jwtBearer(token)).status).toBe(400);
    }
  });

  it('a session with a refresh token lasts 30 days from its sign-in: renewals are cut at its end, then refused', async () => {
    const user = await newUser();
    const signedInAt = Math.floor(Date.now() / 1000);
    const { refresh_token } = await signIn(user, 'openid offline_access', 'laptop');

    offset = SESSION_LIFETIME * 1000 - 2 * HOUR;
    const late = await delegate({ refresh_token: refresh_token! });
    expect(late.status, late.text).toBe(200);
    expect(exp(late.body.id_token)).toBeLessThanOrEqual(signedInAt + SESSION_LIFETIME + 1);
    const modern = await refreshGrant(refresh_token!);
    expect(modern.status, modern.text).toBe(200);
    expect(exp(modern.body.id_token)).toBeLessThanOrEqual(signedInAt + SESSION_LIFETIME + 1);

    offset = SESSION_LIFETIME * 1000 + 60_000;
    expect((await delegate({ refresh_token: refresh_token! })).status).toBe(401);
    expect((await refreshGrant(refresh_token!)).status).toBe(403);
    expect((await jwtBearer(late.body.id_token)).status).toBe(400);
  });

  it('jwt-bearer with offline_access and a device gives no refresh token', async () => {
    const user = await newUser();
    const { id_token } = await signIn(user, 'openid offline_access', 'laptop');
    const res = await jwtBearer(id_token, 'openid offline_access');
    expect(res.status, res.text).toBe(200);
    expect(res.body.access_token).toEqual(expect.any(String));
    expect(res.body.id_token).toEqual(expect.any(String));
    expect(res.body).not.toHaveProperty('refresh_token');
  });
});

describe('blocking a user or changing the password cuts existing tokens', () => {
  it('a blocked user’s tokens are refused by /userinfo, /tokeninfo, /delegation and refresh while blocked', async () => {
    const user = await newUser();
    const tokens = await signIn(user, 'openid email offline_access', 'laptop');
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    expect((await tokeninfo(tokens.id_token)).status).toBe(200);

    tenant.db.setBlocked(user.user_id, true);
    const info = await userinfo(tokens.access_token);
    expectError(info, 401, 'invalid_token', 'user is blocked');
    expect((await tokeninfo(tokens.id_token)).status).toBe(401);
    expect((await delegate({ id_token: tokens.id_token })).status).toBe(401);
    const delegation = await delegate({ refresh_token: tokens.refresh_token! });
    expect(delegation.body).toEqual({
      error: 'unauthorized',
      error_description: 'user is blocked',
    });
    expect((await refreshGrant(tokens.refresh_token!)).body).toEqual({
      error: 'unauthorized',
      error_description: 'user is blocked',
    });
    expect(refused(await jwtBearer(tokens.id_token))).toBe(true);

    // A block is reversible (as Auth0's): unblocked, the user's session works again.
    tenant.db.setBlocked(user.user_id, false);
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    expect((await refreshGrant(tokens.refresh_token!)).status).toBe(200);
  });

  it('a password change revokes the user’s refresh tokens and ends its sessions', async () => {
    const user = await newUser();
    const tokens = await signIn(user, 'openid offline_access', 'laptop');
    const other = await signIn(user, 'openid offline_access', 'desktop');
    expect((await refreshGrant(other.refresh_token!)).status).toBe(200);

    await tenant.db.setPassword(user.user_id, 'Changed-Password-1', 4);
    for (const t of [tokens, other]) {
      const refresh = await refreshGrant(t.refresh_token!);
      expectError(refresh, 403, 'invalid_grant', 'Unknown or invalid refresh token.');
      expect((await delegate({ refresh_token: t.refresh_token! })).status).toBe(401);
      expect((await jwtBearer(t.id_token)).status).toBe(400);
      expect((await userinfo(t.access_token)).status).toBe(401);
    }
    const fresh = await signIn(
      { ...user, password: 'Changed-Password-1' },
      'openid offline_access',
      'laptop',
    );
    expect((await refreshGrant(fresh.refresh_token!)).status).toBe(200);
  });

  it('the tenant CLI’s `users block` and `users set-password`, run beside the tenant, cut the tokens too', async () => {
    const cli = (args: string[], input = '') =>
      spawnSync('npx', ['tsx', 'src/tenant/cli.ts', ...args, '--data-dir', dataDir], {
        cwd: join(__dirname, '..', '..'),
        input,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const blocked = await newUser();
    const b = await signIn(blocked, 'openid offline_access', 'laptop');
    const changed = await newUser();
    const c = await signIn(changed, 'openid offline_access', 'laptop');

    const block = cli(['users', 'block', blocked.email]);
    expect(block.status, block.stderr).toBe(0);
    const setPassword = cli(['users', 'set-password', changed.email], 'Changed-By-Cli-1\n');
    expect(setPassword.status, setPassword.stderr).toBe(0);

    expect((await userinfo(b.access_token)).status).toBe(401);
    expect((await delegate({ refresh_token: b.refresh_token! })).status).toBe(401);
    expect((await refreshGrant(c.refresh_token!)).status).toBe(403);
    expect((await delegate({ id_token: c.id_token })).status).toBe(401);
  });
});

describe('no scope widening, no client hopping', () => {
  it('a refresh asking for more scope than was granted is refused; the same or a narrower scope is granted', async () => {
    const user = await newUser();
    const { refresh_token } = await signIn(user, 'openid offline_access', 'laptop');
    const wider = await refreshGrant(refresh_token!, {
      scope: 'openid profile email offline_access',
    });
    expect(wider.status, wider.text).toBe(400);
    expect(wider.body.error).toBe('invalid_scope');
    expect(wider.body).not.toHaveProperty('access_token');

    const narrower = await refreshGrant(refresh_token!, { scope: 'openid' });
    expect(narrower.status, narrower.text).toBe(200);
    expect(narrower.body.scope).toBe('openid');
    const same = await refreshGrant(refresh_token!);
    expect(same.status).toBe(200);
    expect(same.body.scope).toBe('openid offline_access');
  });

  it('/delegation and jwt-bearer asking for claims the session was not granted are refused', async () => {
    const user = await newUser();
    const { id_token, refresh_token } = await signIn(
      user,
      'openid nickname offline_access',
      'laptop',
    );
    for (const res of [
      await delegate({ refresh_token: refresh_token! }, { scope: 'openid profile' }),
      await delegate({ id_token }, { scope: 'openid email' }),
      await jwtBearer(id_token, 'openid profile'),
    ]) {
      expect(res.status, res.text).toBe(400);
      expect(res.body.error).toBe('invalid_scope');
    }
    const granted = await delegate({ refresh_token: refresh_token! }, { scope: 'openid nickname' });
    expect(granted.status, granted.text).toBe(200);
    expect(decodeJwt(granted.body.id_token).nickname).toBe(user.email.split('@')[0]);
  });

  it('/delegation refuses a target that is unknown, may not use the legacy grants, or excludes the user’s connection', async () => {
    const user = await newUser();
    const { id_token, refresh_token } = await signIn(user, 'openid offline_access', 'laptop');
    const allowed = await delegate({ id_token }, { target: 'other-app' });
    expect(allowed.status, allowed.text).toBe(200);
    expect(decodeJwt(allowed.body.id_token).aud).toBe('other-app');

    for (const target of ['no-such-app', 'signet-modern', 'sms-only-app']) {
      for (const token of [{ id_token }, { refresh_token: refresh_token! }]) {
        const res = await delegate(token, { target });
        expect(refused(res), `${target}: ${res.text}`).toBe(true);
        expect(res.body).not.toHaveProperty('id_token');
      }
    }
  });
});

describe('browsers of other origins cannot POST', () => {
  const roBody = async () => {
    const user = await newUser();
    return {
      client_id: 'signet-demo',
      connection: DEMO_DATABASE,
      grant_type: 'password',
      username: user.email,
      password: user.password,
      scope: 'openid',
    };
  };

  it('refuses /oauth/ro, /oauth/token, /delegation, /oauth/revoke and /passwordless/start from an evil Origin', async () => {
    const evil = { origin: 'https://evil.example' };
    const ro = await post('/oauth/ro', await roBody(), evil);
    expectError(ro, 403, 'access_denied', 'Origin https://evil.example is not allowed');
    const user = await newUser();
    const tokens = await signIn(user, 'openid offline_access', 'laptop');
    for (const [path, body] of [
      [
        '/oauth/token',
        {
          grant_type: 'refresh_token',
          client_id: 'signet-demo',
          refresh_token: tokens.refresh_token,
        },
      ],
      [
        '/delegation',
        { client_id: 'signet-demo', grant_type: JWT_BEARER, id_token: tokens.id_token },
      ],
      ['/oauth/revoke', { client_id: 'signet-demo', token: tokens.refresh_token }],
      [
        '/passwordless/start',
        { client_id: 'signet-demo', connection: 'sms', phone_number: '+14155550123', send: 'code' },
      ],
      ['/tokeninfo', { id_token: tokens.id_token }],
    ] as const) {
      const res = await post(path, body, evil);
      expect(res.status, path).toBe(403);
      expect(res.body.error, path).toBe('access_denied');
    }
    // Nothing happened: the refresh token still works and no SMS was sent.
    expect((await refreshGrant(tokens.refresh_token!)).status).toBe(200);
    expect(await tenant.sms.outbox('+14155550123')).toEqual([]);
    // Another client's web origin, `null` and a look-alike are no better.
    for (const origin of ['null', `${WEB_ORIGIN}.evil.example`, 'http://app.signet.test']) {
      expect((await post('/oauth/ro', await roBody(), { origin })).status, origin).toBe(403);
    }
    expect(
      (
        await post(
          '/oauth/ro',
          { ...(await roBody()), client_id: 'other-app' },
          { origin: WEB_ORIGIN },
        )
      ).status,
    ).toBe(403);
  });

  it('answers CORS for the clients’ web origins only: preflight, and the header on answers', async () => {
    const preflight = (path: string, origin: string) =>
      fetch(`${tenant.url}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, auth0-client',
        },
      });
    const ok = await preflight('/oauth/ro', WEB_ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);
    expect(ok.headers.get('access-control-allow-methods')).toMatch(/\bPOST\b/);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/Content-Type.*Auth0-Client/i);
    for (const [path, origin] of [
      ['/oauth/ro', 'https://evil.example'],
      ['/oauth/ro', `${WEB_ORIGIN}.evil.example`],
      ['/oauth/ro', 'null'],
      ['/__outbox', WEB_ORIGIN],
      ['/__stats', WEB_ORIGIN],
    ] as const) {
      const res = await preflight(path, origin);
      expect(res.status, `${path} ${origin}`).toBe(403);
      expect(res.headers.get('access-control-allow-origin'), `${path} ${origin}`).toBeNull();
    }
    const signedIn = await fetch(`${tenant.url}/oauth/ro`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: WEB_ORIGIN },
      body: JSON.stringify(await roBody()),
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);
    expect(signedIn.headers.get('vary')).toMatch(/Origin/);
    const jwks = (origin?: string) =>
      fetch(`${tenant.url}/.well-known/jwks.json`, { headers: origin ? { origin } : {} });
    expect((await jwks(WEB_ORIGIN)).headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);
    expect(
      (await jwks('https://evil.example')).headers.get('access-control-allow-origin'),
    ).toBeNull();
    expect((await jwks()).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('accepts no Origin (native clients), an allowed web origin of the client and the tenant’s own origin', async () => {
    const cases: Array<Record<string, string>> = [
      {},
      { origin: WEB_ORIGIN },
      { origin: tenant.url },
    ];
    for (const headers of cases) {
      const res = await post('/oauth/ro', await roBody(), headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(res.body.id_token).toEqual(expect.any(String));
    }
    // GETs are not state-changing: an Origin does not matter.
    expect(
      (await getFrom(tenant.url, '/.well-known/jwks.json', { origin: 'https://evil.example' }))
        .status,
    ).toBe(200);
  });

  it('takes only origins (scheme://host[:port]) as a client’s web_origins', () => {
    const withOrigins = (web_origins: string[]) => {
      const demo = demoConfig();
      return parseTenantConfig({
        ...demo,
        clients: [{ ...demo.clients[0]!, web_origins }],
      });
    };
    expect(
      withOrigins(['https://app.example.com', 'http://localhost:3000']).clients[0]!.web_origins,
    ).toHaveLength(2);
    for (const bad of [
      'https://app.example.com/callback',
      'app.example.com',
      'ftp://app.example.com',
    ]) {
      expect(() => withOrigins([bad]), bad).toThrow(TenantConfigError);
      expect(() => withOrigins([bad]), bad).toThrow(/clients\.0\.web_origins\.0/);
    }
  });
});

describe('a tenant database from before id_tokens were recorded per session', () => {
  it('gets the new key at start: its recorded id_tokens end, a new sign-in’s work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signet-tenant-idtokens-'));
    const signInOn = async (url: string) => {
      const res = await postTo(url, '/oauth/ro', {
        client_id: 'signet-demo',
        connection: DEMO_DATABASE,
        grant_type: 'password',
        ...ADA,
        scope: 'openid',
      });
      expect(res.status, res.text).toBe(200);
      return res.body.id_token as string;
    };
    try {
      const old = await startTestTenant({ corpLdap: false, dataDir: dir });
      const before = await signInOn(old.url);
      await old.close();
      // The table as an older tenant left it: one session per token.
      const file = new Database(join(dir, DATABASE_FILE));
      const rows = file.prepare('SELECT token_hash, session_id FROM id_tokens').all();
      file.exec(`DROP TABLE id_tokens;
        CREATE TABLE id_tokens (token_hash TEXT PRIMARY KEY, session_id TEXT NOT NULL);
        CREATE INDEX id_tokens_session ON id_tokens(session_id);`);
      const insert = file.prepare('INSERT INTO id_tokens VALUES (@token_hash, @session_id)');
      for (const row of rows) insert.run(row);
      file.close();

      const t = await startTestTenant({ corpLdap: false, dataDir: dir });
      try {
        expect((await postTo(t.url, '/tokeninfo', { id_token: before })).status).toBe(401);
        const after = await signInOn(t.url);
        expect((await postTo(t.url, '/tokeninfo', { id_token: after })).status).toBe(200);
      } finally {
        await t.close();
      }
      const key = new Database(join(dir, DATABASE_FILE)).pragma('table_info(id_tokens)') as Array<{
        name: string;
        pk: number;
      }>;
      expect(key.filter((c) => c.pk > 0).map((c) => c.name)).toEqual(['token_hash', 'session_id']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
