/**
 * The local tenant's refresh-token rotation (spec §9; issue 11 §4) and the request counts tests
 * read from it (`GET /__stats`), over real HTTP on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseTenantConfig, rotationOf } from '../../src/tenant/config';
import { DATABASE_FILE } from '../../src/tenant/database';
import { ADA, MODERN_CLIENT, ROTATING_CLIENT } from '../fixtures/demo';
import {
  addDbUser,
  configRefusal,
  getFrom,
  postTo,
  startTestTenant,
  type TenantResponse,
  type TestTenant,
} from '../fixtures/tenant';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const PASSWORD_REALM = 'http://auth0.com/oauth/grant-type/password-realm';
const DATABASE = 'Username-Password-Authentication';
/** The columns of `refresh_tokens` before rotation (the session migration's file). */
const OLD_REFRESH_COLUMNS = [
  'token_hash',
  'user_id',
  'connection',
  'client_id',
  'device',
  'scope',
  'created_at',
  'revoked_at',
  'session_id',
];

/** A GET whose `Host` header the test chooses (fetch would not send a foreign one). */
function rawGet(url: string, path: string, headers: Record<string, string>) {
  const { hostname, port } = new URL(url);
  return new Promise<TenantResponse>((resolve, reject) => {
    const req = request({ host: hostname, port, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: new Headers(), text, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /__stats', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await startTestTenant({ corpLdap: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts every request by method and route, and the grants of /oauth/ro, /oauth/token and /delegation as sent', async () => {
    const post = (path: string, body: Record<string, unknown>) => postTo(t.url, path, body);
    const signIn = await post('/oauth/ro', {
      client_id: 'signet-demo',
      connection: DATABASE,
      grant_type: 'password',
      ...ADA,
      scope: 'openid offline_access',
      device: 'laptop',
    });
    expect(signIn.status, signIn.text).toBe(200);
    const refreshToken = signIn.body.refresh_token as string;
    for (let i = 0; i < 2; i++) {
      const refresh = await post('/oauth/token', {
        grant_type: 'refresh_token',
        client_id: 'signet-demo',
        refresh_token: refreshToken,
      });
      expect(refresh.status, refresh.text).toBe(200);
    }
    // A refused grant counts as well: the count is of requests, whatever their answer.
    const wrong = await post('/oauth/token', {
      grant_type: PASSWORD_REALM,
      client_id: 'signet-modern',
      realm: DATABASE,
      username: ADA.username,
      password: 'not-the-password',
    });
    expect(wrong.status).toBe(403);
    const delegation = await post('/delegation', {
      client_id: 'signet-demo',
      grant_type: JWT_BEARER,
      refresh_token: refreshToken,
      api_type: 'app',
    });
    expect(delegation.status, delegation.text).toBe(200);
    expect((await getFrom(t.url, '/.well-known/jwks.json')).status).toBe(200);
    expect((await getFrom(t.url, '/no/such/route')).status).toBe(404);

    const stats = await t.stats();
    expect(stats).toEqual({
      requests: {
        'POST /oauth/ro': 1,
        'POST /oauth/token': 3,
        'POST /delegation': 1,
        'GET /.well-known/jwks.json': 1,
        'GET (no route)': 1,
      },
      grants: {
        '/oauth/ro': { password: 1 },
        '/oauth/token': { refresh_token: 2, [PASSWORD_REALM]: 1 },
        '/delegation': { [JWT_BEARER]: 1 },
      },
    });
    // Reading the counts is not counted.
    expect(await t.stats()).toEqual(stats);
  });

  it('answers only with the key the tenant printed at start, and only to requests addressed to this machine', async () => {
    const port = new URL(t.url).port;
    const key = { authorization: `Bearer ${t.tenant.outboxKey}` };
    const refusedHeaders: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer guess' },
      { authorization: `Basic ${t.tenant.outboxKey}` },
      { ...key, host: 'evil.example' },
      { ...key, host: `127.0.0.1.evil.example:${port}` },
      { ...key, 'x-forwarded-for': '192.0.2.10' },
    ];
    for (const headers of refusedHeaders) {
      const res = await rawGet(t.url, '/__stats', headers);
      expect([headers, res.status]).toEqual([headers, 403]);
      expect(res.body).toMatchObject({ error: 'access_denied' });
      expect(res.body).not.toHaveProperty('grants');
    }
    // From another machine (in-process, so the address can be one no local socket has).
    const remote = await t.tenant.app.inject({
      method: 'GET',
      url: '/__stats',
      remoteAddress: '192.0.2.10',
      headers: key,
    });
    expect(remote.statusCode).toBe(403);
    const local = await rawGet(t.url, '/__stats', { ...key, host: `localhost:${port}` });
    expect(local.status).toBe(200);
    expect(local.body).toHaveProperty('requests');
  });
});

describe('refresh-token rotation', () => {
  let t: TestTenant;
  /** How far the tenant's clock is ahead of the real one (ms). */
  let offset = 0;
  const OVERLAP_SECONDS = 30;
  beforeAll(async () => {
    t = await startTestTenant({
      corpLdap: false,
      now: () => Date.now() + offset,
      clients: [
        {
          client_id: 'rotating-overlap',
          name: 'Rotation with an overlap period',
          legacyGrant: false,
          oidcConformant: true,
          rotateRefreshTokens: true,
          rotationOverlapSeconds: OVERLAP_SECONDS,
        },
        {
          client_id: 'legacy-rotating',
          name: 'A legacy client with rotation on',
          legacyGrant: true,
          rotateRefreshTokens: true,
        },
      ],
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    offset = 0;
  });

  const post = (path: string, body: Record<string, unknown>) => postTo(t.url, path, body);
  interface Tokens {
    access_token: string;
    id_token: string;
    refresh_token?: string;
  }
  let users = 0;
  /**
   * A fresh user. (Two sign-ins of one user and client in the same second get the same id_token,
   * recorded in the first session only: each family here gets its own user, so an id_token
   * tells its session.)
   */
  async function newUser(): Promise<{ username: string; password: string }> {
    users += 1;
    const user = { username: `rotation-${users}@signet.test`, password: `Rotation-${users}-pw` };
    await addDbUser(t, { email: user.username, password: user.password });
    return user;
  }
  /** A password-realm sign-in of a fresh user (or `user`) with a refresh token, on `client`. */
  async function signIn(
    client: string,
    user?: { username: string; password: string },
  ): Promise<Tokens & { refresh_token: string }> {
    const res = await post('/oauth/token', {
      grant_type: PASSWORD_REALM,
      client_id: client,
      realm: DATABASE,
      ...(user ?? (await newUser())),
      scope: 'openid profile offline_access',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.refresh_token).toEqual(expect.any(String));
    return res.body;
  }
  const refresh = (client: string, refresh_token: string) =>
    post('/oauth/token', { grant_type: 'refresh_token', client_id: client, refresh_token });
  /** A refresh that must succeed; answers its tokens. */
  async function refreshed(client: string, refresh_token: string): Promise<Tokens> {
    const res = await refresh(client, refresh_token);
    expect(res.status, res.text).toBe(200);
    return res.body;
  }
  const expectUnknown = (res: TenantResponse) => {
    expect(res.status, res.text).toBe(403);
    expect(res.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Unknown or invalid refresh token.',
    });
  };
  const userinfo = (access_token: string) =>
    getFrom(t.url, '/userinfo', { authorization: `Bearer ${access_token}` });
  const tokeninfo = (id_token: string) => post('/tokeninfo', { id_token });
  /** Every token of `sets` is refused as a revoked session's is. */
  async function expectFamilyRevoked(client: string, sets: Tokens[]) {
    for (const tokens of sets) {
      if (tokens.refresh_token) expectUnknown(await refresh(client, tokens.refresh_token));
      expect((await userinfo(tokens.access_token)).status).toBe(401);
      expect((await tokeninfo(tokens.id_token)).status).toBe(401);
    }
  }

  it('the demo client signet-rotating answers each refresh with a new refresh token of the same session and refuses the one presented', async () => {
    const before = (await t.stats()).grants['/oauth/token']?.refresh_token ?? 0;
    const first = await signIn(ROTATING_CLIENT);
    const second = await refreshed(ROTATING_CLIENT, first.refresh_token);
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await userinfo(second.access_token)).status).toBe(200);
    expect((await tokeninfo(second.id_token)).status).toBe(200);
    // The new token rotates in turn; the sign-in's tokens are still of the live session.
    const third = await refreshed(ROTATING_CLIENT, second.refresh_token!);
    expect(third.refresh_token).not.toBe(second.refresh_token);
    expect((await userinfo(first.access_token)).status).toBe(200);

    expectUnknown(await refresh(ROTATING_CLIENT, second.refresh_token!));
    // Two refresh grants answered, one refused: the tenant counted three.
    expect((await t.stats()).grants['/oauth/token']?.refresh_token).toBe(before + 3);
  });

  it('presenting a retired refresh token revokes the whole family: the newest refresh token, and the session’s access and id tokens', async () => {
    const user = await newUser();
    const first = await signIn(ROTATING_CLIENT, user);
    const second = await refreshed(ROTATING_CLIENT, first.refresh_token);
    // Another session of the same user is not of the family (a second later: see newUser).
    offset = 1000;
    const other = await signIn(ROTATING_CLIENT, user);

    expectUnknown(await refresh(ROTATING_CLIENT, first.refresh_token));
    await expectFamilyRevoked(ROTATING_CLIENT, [first, second]);

    expect((await userinfo(other.access_token)).status).toBe(200);
    expect((await tokeninfo(other.id_token)).status).toBe(200);
    expect((await refreshed(ROTATING_CLIENT, other.refresh_token)).refresh_token).toEqual(
      expect.any(String),
    );
  });

  it('two refreshes of one token at once (overlap 0): the second is a reuse, so the family is revoked', async () => {
    const first = await signIn(ROTATING_CLIENT);
    const answers = await Promise.all([
      refresh(ROTATING_CLIENT, first.refresh_token),
      refresh(ROTATING_CLIENT, first.refresh_token),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 403]);
    const winner = answers.find((a) => a.status === 200)!.body as Tokens;
    await expectFamilyRevoked(ROTATING_CLIENT, [first, winner]);
  });

  it('within the overlap period the previous token gets a fresh answer and the family stays intact; after it, the previous token revokes the family', async () => {
    const first = await signIn('rotating-overlap');
    const second = await refreshed('rotating-overlap', first.refresh_token);
    offset = (OVERLAP_SECONDS - 5) * 1000;
    const again = await refreshed('rotating-overlap', first.refresh_token);
    expect(again.refresh_token).toEqual(expect.any(String));
    expect([first.refresh_token, second.refresh_token]).not.toContain(again.refresh_token);
    expect((await userinfo(again.access_token)).status).toBe(200);
    // Both answers' refresh tokens carry the session on.
    expect((await refreshed('rotating-overlap', second.refresh_token!)).refresh_token).toEqual(
      expect.any(String),
    );
    expect((await refreshed('rotating-overlap', again.refresh_token!)).refresh_token).toEqual(
      expect.any(String),
    );

    const late = await signIn('rotating-overlap');
    offset = 0;
    const lateSecond = await refreshed('rotating-overlap', late.refresh_token);
    offset = (OVERLAP_SECONDS + 1) * 1000;
    expectUnknown(await refresh('rotating-overlap', late.refresh_token));
    await expectFamilyRevoked('rotating-overlap', [late, lateSecond]);
  });

  it('within the overlap period only the immediately previous token is accepted: an older one revokes the family', async () => {
    const first = await signIn('rotating-overlap');
    const second = await refreshed('rotating-overlap', first.refresh_token);
    const third = await refreshed('rotating-overlap', second.refresh_token!);
    offset = 5_000;
    expectUnknown(await refresh('rotating-overlap', first.refresh_token));
    await expectFamilyRevoked('rotating-overlap', [second, third]);
  });

  it('signing out with a retired refresh token of the family ends the session too', async () => {
    const first = await signIn(ROTATING_CLIENT);
    const second = await refreshed(ROTATING_CLIENT, first.refresh_token);
    const revoke = await post('/oauth/revoke', {
      client_id: ROTATING_CLIENT,
      token: first.refresh_token,
    });
    expect(revoke.status).toBe(200);
    await expectFamilyRevoked(ROTATING_CLIENT, [first, second]);
  });

  it('a client without rotation keeps its refresh token: each refresh answers no new one and the token goes on working', async () => {
    const first = await signIn(MODERN_CLIENT);
    for (let i = 0; i < 3; i++) {
      const res = await refreshed(MODERN_CLIENT, first.refresh_token);
      expect(res).not.toHaveProperty('refresh_token');
      expect((await userinfo(res.access_token)).status).toBe(200);
    }
  });

  it('/delegation never rotates, even for a client with rotation on; its refresh_token grant does', async () => {
    const signIn = await post('/oauth/ro', {
      client_id: 'legacy-rotating',
      connection: DATABASE,
      grant_type: 'password',
      ...ADA,
      scope: 'openid offline_access',
      device: 'laptop',
    });
    expect(signIn.status, signIn.text).toBe(200);
    const token = signIn.body.refresh_token as string;
    for (let i = 0; i < 2; i++) {
      const res = await post('/delegation', {
        client_id: 'legacy-rotating',
        grant_type: JWT_BEARER,
        refresh_token: token,
        api_type: 'app',
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body).not.toHaveProperty('refresh_token');
    }
    const rotated = await refreshed('legacy-rotating', token);
    expect(rotated.refresh_token).toEqual(expect.any(String));
    // The retired token is a reuse at /delegation too.
    const reuse = await post('/delegation', {
      client_id: 'legacy-rotating',
      grant_type: JWT_BEARER,
      refresh_token: token,
      api_type: 'app',
    });
    expect(reuse.status).toBe(401);
    expectUnknown(await refresh('legacy-rotating', rotated.refresh_token!));
  });
});

describe('a tenant database from before rotation', () => {
  it('gains the rotation columns at start, and its refresh tokens go on working and rotate', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signet-tenant-rotation-'));
    try {
      const signInOn = async (url: string, client: string) => {
        const res = await postTo(url, '/oauth/token', {
          grant_type: PASSWORD_REALM,
          client_id: client,
          realm: DATABASE,
          ...ADA,
          scope: 'openid offline_access',
        });
        expect(res.status, res.text).toBe(200);
        return res.body.refresh_token as string;
      };
      const old = await startTestTenant({ corpLdap: false, dataDir });
      const rotating = await signInOn(old.url, ROTATING_CLIENT);
      const plain = await signInOn(old.url, MODERN_CLIENT);
      await old.close();
      // The file as an older tenant left it: refresh_tokens without the rotation columns.
      const file = new Database(join(dataDir, DATABASE_FILE));
      const added = (file.pragma('table_info(refresh_tokens)') as Array<{ name: string }>)
        .map((c) => c.name)
        .filter((c) => !OLD_REFRESH_COLUMNS.includes(c));
      expect(added.length).toBeGreaterThan(0);
      for (const column of added) {
        for (const { name } of file
          .prepare<[], { name: string }>(
            `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'refresh_tokens' AND sql LIKE '%${column}%'`,
          )
          .all())
          file.exec(`DROP INDEX ${name}`);
        file.exec(`ALTER TABLE refresh_tokens DROP COLUMN ${column}`);
      }
      file.close();

      const t = await startTestTenant({ corpLdap: false, dataDir });
      try {
        const next = await postTo(t.url, '/oauth/token', {
          grant_type: 'refresh_token',
          client_id: ROTATING_CLIENT,
          refresh_token: rotating,
        });
        expect(next.status, next.text).toBe(200);
        expect(next.body.refresh_token).toEqual(expect.any(String));
        const reuse = await postTo(t.url, '/oauth/token', {
          grant_type: 'refresh_token',
          client_id: ROTATING_CLIENT,
          refresh_token: rotating,
        });
        expect(reuse.status).toBe(403);
        for (let i = 0; i < 2; i++) {
          const res = await postTo(t.url, '/oauth/token', {
            grant_type: 'refresh_token',
            client_id: MODERN_CLIENT,
            refresh_token: plain,
          });
          expect(res.status, res.text).toBe(200);
        }
      } finally {
        await t.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('rotation settings', () => {
  it('default to off with no overlap, and refuse a negative overlap naming the field', () => {
    const client = { client_id: 'plain', name: 'Plain' };
    const base = { clients: [client], connections: [{ type: 'sms', name: 'sms' }] };
    expect(rotationOf(parseTenantConfig(base).clients[0]!)).toEqual({
      rotate: false,
      overlapMs: 0,
    });
    const err = configRefusal({
      ...base,
      clients: [{ ...client, rotateRefreshTokens: true, rotationOverlapSeconds: -1 }],
    });
    expect(err.issues).toEqual([expect.stringMatching(/^clients\.0\.rotationOverlapSeconds: /)]);
  });
});
