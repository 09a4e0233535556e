/**
 * TLS, extra CA certificates and proxies, over loopback: a tenant on HTTPS with a certificate
 * from a private CA (as behind corporate TLS inspection), and a recording CONNECT proxy
 * (test/fixtures/recording-proxy.ts). The proxy resolves `tenant.invalid` to the HTTPS tenant,
 * so a non-loopback tenant can be reached through it; a loopback tenant never goes through it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignetCore, SignInFailure } from '../../src/core/index.js';
import type { SignInError } from '../../src/shared/errors.js';
import { selfSignedCert } from '../fixtures/certs.js';
import { startRecordingProxy, type RecordingProxy } from '../fixtures/recording-proxy.js';
import { serviceMissing } from '../fixtures/services.js';
import { startTestTenant, type TestTenant } from '../fixtures/tenant.js';
import * as demo from '../fixtures/demo';

const skip = serviceMissing(
  'openssl',
  spawnSync('sh', ['-c', 'command -v openssl']).status === 0
    ? undefined
    : 'openssl is not installed',
);
const dir = mkdtempSync(join(tmpdir(), 'signet-tls-'));
let tenant: HttpsServer;
let proxy: RecordingProxy;
let tenantUrl = '';
/** The same HTTPS tenant under a name only the proxy can resolve (not loopback to Signet). */
let remoteUrl = '';
let proxyUrl = '';

function makeCerts() {
  const o = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  selfSignedCert(
    dir,
    'ca',
    '/CN=Signet Test Inspection CA',
    ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'],
    2,
  );
  o([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'srv.key',
    '-out',
    'srv.csr',
    '-subj',
    '/CN=127.0.0.1',
  ]);
  writeFileSync(
    join(dir, 'ext.cnf'),
    'subjectAltName=IP:127.0.0.1,DNS:tenant.invalid\nbasicConstraints=CA:FALSE\n',
  );
  o([
    'x509',
    '-req',
    '-in',
    'srv.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'srv.pem',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
  ]);
}

beforeAll(async () => {
  if (skip) return;
  makeCerts();
  tenant = createHttpsServer(
    { key: readFileSync(join(dir, 'srv.key')), cert: readFileSync(join(dir, 'srv.pem')) },
    (req, res) => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      req.resume();
      if (req.url === '/.well-known/openid-configuration')
        return send(200, {
          issuer: `${tenantUrl}/`,
          jwks_uri: `${tenantUrl}/.well-known/jwks.json`,
        });
      if (req.url === '/.well-known/jwks.json')
        return send(200, { keys: [{ kty: 'RSA', kid: 'k', alg: 'RS256', n: 'AQAB', e: 'AQAB' }] });
      send(401, { error: 'invalid_user_password', error_description: 'Wrong email or password.' });
    },
  );
  await new Promise<void>((r) => tenant.listen(0, '127.0.0.1', r));
  tenantUrl = `https://127.0.0.1:${(tenant.address() as AddressInfo).port}`;

  remoteUrl = `https://tenant.invalid:${(tenant.address() as AddressInfo).port}`;
  proxy = await startRecordingProxy({ hosts: { 'tenant.invalid': '127.0.0.1' } });
  proxyUrl = proxy.url;
});

afterAll(async () => {
  await proxy?.close();
  await new Promise((r) => (tenant ? tenant.close(r) : r(undefined)));
});

const attempt = async (core: SignetCore, at = tenantUrl): Promise<SignInError> => {
  try {
    await core.signIn({
      tenant: at,
      clientId: 'c',
      connection: 'db',
      username: 'u',
      password: 'p',
    });
  } catch (err) {
    if (err instanceof SignInFailure) return err.error;
    throw err;
  } finally {
    await core.close();
  }
  throw new Error('signed in');
};

