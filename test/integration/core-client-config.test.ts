/**
 * `SignetCore.clientConfig` (spec §8) over real HTTP: against the local tenant (fetched, then
 * served from the on-disk copy while fresh, refetched on `refresh` or when stale, the copy
 * answered with the error once the tenant is stopped), and against a small loopback server
 * that answers what a real tenant will not on cue (a proxy's HTML page, malformed or hostile
 * scripts, a huge body): each is a typed `bad_response` and the good copy survives it.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignetCore, SignInFailure } from '../../src/core/index.js';
import { CLIENT_CONFIG_FRESH_MS } from '../../src/core/settings/client-config-cache.js';
import { startTestTenant, type TestTenant } from '../fixtures/tenant.js';
import { tempDirs } from '../fixtures/temp-dirs.js';

const tempDir = tempDirs('signet-client-config-');
const cores: SignetCore[] = [];

/** A core whose settings (and so the cache file) live in a fresh folder. */
function newCore(settings: Record<string, unknown>) {
  const dir = tempDir();
  const core = new SignetCore({
    settings,
    vault: null,
    settingsEnv: { SIGNET_SETTINGS: join(dir, 'settings.json') },
  });
  cores.push(core);
  return { core, cacheFile: join(dir, 'client-config.json') };
}
afterAll(() => Promise.all(cores.map((c) => c.close())));

