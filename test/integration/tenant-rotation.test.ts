/**
 * The local tenant's refresh-token rotation (spec §9; issue 11 §4) and the request counts tests
 * read from it (`GET /__stats`), over real HTTP on loopback.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADA } from '../fixtures/demo';
import {
  getFrom,
  postTo,
  startTestTenant,
  type TenantResponse,
  type TestTenant,
} from '../fixtures/tenant';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const PASSWORD_REALM = 'http://auth0.com/oauth/grant-type/password-realm';
const DATABASE = 'Username-Password-Authentication';

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