describe.skipIf(skip)('TLS and extra CA certificates', () => {
  it('a certificate from an unknown CA is tls_error naming the certificate problem', async () => {
    const e = await attempt(new SignetCore({ vault: null }));
    expect(e.code).toBe('tls_error');
    expect(String(e.detail?.certificateProblem)).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|unable to verify/i,
    );
    expect(e.hint).toMatch(/CA file/);
  });

  it('with the CA file from settings the tenant is reached (its own answer comes back)', async () => {
    const e = await attempt(
      new SignetCore({ vault: null, settings: { caFile: join(dir, 'ca.pem') } }),
    );
    expect(e).toMatchObject({ code: 'invalid_user_password', status: 401 });
  });

  it('a CA file without a certificate is a configuration error naming the field', () => {
    writeFileSync(join(dir, 'empty.pem'), 'nothing here');
    expect(
      () => new SignetCore({ vault: null, settings: { caFile: join(dir, 'empty.pem') } }),
    ).toThrow(/CA file/);
  });

  it('check shows the TLS step, the certificate chain and trust', async () => {
    const untrusted = new SignetCore({ vault: null });
    const bad = await untrusted.check({ tenant: tenantUrl });
    await untrusted.close();
    expect(bad.steps.find((s) => s.name === 'tls')).toMatchObject({
      ok: false,
      error: { code: 'tls_error' },
    });

    const trusted = new SignetCore({ vault: null, settings: { caFile: join(dir, 'ca.pem') } });
    const good = await trusted.check({ tenant: tenantUrl });
    await trusted.close();
    const tls = good.steps.find((s) => s.name === 'tls');
    expect(tls?.ok).toBe(true);
    const chain = tls?.detail?.chain as Array<{ subject: string; issuer: string }>;
    expect(chain[0]?.subject).toMatch(/CN=127\.0\.0\.1/);
    expect(chain[0]?.issuer).toMatch(/Signet Test Inspection CA/);
    expect(good.steps.find((s) => s.name === 'openid-configuration')?.ok).toBe(true);
  });
});

const PROXY_VARS = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
];

/** Runs `fn` with these proxy variables set (and the other proxy variables unset). */
async function withProxyEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(PROXY_VARS.map((k) => [k, process.env[k]]));
  for (const k of PROXY_VARS) delete process.env[k];
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe.skipIf(skip)('proxies', () => {
  it('the proxy from settings carries a non-loopback tenant (CONNECT tunnel, TLS inside)', async () => {
    const before = proxy.seen().length;
    const e = await attempt(
      new SignetCore({ vault: null, settings: { caFile: join(dir, 'ca.pem'), proxy: proxyUrl } }),
      remoteUrl,
    );
    expect(e).toMatchObject({ code: 'invalid_user_password', status: 401 });
    expect(proxy.seen().slice(before)).toContain(`CONNECT ${new URL(remoteUrl).host}`);
  });

  it('HTTPS_PROXY is honoured, and NO_PROXY bypasses it', async () => {
    const ca = { caFile: join(dir, 'ca.pem') };
    await withProxyEnv({ HTTPS_PROXY: proxyUrl }, async () => {
      const before = proxy.seen().length;
      const e = await attempt(new SignetCore({ vault: null, settings: ca }), remoteUrl);
      expect(e.code).toBe('invalid_user_password');
      expect(proxy.seen().slice(before)).toContain(`CONNECT ${new URL(remoteUrl).host}`);
    });
    await withProxyEnv({ HTTPS_PROXY: proxyUrl, NO_PROXY: 'tenant.invalid' }, async () => {
      const before = proxy.connections();
      // Direct, the name cannot be resolved: the proxy never saw the request.
      const e = await attempt(new SignetCore({ vault: null, settings: ca }), remoteUrl);
      expect(e.code).toBe('dns_failed');
      expect(proxy.connections()).toBe(before);
    });
  });

  it('a proxy that answers 502 to CONNECT is a network error naming the proxy, not a cancel', async () => {
    const before = proxy.seen().length;
    const e = await attempt(
      new SignetCore({ vault: null, settings: { proxy: proxyUrl } }),
      'https://unreachable.invalid',
    );
    expect(proxy.seen().slice(before)).toEqual(['CONNECT unreachable.invalid:443']);
    expect(e.code).toBe('network_unreachable');
    expect(e.message).toMatch(/proxy/i);
    expect(e.message).not.toMatch(/cancel/i);
    expect(e.detail).toMatchObject({ proxyStatus: 502 });
  });

  it('an unreachable proxy is network_unreachable', async () => {
    const e = await attempt(
      new SignetCore({ vault: null, settings: { proxy: 'http://127.0.0.1:9' } }),
      'https://unreachable.invalid',
    );
    expect(e.code).toBe('network_unreachable');
  });
});

