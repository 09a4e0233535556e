/**
 * `GET /client/{client_id}.js` (spec §8) over real HTTP: the `Auth0.setClient({...});` script
 * Lock reads, its connections by strategy with their defaults, the headers, and the 404 of
 * every path that is not exactly a known client's script (asked with raw paths: `fetch` would
 * normalise `..` away before sending).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTenant, type TestTenant } from '../fixtures/tenant';
import { DEMO_DATABASE as DB } from '../fixtures/demo';

let t: TestTenant;

beforeAll(async () => {
  t = await startTestTenant({
    clients: [
      { client_id: 'only-db', name: 'Database only', connections: [DB, 'strict-db'] },
      { client_id: 'x.js', name: 'A client whose id ends in .js' },
    ],
    connections: [
      {
        type: 'database',
        name: 'strict-db',
        passwordPolicy: 'excellent',
        requires_username: true,
        disableSignup: true,
      },
      { type: 'database', name: 'old-db', enabled: false },
      {
        type: 'ad',
        name: 'corp-ldap',
        ldap: 'demo',
        domain: 'corp.signet.test',
        domain_aliases: ['signet-corp.test'],
      },
    ],
  });
});
afterAll(() => t?.close());

/** GETs `path` exactly as written (no normalisation, no percent-decoding by the client). */
function rawGet(
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'GET' }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The object inside `Auth0.setClient(…);`, parsed as JSON (never evaluated). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setClientObject(text: string): any {
  const m = /^Auth0\.setClient\(([\s\S]*)\);$/.exec(text);
  expect(m, text).not.toBeNull();
  return JSON.parse(m![1]!);
}

describe('GET /client/{client_id}.js', () => {
  it('lists the demo client’s enabled connections by strategy, as Lock reads them', async () => {
    const res = await rawGet('/client/signet-demo.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const obj = setClientObject(res.text);
    expect(obj).toMatchObject({ id: 'signet-demo', tenant: 'local', subscription: 'free' });
    const byStrategy = Object.fromEntries(
      (obj.strategies as Array<{ name: string; connections: unknown[] }>).map((s) => [
        s.name,
        s.connections,
      ]),
    );
    expect(byStrategy.auth0).toEqual([
      {
        name: DB,
        passwordPolicy: 'good',
        showSignup: true,
        showForgot: true,
        requires_username: false,
      },
      {
        name: 'strict-db',
        passwordPolicy: 'excellent',
        showSignup: false,
        showForgot: true,
        requires_username: true,
      },
    ]);
    expect(byStrategy.ad).toEqual([
      { name: 'corp-ldap', domain: 'corp.signet.test', domain_aliases: ['signet-corp.test'] },
    ]);
    expect(byStrategy.sms).toEqual([{ name: 'sms' }]);
    expect(byStrategy['google-oauth2']).toEqual([{ name: 'google-oauth2' }]);
    // A disabled connection is not listed anywhere.
    expect(res.text).not.toContain('old-db');
  });

  it('lists only the connections a client names', async () => {
    const obj = setClientObject((await rawGet('/client/only-db.js')).text);
    expect(obj.strategies).toEqual([
      {
        name: 'auth0',
        connections: [
          expect.objectContaining({ name: DB }),
          expect.objectContaining({ name: 'strict-db' }),
        ],
      },
    ]);
  });

  it('serves a client whose id itself ends in .js at x.js.js', async () => {
    const res = await rawGet('/client/x.js.js');
    expect(res.status).toBe(200);
    expect(setClientObject(res.text).id).toBe('x.js');
  });

  it.each([
    '/client/nobody.js',
    '/client/signet-demo',
    '/client/signet-demo.js/',
    '/client/signet-demo.js.js',
    '/client/signet%2Ddemo.js',
    '/client/%2e%2e.js',
    '/client/...js',
    '/client/../client/signet-demo.js',
    '/client/..%2fclient%2fsignet-demo.js',
    '/client/.js',
    `/client/${'a'.repeat(129)}.js`,
  ])('answers %s with the ordinary 404 and no script', async (path) => {
    const res = await rawGet(path);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.text)).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Not Found',
      error_description: 'Not Found',
    });
  });

  it('serves a client id of the full 128 characters the config allows', async () => {
    const long = await startTestTenant({
      corpLdap: false,
      clients: [{ client_id: 'c'.repeat(128), name: 'Long id' }],
    });
    try {
      const { hostname, port } = new URL(long.url);
      const res = await fetch(`http://${hostname}:${port}/client/${'c'.repeat(128)}.js`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(`"id":"${'c'.repeat(128)}"`);
    } finally {
      await long.close();
    }
  });

  it('ignores a query string (Lock adds none, a cache-buster may)', async () => {
    const res = await rawGet('/client/signet-demo.js?t=1');
    expect(res.status).toBe(200);
  });
});