describe('against the local tenant', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await startTestTenant({
      connections: [
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

  const scriptRequests = async () => (await t.stats()).requests['GET /client/*'] ?? 0;

  it('fetches the client’s connections, keeps them on disk, and serves the copy while fresh', async () => {
    const { core, cacheFile } = newCore({ tenant: t.url, clientId: t.clientId });
    const first = await core.clientConfig();
    expect(first.source).toBe('network');
    expect(first.error).toBeNull();
    expect(first.connections.map((c) => [c.name, c.kind])).toEqual([
      ['Username-Password-Authentication', 'database'],
      ['sms', 'sms'],
      ['corp-ldap', 'ad'],
      ['google-oauth2', 'other'],
    ]);
    expect(first.connections.find((c) => c.name === 'corp-ldap')?.domains).toEqual([
      'corp.signet.test',
      'signet-corp.test',
    ]);
    expect(first.connections[0]).toMatchObject({
      passwordPolicy: 'good',
      showSignup: true,
      showForgot: true,
      requiresUsername: false,
    });
    // Diagnostics shows the request.
    expect(core.attempts().at(-1)).toMatchObject({
      method: 'GET',
      endpoint: '/client/signet-demo.js',
      status: 200,
    });
    // The copy: only this user may read it.
    expect(statSync(cacheFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(cacheFile, 'utf8'))).toHaveProperty(
      [`${t.url}|${t.clientId}`, 'fetchedAt'],
      first.fetchedAt,
    );

    const before = await scriptRequests();
    const second = await core.clientConfig();
    expect(second).toEqual({ ...first, source: 'cache' });
    expect(await scriptRequests()).toBe(before);

    // A new core (the next launch) reads the same copy.
    const relaunched = new SignetCore({
      settings: { tenant: t.url, clientId: t.clientId },
      vault: null,
      settingsEnv: { SIGNET_SETTINGS: join(cacheFile, '..', 'settings.json') },
    });
    cores.push(relaunched);
    expect((await relaunched.clientConfig()).source).toBe('cache');
    expect(await scriptRequests()).toBe(before);

    const refreshed = await core.clientConfig({ refresh: true });
    expect(refreshed.source).toBe('network');
    expect(await scriptRequests()).toBe(before + 1);
  });

  it('answers a copy older than the freshness window at once, and refreshes it in the background for the next ask', async () => {
    const { core, cacheFile } = newCore({ tenant: t.url, clientId: t.clientId });
    await core.clientConfig();
    const file = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<
      string,
      { fetchedAt: string }
    >;
    const stale = new Date(Date.now() - CLIENT_CONFIG_FRESH_MS - 1000).toISOString();
    for (const entry of Object.values(file)) entry.fetchedAt = stale;
    writeFileSync(cacheFile, JSON.stringify(file));
    const before = await scriptRequests();
    const again = await core.clientConfig();
    expect(again).toMatchObject({ source: 'cache', fetchedAt: stale, error: null });
    expect(again.connections.length).toBeGreaterThan(0);
    // The background refresh lands on disk: the next ask has the new copy.
    await expect.poll(async () => (await core.clientConfig()).fetchedAt).not.toBe(stale);
    expect(await scriptRequests()).toBe(before + 1);
  });

  it('answers an unknown client with source none and a 404 bad_response naming the client', async () => {
    const { core } = newCore({ tenant: t.url, clientId: 'nobody' });
    const view = await core.clientConfig();
    expect(view).toMatchObject({ source: 'none', connections: [], fetchedAt: null });
    expect(view.error).toMatchObject({ code: 'bad_response', status: 404 });
    expect(view.error?.message).toContain('no configuration for the client nobody');
  });

  it('ignores a cache file that is not valid and fetches', async () => {
    const { core, cacheFile } = newCore({ tenant: t.url, clientId: t.clientId });
    writeFileSync(
      cacheFile,
      JSON.stringify({
        [`${t.url}|${t.clientId}`]: {
          fetchedAt: new Date().toISOString(),
          connections: [{ name: 'x', strategy: 'auth0', kind: 'database', evil: true }],
        },
      }),
    );
    expect((await core.clientConfig()).source).toBe('network');
  });

  it('rejects only for a configuration problem: no tenant', async () => {
    const { core } = newCore({});
    await expect(core.clientConfig()).rejects.toSatisfy(
      (e) => e instanceof SignInFailure && e.error.code === 'config_invalid',
    );
  });

  it('answers the last good copy with the error once the tenant is unreachable, none without one', async () => {
    const own = await startTestTenant({ corpLdap: false });
    const { core } = newCore({ tenant: own.url, clientId: own.clientId });
    const good = await core.clientConfig();
    await own.close();
    const offline = await core.clientConfig({ refresh: true });
    expect(offline.source).toBe('cache');
    expect(offline.connections).toEqual(good.connections);
    expect(offline.fetchedAt).toBe(good.fetchedAt);
    expect(offline.error?.code).toBe('network_unreachable');

    const fresh = newCore({ tenant: own.url, clientId: own.clientId }).core;
    const nothing = await fresh.clientConfig();
    expect(nothing).toMatchObject({ source: 'none', connections: [], fetchedAt: null });
    expect(nothing.error?.code).toBe('network_unreachable');
  });
});

describe('against a tenant that answers badly', () => {
  const GOOD =
    'Auth0.setClient({"id":"app","strategies":[{"name":"auth0","connections":[{"name":"db"}]},{"name":"ad","connections":[{"name":"corp","domain":"corp.example"}]}]});';
  let answer = { status: 200, type: 'application/javascript', body: GOOD };
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url !== '/client/app.js') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it.each([
    [
      'a proxy’s HTML page',
      200,
      'text/html',
      '<html><body>Please log in to the proxy</body></html>',
      'proxy or firewall',
    ],
    [
      'a proxy’s 502 page',
      502,
      'text/html',
      '<!doctype html><title>Bad gateway</title>',
      'proxy or firewall',
    ],
    [
      'a 500',
      500,
      'application/json',
      '{"error":"server_error"}',
      "did not send the client's configuration",
    ],
    [
      'code instead of data',
      200,
      'application/javascript',
      'Auth0.setClient(alert(1));',
      'not plain data',
    ],
    [
      'code after the call',
      200,
      'application/javascript',
      `${GOOD}fetch("https://evil.test");`,
      'not plain data',
    ],
    [
      'a __proto__ key',
      200,
      'application/javascript',
      'Auth0.setClient({"strategies":[],"__proto__":{"x":1}});',
      '__proto__',
    ],
    [
      'another client’s configuration',
      200,
      'application/javascript',
      GOOD.replace('"app"', '"other"'),
      'another client',
    ],
    [
      'a body far over any limit',
      200,
      'application/javascript',
      `Auth0.setClient({"strategies":[],"pad":"${'x'.repeat(2 * 1024 * 1024)}"});`,
      'far larger',
    ],
    [
      // 100 000 characters but 300 000 bytes: the cap counts what was downloaded.
      'a body over the cap in bytes, not in characters',
      200,
      'application/javascript',
      `Auth0.setClient({"strategies":[],"pad":"${'€'.repeat(100_000)}"});`,
      'far too large',
    ],
  ])('%s is a bad_response and the good copy stays', async (_what, status, type, body, says) => {
    const { core, cacheFile } = newCore({ tenant: url, clientId: 'app' });
    answer = { status: 200, type: 'application/javascript', body: GOOD };
    const good = await core.clientConfig();
    expect(good.source).toBe('network');
    const kept = readFileSync(cacheFile, 'utf8');

    answer = { status, type, body };
    const view = await core.clientConfig({ refresh: true });
    expect(view.source).toBe('cache');
    expect(view.connections).toEqual(good.connections);
    expect(view.error?.code).toBe('bad_response');
    expect(view.error?.message).toContain(says);
    expect(readFileSync(cacheFile, 'utf8')).toBe(kept);
    expect(core.attempts().at(-1)).toMatchObject({
      endpoint: '/client/app.js',
      errorCode: 'bad_response',
    });
  });

  it('one odd connection is skipped, the rest offered, and Diagnostics says how many', async () => {
    const { core } = newCore({ tenant: url, clientId: 'app' });
    answer = {
      status: 200,
      type: 'application/javascript',
      body: 'Auth0.setClient({"id":"app","strategies":[{"name":"auth0","connections":[{"name":"db","passwordPolicy":"weak"},{"name":"db2"}]},{"name":"ad","connections":[{"name":"corp","domain":"corp.example","domain_aliases":["*.corp.example"]}]},{"name":"samlp","connections":[{"name":"saml","domain":"not a domain"}]}]});',
    };
    const view = await core.clientConfig({ refresh: true });
    expect(view.source).toBe('network');
    expect(view.error).toBeNull();
    expect(view.connections.map((c) => [c.name, c.kind, c.domains])).toEqual([
      ['db2', 'database', undefined],
      ['corp', 'ad', ['corp.example']],
      ['saml', 'other', undefined],
    ]);
    expect(core.attempts().at(-1)?.response).toEqual({
      connections: 3,
      skipped: 2,
      skippedFields: [
        'strategies.0.connections.0.passwordPolicy: must be none, low, fair, good or excellent',
        'strategies.1.connections.0.domain_aliases.0: must be a domain name such as corp.example',
      ],
    });
  });
});