/** A port free right now on 127.0.0.1 (for a tenant whose public URL must name its port). */
async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('a loopback tenant never goes through a proxy', () => {
  const ADA = {
    clientId: 'signet-demo',
    connection: 'Username-Password-Authentication',
    username: 'ada@signet.test',
    password: demo.ADA.password,
  };
  let lab: RecordingProxy;
  const tenants: TestTenant[] = [];
  beforeAll(async () => {
    lab = await startRecordingProxy();
  });
  afterAll(async () => {
    await lab?.close();
    await Promise.all(tenants.map((t) => t.close()));
  });

  /** Signs ada in with every kind of proxy configured; returns what the proxy saw. */
  async function signInBesideProxy(url: string) {
    const before = lab.connections();
    await withProxyEnv({ HTTPS_PROXY: lab.url, HTTP_PROXY: lab.url }, async () => {
      for (const settings of [{}, { proxy: lab.url }]) {
        const core = new SignetCore({ vault: null, settings: { scope: 'openid', ...settings } });
        try {
          const r = await core.signIn({ tenant: url, ...ADA });
          expect(r.verification.status).toBe('verified');
          const report = await core.check({ tenant: url });
          expect(report.ok).toBe(true);
        } finally {
          await core.close();
        }
      }
    });
    return { connections: lab.connections() - before, seen: lab.seen() };
  }

  it('127.0.0.1: the sign-in succeeds and the proxy saw nothing', async () => {
    const t = await startTestTenant();
    tenants.push(t);
    expect(await signInBesideProxy(t.url)).toEqual({ connections: 0, seen: [] });
  });

  it('localhost and [::1]: the same', async () => {
    for (const host of ['localhost', '::1']) {
      const t = await startTestTenant({ configure: (c) => ({ ...c, host }) });
      tenants.push(t);
      expect(t.url).toMatch(/^http:\/\/(localhost|\[::1\]):\d+$/);
      expect(await signInBesideProxy(t.url)).toEqual({ connections: 0, seen: [] });
    }
  });

  it('*.localhost is pinned to 127.0.0.1 without DNS, and goes direct too', async () => {
    const port = await freePort();
    const url = `http://signet.localhost:${port}`;
    const t = await startTestTenant({ configure: (c) => ({ ...c, port, publicUrl: url }) });
    tenants.push(t);
    expect(await signInBesideProxy(url)).toEqual({ connections: 0, seen: [] });
  });
});

describe('check honours the cancel signal', () => {
  it('a TLS handshake that never answers is cancelled mid-step: check rejects with cancelled', async () => {
    // A TCP server that accepts and then says nothing: the TLS step would wait for its timeout.
    const sockets: import('node:net').Socket[] = [];
    const silent = createNetServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as AddressInfo;
    const core = new SignetCore({ vault: null });
    const controller = new AbortController();
    const accepted = new Promise<void>((r) => silent.once('connection', () => r()));
    try {
      const run = core.check({ tenant: `https://127.0.0.1:${port}`, signal: controller.signal });
      await accepted; // the TCP step's connection
      await new Promise<void>((r) => silent.once('connection', () => r())); // the TLS step's
      controller.abort();
      const err = await run.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SignInFailure);
      expect((err as SignInFailure).error).toMatchObject({ code: 'cancelled' });
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
      await core.close();
    }
  });
});
