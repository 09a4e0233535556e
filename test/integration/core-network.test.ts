/**
 * TLS, extra CA certificates and proxies, over loopback: a tenant on HTTPS with a certificate
 * from a private CA (as behind corporate TLS inspection), and a CONNECT proxy.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignetCore, SignInFailure } from '../../src/core/index.js';
import type { SignInError } from '../../src/shared/errors.js';
import { serviceMissing } from '../fixtures/services.js';

const skip = serviceMissing(
  'openssl',
  spawnSync('sh', ['-c', 'command -v openssl']).status === 0
    ? undefined
    : 'openssl is not installed',
);
const dir = mkdtempSync(join(tmpdir(), 'signet-tls-'));
let tenant: HttpsServer;
let proxy: HttpServer;
let tenantUrl = '';
let proxyUrl = '';
const connects: string[] = [];
const sockets = new Set<Socket>();

function makeCerts() {
  const o = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  o([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Signet Test Inspection CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
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
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
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

  proxy = createHttpServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client: Socket, head) => {
    connects.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all([tenant, proxy].map((s) => s && new Promise((r) => s.close(r))));
});

const attempt = async (core: SignetCore): Promise<SignInError> => {
  try {
    await core.signIn({
      tenant: tenantUrl,
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

describe.skipIf(skip)('proxies', () => {
  it('the proxy from settings carries the request (CONNECT tunnel)', async () => {
    const before = connects.length;
    const e = await attempt(
      new SignetCore({ vault: null, settings: { caFile: join(dir, 'ca.pem'), proxy: proxyUrl } }),
    );
    expect(e.code).toBe('invalid_user_password');
    expect(connects.slice(before)).toContain(new URL(tenantUrl).host);
  });

  it('HTTPS_PROXY is honoured, and NO_PROXY bypasses it', async () => {
    const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };
    try {
      process.env.HTTPS_PROXY = proxyUrl;
      let before = connects.length;
      expect(
        (await attempt(new SignetCore({ vault: null, settings: { caFile: join(dir, 'ca.pem') } })))
          .code,
      ).toBe('invalid_user_password');
      expect(connects.length).toBeGreaterThan(before);

      process.env.NO_PROXY = '127.0.0.1';
      before = connects.length;
      expect(
        (await attempt(new SignetCore({ vault: null, settings: { caFile: join(dir, 'ca.pem') } })))
          .code,
      ).toBe('invalid_user_password');
      expect(connects.length).toBe(before);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('an unreachable proxy is network_unreachable', async () => {
    const e = await attempt(
      new SignetCore({ vault: null, settings: { proxy: 'http://127.0.0.1:9' } }),
    );
    expect(e.code).toBe('network_unreachable');
  });
});
