/**
 * The tenant's configuration and command line: an invalid config names the field; the CLI
 * serves, prints its URL, and stops on SIGTERM; it refuses plain HTTP beyond loopback; the
 * `users` commands (stdin password, Auth0 export import, block) act on the data dir the
 * tenant serves from; HTTPS with --tls-cert/--tls-key and an issuer from --public-url.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashSync } from '@node-rs/bcrypt';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { demoConfig, parseTenantConfig } from '../../src/tenant/config';
import { PASSWORD_TOO_LONG } from '../../src/shared/signup-rules';
import { createTenant } from '../../src/tenant/server';
import { selfSignedCert } from '../fixtures/certs';
import { tempDirs } from '../fixtures/temp-dirs';
import { configRefusal, postTo, startTestTenant } from '../fixtures/tenant';
import { ADA } from '../fixtures/demo';

const root = new URL('../..', import.meta.url).pathname;
const tempDir = tempDirs('signet-tenant-cli-');

function cli(args: string[], input?: string) {
  return spawnSync('npx', ['tsx', 'src/tenant/cli.ts', ...args], {
    cwd: root,
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** Spawns the CLI in its own process group and resolves with its URL once it prints it. */
function serveCli(
  args: string[],
): Promise<{ child: ChildProcess; url: string; output: () => string; exited: Promise<void> }> {
  const child = spawn('npx', ['tsx', 'src/tenant/cli.ts', ...args], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 30 s:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /^Local tenant listening on (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => out, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before listening:\n${out}`));
    });
  });
}

describe('tenant config validation', () => {
  it('names every bad field by its path', () => {
    const cfg = {
      clients: [{ client_id: 'hs', name: 'hs', alg: 'HS256' }],
      connections: [
        { type: 'database', name: 'db' },
        {
          type: 'ad',
          name: 'ad',
          ldap: { url: 'http://not-ldap', bindMode: 'upn', baseDN: 'dc=x' },
        },
        { type: 'carrier-pigeon', name: 'p' },
      ],
      sms: { ttlSeconds: -1 },
    };
    const error = configRefusal(cfg, 'test config');
    const paths = error.issues.map((i) => i.split(':')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'clients.0.client_secret',
        'connections.1.ldap.url',
        'connections.2.type',
        'sms.ttlSeconds',
      ]),
    );
    expect(error!.message).toMatch(/^Invalid test config:\n {2}/);
    expect(error!.message).toContain('connections.1.ldap.url: ');
  });

  it('refuses duplicate connection names and client connections that do not exist', () => {
    const cfg = demoConfig();
    expect(() =>
      parseTenantConfig({
        ...cfg,
        connections: [...cfg.connections, { type: 'sms', name: 'sms' }],
        clients: [{ client_id: 'x', name: 'x', connections: ['ghost'] }],
      }),
    ).toThrow(
      /connections\.4\.name: duplicate connection name "sms"[\s\S]*clients\.0\.connections\.0: no connection named "ghost"/,
    );
  });

  it('makes createTenant fail before listening on an invalid config', async () => {
    await expect(
      createTenant({ clients: [], connections: [] } as never, { dataDir: tempDir() }),
    ).rejects.toThrow(/clients: /);
  });

  it('makes the CLI exit 2 naming the field of a bad config file', () => {
    const dir = tempDir();
    const file = join(dir, 'tenant.json');
    writeFileSync(
      file,
      JSON.stringify({
        clients: [{ client_id: 'a', name: 'a' }],
        connections: [
          { type: 'sms', name: 'sms' },
          { type: 'ad', name: 'x', ldap: { url: 'nope', bindMode: 'upn', baseDN: 'dc=x' } },
        ],
      }),
    );
    const r = cli(['--config', file, '--data-dir', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('connections.1.ldap.url:');
  });
});

describe('tenant CLI', () => {
  it('serves the demo tenant, prints its URL once listening, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const { child, url, output, exited } = await serveCli(['--port', '0', '--data-dir', dir]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output().match(/listening on/g)).toHaveLength(1);
    const conf = await fetch(`${url}/.well-known/openid-configuration`);
    expect(((await conf.json()) as { issuer: string }).issuer).toBe(`${url}/`);
    const signIn = await postTo(url, '/oauth/ro', {
      client_id: 'signet-demo',
      connection: 'Username-Password-Authentication',
      grant_type: 'password',
      username: 'ada@signet.test',
      password: ADA.password,
    });
    expect(signIn.status).toBe(200);
    expect(output()).not.toContain(ADA.password);
    expect(output()).not.toContain(signIn.body.access_token);

    // The outbox answers with the key printed at start, and only with it. The key is printed on
    // its own, to be sent as a header: a URL with `?key=` invites a curl that shows it in `ps`.
    expect(output()).toContain(`SMS outbox (this machine only): ${url}/__outbox\n`);
    expect(output()).toContain(
      `Reset emails (this machine only): ${url}/__outbox?email=<address>\n`,
    );
    expect(output()).not.toContain('?key=');
    const key = /^Outbox key \(send as Authorization: Bearer <key>, not in the URL\): (\S+)$/m.exec(
      output(),
    )?.[1];
    expect(key).toBeDefined();
    const withKey = { headers: { authorization: `Bearer ${key!}` } };
    expect((await fetch(`${url}/__outbox`, withKey)).status).toBe(200);
    expect((await fetch(`${url}/__outbox`)).status).toBe(403);

    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    expect(output()).toContain('Local tenant stopped');
    await expect(fetch(`${url}/.well-known/jwks.json`)).rejects.toThrow();
  });

  it('refuses a non-loopback --host without TLS', () => {
    const r = cli(['--host', '0.0.0.0', '--port', '0', '--data-dir', tempDir()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/refusing to serve plain HTTP on 0\.0\.0\.0/);
  });

  it('manages users in the data dir: add (password on stdin), import an Auth0 export, block, list', async () => {
    const dir = tempDir();
    const add = cli(
      ['users', 'add', '--email', 'new@signet.test', '--name', 'New User', '--data-dir', dir],
      'Brand-New-Password-1\n',
    );
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/added auth0\|[0-9a-f]{24} new@signet\.test/);

    const exportFile = join(dir, 'export.ndjson');
    writeFileSync(
      exportFile,
      [
        {
          user_id: 'auth0|5f0c8e1a2b3c4d5e6f708192',
          email: 'imported@signet.test',
          name: 'Imported',
          email_verified: true,
          custom_password_hash: {
            algorithm: 'bcrypt',
            hash: { value: hashSync('Imported-Pass-1', 4) },
          },
        },
        { email: 'plain@signet.test', password_hash: hashSync('Plain-Hash-1', 4) },
        {
          email: 'md5@signet.test',
          custom_password_hash: { algorithm: 'md5', hash: { value: 'x' } },
        },
      ]
        .map((u) => JSON.stringify(u))
        .join('\n'),
    );
    const imp = cli(['users', 'import', exportFile, '--data-dir', dir]);
    expect(imp.status, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('imported 2 user(s)');
    expect(imp.stdout).toMatch(/skipped #2.*md5/);
    expect(cli(['users', 'block', 'plain@signet.test', '--data-dir', dir]).status).toBe(0);
    const list = cli(['users', 'list', '--json', '--data-dir', dir]);
    const users = JSON.parse(list.stdout) as Array<{
      email: string;
      blocked: boolean;
      user_id: string;
    }>;
    expect(users.find((u) => u.email === 'imported@signet.test')?.user_id).toBe(
      'auth0|5f0c8e1a2b3c4d5e6f708192',
    );
    expect(users.find((u) => u.email === 'plain@signet.test')?.blocked).toBe(true);

    const t = await startTestTenant({ dataDir: dir, corpLdap: false });
    try {
      const ro = (username: string, password: string) =>
        postTo(t.url, '/oauth/ro', {
          client_id: 'signet-demo',
          connection: 'Username-Password-Authentication',
          grant_type: 'password',
          username,
          password,
          scope: 'openid',
        });
      expect((await ro('new@signet.test', 'Brand-New-Password-1')).status).toBe(200);
      expect((await ro('imported@signet.test', 'Imported-Pass-1')).status).toBe(200);
      expect((await ro('plain@signet.test', 'Plain-Hash-1')).body).toEqual({
        error: 'unauthorized',
        error_description: 'user is blocked',
      });
      expect((await ro('ada@signet.test', ADA.password)).status).toBe(200); // the demo seed is there too
    } finally {
      await t.close();
    }
  });

  it('serves HTTPS with --tls-cert/--tls-key and uses --public-url as issuer', async () => {
    const dir = tempDir();
    const { key, cert } = selfSignedCert(dir, 'tenant', '/CN=127.0.0.1', [
      'subjectAltName=IP:127.0.0.1',
    ]);
    expect(existsSync(cert)).toBe(true);
    const { child, url, exited } = await serveCli([
      '--port',
      '0',
      '--data-dir',
      dir,
      '--tls-cert',
      cert,
      '--tls-key',
      key,
      '--public-url',
      'https://lab.signet.test',
    ]);
    try {
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const agent = new Agent({ connect: { ca: readFileSync(cert) } });
      const res = await request(`${url}/.well-known/openid-configuration`, { dispatcher: agent });
      const body = (await res.body.json()) as { issuer: string; jwks_uri: string };
      expect(body.issuer).toBe('https://lab.signet.test/');
      expect(body.jwks_uri).toBe('https://lab.signet.test/.well-known/jwks.json');
      await agent.close();
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  });
});

describe('passwords over 72 bytes (bcrypt’s limit) are refused where they are set', () => {
  const seventyTwo = 'P@ssw0rd-'.repeat(8); // 72 bytes
  const seventyThree = `${seventyTwo}!`;
  // Bytes, not characters: 24 × € is 72 bytes, 25 × € is 75 bytes in 25 characters.
  const euros = (n: number) => '€'.repeat(n);
  const DB = 'Username-Password-Authentication';

  it('a config seed user: names the field and says why, counting UTF-8 bytes', () => {
    const config = (password: string) => {
      const demo = demoConfig();
      return {
        clients: demo.clients,
        connections: [
          { type: 'database', name: DB, users: [{ email: 'long@signet.test', password }] },
        ],
      };
    };
    expect(() => parseTenantConfig(config(seventyTwo))).not.toThrow();
    expect(() => parseTenantConfig(config(euros(24)))).not.toThrow();
    for (const password of [seventyThree, euros(25)]) {
      expect(configRefusal(config(password)).issues).toEqual([
        `connections.0.users.0.password: ${PASSWORD_TOO_LONG}`,
      ]);
    }
    // Through the CLI: exit 2 before serving.
    const dir = tempDir();
    const file = join(dir, 'tenant.json');
    writeFileSync(file, JSON.stringify(config(seventyThree)));
    const r = cli(['--config', file, '--data-dir', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`connections.0.users.0.password: ${PASSWORD_TOO_LONG}`);
  });

  it('users add and users set-password: exit 2 with the reason, nothing changed', async () => {
    const dir = tempDir();
    const add = (email: string, password: string) =>
      cli(['users', 'add', '--email', email, '--data-dir', dir], `${password}\n`);

    const long = add('long@signet.test', seventyThree);
    expect(long.status).toBe(2);
    expect(long.stderr).toContain(PASSWORD_TOO_LONG);
    expect(add('euro@signet.test', euros(25)).status).toBe(2);
    const fits = add('fits@signet.test', seventyTwo);
    expect(fits.status, fits.stderr).toBe(0);

    const reset = cli(
      ['users', 'set-password', 'fits@signet.test', '--data-dir', dir],
      seventyThree,
    );
    expect(reset.status).toBe(2);
    expect(reset.stderr).toContain(PASSWORD_TOO_LONG);

    const listed = JSON.parse(cli(['users', 'list', '--json', '--data-dir', dir]).stdout) as Array<{
      email?: string;
    }>;
    expect(listed.map((u) => u.email)).not.toContain('long@signet.test');
    expect(listed.map((u) => u.email)).not.toContain('euro@signet.test');

    const t = await startTestTenant({ dataDir: dir, corpLdap: false });
    try {
      const ro = (password: string) =>
        postTo(t.url, '/oauth/ro', {
          client_id: 'signet-demo',
          connection: DB,
          grant_type: 'password',
          username: 'fits@signet.test',
          password,
          scope: 'openid',
        });
      // The 72-byte password was kept; signing in with a longer one is a wrong password…
      expect((await ro(seventyTwo)).status).toBe(200);
      expect((await ro(`X${seventyTwo}`)).status).toBe(401);
      // …and the library refuses to set one too.
      const user = t.tenant.db.resolve('fits@signet.test')!;
      await expect(t.tenant.db.setPassword(user.user_id, seventyThree, 4)).rejects.toThrow(
        PASSWORD_TOO_LONG,
      );
      await expect(
        t.tenant.db.createUser({ connection: DB, email: 'lib@signet.test', password: euros(25) }),
      ).rejects.toThrow(PASSWORD_TOO_LONG);
      expect((await ro(seventyTwo)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
