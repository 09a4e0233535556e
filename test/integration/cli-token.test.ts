/**
 * `signet token`, `signet accounts` and `signet use` as other tools run them: the real CLI as a
 * child process, the real keychain (scripts/test.mjs's private keyring), a real local tenant
 * that counts what it was asked (`t.stats()`). Each test signs in its own user on its own
 * tenant so counts are its own.
 * Run alone: `node scripts/test.mjs test/integration/cli-token.test.ts`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import keytar from '@github/keytar';
import { decodeJwt } from 'jose';
import lockfile from 'proper-lockfile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault, type SessionRecord } from '../../src/core/index';
import { LOCK_OPTIONS, lockPath } from '../../src/core/session/refresh-lock';
import { runSignet, tenantFlags, type CliRun } from '../fixtures/cli.js';
import * as demo from '../fixtures/demo';
import { keyringMissing } from '../fixtures/keyring.js';
import {
  CLIENT_ID as MB_CLIENT,
  startMisbehavingServer,
  type MisbehavingServer,
} from '../fixtures/misbehaving-server.js';
import { addDbUser, startTestTenant, type TestTenant } from '../fixtures/tenant.js';
import { tempDirs } from '../fixtures/temp-dirs.js';

const noKeyring = await keyringMissing();
const service = `signet-test-token-${process.pid}-${randomBytes(3).toString('hex')}`;
const vault = new Vault(service);
const newDir = tempDirs('signet-token-');
const dir = newDir();
const DB = demo.DEMO_DATABASE;
const ADA = demo.ADA;
const SCOPE = 'openid profile email offline_access';
const JWT = /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/;

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  SIGNET_KEYCHAIN_SERVICE: service,
  SIGNET_SETTINGS: join(dir, 'settings.json'),
  SIGNET_CONFIG: join(dir, 'no-managed-config.json'),
  ...extra,
});
const signet = (args: string[], extra?: NodeJS.ProcessEnv): Promise<CliRun> =>
  runSignet(args, { env: env(extra) });

/** Signs `user` in through the CLI (password on stdin) and fails the test if it did not. */
async function login(
  t: TestTenant,
  opts: { clientId?: string; user?: { username: string; password: string }; extra?: string[] } = {},
) {
  const user = opts.user ?? ADA;
  const r = await runSignet(
    [
      'login',
      ...tenantFlags(t.url, opts.clientId ?? t.clientId),
      '--connection',
      DB,
      '--username',
      user.username,
      '--password-stdin',
      '--scope',
      SCOPE,
      '--json',
      ...(opts.extra ?? []),
    ],
    { input: `${user.password}\n`, env: env() },
  );
  expect(r.code, r.stderr).toBe(0);
  return r;
}

/** The session record the keychain holds for `user` at `t` (undefined: none). */
const stored = (t: TestTenant, clientId: string = t.clientId, username = ADA.username) =>
  vault.load({ tenant: t.url, clientId, username });

const refreshes = async (t: TestTenant) => {
  const s = await t.stats();
  return {
    delegation: s.requests['POST /delegation'] ?? 0,
    refreshGrant: s.grants['/oauth/token']?.refresh_token ?? 0,
  };
};

afterAll(async () => {
  if (!noKeyring)
    for (const c of await keytar.findCredentials(service))
      await keytar.deletePassword(service, c.account);
});

describe.skipIf(noKeyring)('signet token: formats', () => {
  let t: TestTenant;
  let record: SessionRecord;
  const at = () => tenantFlags(t.url, t.clientId);
  beforeAll(async () => {
    t = await startTestTenant();
    await login(t);
    record = (await stored(t))!;
  });
  afterAll(() => t?.close());

  it('prints the id_token and nothing else, one line, without asking the tenant', async () => {
    const before = await t.stats();
    const r = await signet(['token', ...at()]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${record.id_token}\n`);
    expect(r.stdout.trim()).toMatch(JWT);
    expect(decodeJwt(r.stdout.trim())).toMatchObject({ aud: t.clientId, email: ADA.username });
    expect((await t.stats()).requests).toEqual(before.requests);
  });

  it('--format json: {token, type, expiresAt, tenant, clientId, username} on one line', async () => {
    const r = await signet(['token', ...at(), '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const exp = decodeJwt(record.id_token!).exp!;
    expect(r.json).toEqual({
      token: record.id_token,
      type: 'id',
      expiresAt: new Date(exp * 1000).toISOString(),
      tenant: t.url,
      clientId: t.clientId,
      username: ADA.username,
    });
  });

  it('--format header: an Authorization header line', async () => {
    const r = await signet(['token', ...at(), '--format', 'header']);
    expect(r.stdout).toBe(`Authorization: Bearer ${record.id_token}\n`);
  });

  it.each([
    ['v1 (no KUBERNETES_EXEC_INFO)', undefined, 'client.authentication.k8s.io/v1'],
    ['v1 (garbled KUBERNETES_EXEC_INFO)', '{not json', 'client.authentication.k8s.io/v1'],
    [
      'v1beta1 (older kubectl)',
      JSON.stringify({
        kind: 'ExecCredential',
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        spec: { interactive: false },
      }),
      'client.authentication.k8s.io/v1beta1',
    ],
    [
      'v1',
      JSON.stringify({
        kind: 'ExecCredential',
        apiVersion: 'client.authentication.k8s.io/v1',
        spec: { interactive: false },
      }),
      'client.authentication.k8s.io/v1',
    ],
  ])('--format kubectl: an ExecCredential in %s', async (_name, info, apiVersion) => {
    const base = env();
    delete base.KUBERNETES_EXEC_INFO;
    const r = await runSignet(['token', ...at(), '--format', 'kubectl'], {
      env: info === undefined ? base : { ...base, KUBERNETES_EXEC_INFO: info },
    });
    expect(r.code, r.stderr).toBe(0);
    const exp = decodeJwt(record.id_token!).exp!;
    expect(r.json).toEqual({
      apiVersion,
      kind: 'ExecCredential',
      status: {
        token: record.id_token,
        expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
      },
    });
  });

  it('--format kubectl with an apiVersion Signet does not speak: exit 2 naming the supported ones', async () => {
    const r = await signet(['token', ...at(), '--format', 'kubectl'], {
      KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v2' }),
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('client.authentication.k8s.io/v2');
    expect(r.stderr).toContain(
      'client.authentication.k8s.io/v1 and client.authentication.k8s.io/v1beta1',
    );
  });

  it('--type access on a legacy session: exit 2, one line saying why and what to use, the tenant not asked', async () => {
    // /oauth/ro gives the access token no expires_in, and /delegation renews only the
    // id_token: nothing could promise the access token is still valid.
    expect(record.protocol).toBe('legacy');
    expect(record.access_expires_at).toBeUndefined();
    const before = await t.stats();
    const r = await signet(['token', ...at(), '--type', 'access', '--min-valid', '99999999']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/legacy/);
    expect(lines[0]).toContain('--type id');
    expect(lines[0]).toMatch(/\(invalid_input\)$/);
    expect((await t.stats()).requests).toEqual(before.requests);
  });

  it.each([
    [['--format', 'yaml'], '--format must be one of token, json, header, kubectl'],
    [['--type', 'refresh'], '--type must be id or access'],
    [['--min-valid', 'soon'], '--min-valid must be a whole number of seconds'],
    [['--min-valid', '-5'], '--min-valid'],
    [['--target', 'other', '--type', 'access'], '--target gives an id_token'],
  ])('usage errors exit 2: %j', async (flags, message) => {
    const r = await signet(['token', ...at(), ...flags]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });
});

describe.skipIf(noKeyring)('signet token: renewal, --target and refusals', () => {
  let t: TestTenant;
  const API = 'signet-api';
  beforeAll(async () => {
    t = await startTestTenant({
      clients: [
        { client_id: API, name: 'An internal API (legacy)', alg: 'RS256', legacyGrant: true },
      ],
    });
  });
  afterAll(() => t?.close());

  it('--min-valid above what remains renews first (legacy: one /delegation) and stores the new token', async () => {
    await login(t);
    const before = await stored(t);
    const n0 = await refreshes(t);
    // Longer than the tenant's id_token lifetime: no renewal could satisfy it, so one per run.
    const r = await signet(['token', ...tenantFlags(t.url, t.clientId), '--min-valid', '99999999']);
    expect(r.code, r.stderr).toBe(0);
    expect((await refreshes(t)).delegation - n0.delegation).toBe(1);
    const after = await stored(t);
    expect(r.stdout.trim()).toBe(after!.id_token);
    // Renewed and stored (the id_token's bytes may equal the old one's when both were issued
    // in the same second: the same claims, and RS256 signatures are deterministic).
    expect(after!.obtained_at > before!.obtained_at).toBe(true);
    expect(after!.refresh_token).toBe(before!.refresh_token);
  });

  it('modern sessions renew with the refresh_token grant and keep the new access token and its expiry', async () => {
    const M = demo.MODERN_CLIENT;
    await login(t, { clientId: M, extra: ['--protocol', 'modern'] });
    const before = (await stored(t, M))!;
    const n0 = await refreshes(t);
    const r = await signet([
      'token',
      ...tenantFlags(t.url, M),
      '--type',
      'access',
      '--min-valid',
      '99999999',
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect((await refreshes(t)).refreshGrant - n0.refreshGrant).toBe(1);
    const after = (await stored(t, M))!;
    expect(r.json.token).toBe(after.access_token);
    expect(after.access_token).not.toBe(before.access_token);
    // The access token is opaque: its expiry is the stored one (expires_in made absolute).
    expect(r.json.expiresAt).toBe(after.access_expires_at);
    const left = Date.parse(String(r.json.expiresAt)) - Date.now();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(t.tenant.config.accessTokenLifetime * 1000);
    expect(Date.parse(after.access_expires_at!)).toBeGreaterThan(
      Date.parse(before.access_expires_at!),
    );
  });

  it('--target gets an id_token for another client from /delegation, and the second call uses the cached one', async () => {
    await login(t);
    const n0 = await refreshes(t);
    const first = await signet([
      'token',
      ...tenantFlags(t.url, t.clientId),
      '--target',
      API,
      '--format',
      'json',
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json).toMatchObject({ type: 'id', clientId: API, username: ADA.username });
    expect(decodeJwt(String(first.json.token))).toMatchObject({ aud: API, email: ADA.username });
    const n1 = await refreshes(t);
    expect(n1.delegation - n0.delegation).toBe(1);
    const second = await signet(['token', ...tenantFlags(t.url, t.clientId), '--target', API]);
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toBe(first.json.token);
    expect((await refreshes(t)).delegation).toBe(n1.delegation);
    // Kept beside the session, gone with it.
    const key = { tenant: t.url, clientId: t.clientId, username: ADA.username };
    expect(await vault.loadBeside(key, API)).toBe(first.json.token);
    await signet(['logout', ...tenantFlags(t.url, t.clientId)]);
    expect(await vault.entryCount(key)).toBe(0);
    expect(await vault.loadBeside(key, API)).toBeUndefined();
  });

  it("--target waits for the session's refresh lock and sends the refresh token stored under it", async () => {
    const user = { username: 'target.lock@signet.test', password: 'Target-Lock-2026' };
    await addDbUser(t, { email: user.username, password: user.password, name: 'Target Lock' });
    await login(t, { user });
    const key = { tenant: t.url, clientId: t.clientId, username: user.username };
    const old = (await stored(t, t.clientId, user.username))!;
    // Another process is renewing the session: it holds the session's refresh lock.
    const file = lockPath(key, 'refresh', env());
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const release = await lockfile.lock(file, { ...LOCK_OPTIONS, onCompromised: () => undefined });
    const n0 = await refreshes(t);
    const asked = signet([
      'token',
      ...tenantFlags(t.url, t.clientId),
      '--username',
      user.username,
      '--target',
      API,
    ]);
    await new Promise((r) => setTimeout(r, 2500));
    // Nothing was asked of the tenant while the renewal was under way ...
    expect((await refreshes(t)).delegation).toBe(n0.delegation);
    // ... which replaces the refresh token (a new one stored, the one read before retired).
    await login(t, { user });
    const renewed = (await stored(t, t.clientId, user.username))!;
    expect(renewed.refresh_token).not.toBe(old.refresh_token);
    const revoke = await fetch(`${t.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: t.clientId, token: old.refresh_token }),
    });
    expect(revoke.status).toBe(200);
    await release();
    const r = await asked;
    expect(r.code, r.stderr).toBe(0);
    expect(decodeJwt(r.stdout.trim())).toMatchObject({ aud: API, email: user.username });
    expect((await refreshes(t)).delegation - n0.delegation).toBe(1);
    expect(await stored(t, t.clientId, user.username)).toEqual(renewed);
    // Gone, so the tests after this one find only their own sessions.
    await signet(['logout', ...tenantFlags(t.url, t.clientId), '--username', user.username]);
  });

  it('a refresh lock that cannot be taken (its folder is a file): renewed unlocked, one warning line saying so', async () => {
    await login(t);
    const n0 = await refreshes(t);
    const elsewhere = newDir();
    writeFileSync(join(elsewhere, 'locks'), 'not a folder');
    const r = await signet(
      ['token', ...tenantFlags(t.url, t.clientId), '--min-valid', '99999999'],
      {
        SIGNET_SETTINGS: join(elsewhere, 'settings.json'),
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe((await stored(t))!.id_token);
    expect((await refreshes(t)).delegation - n0.delegation).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning: .*without the refresh lock/);
    expect(lines[0]).toContain(join(elsewhere, 'locks'));
  });

  it('--target naming a client the tenant refuses: exit 1, the session stays', async () => {
    await login(t);
    const r = await signet([
      'token',
      ...tenantFlags(t.url, t.clientId),
      '--target',
      demo.MODERN_CLIENT,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('unauthorized_client');
    expect(await stored(t)).toBeDefined();
  });

  it('not signed in: exit 1, one line naming the tenant and what to do', async () => {
    const r = await signet([
      'token',
      ...tenantFlags(t.url, t.clientId),
      '--username',
      'nobody@signet.test',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(t.url);
    expect(lines[0]).toContain('signet login');
    expect(lines[0]).toContain('open Signet');
  });

  it('a refresh the tenant refuses (revoked at the tenant): exit 1, one line, the session removed', async () => {
    await login(t);
    const record = (await stored(t))!;
    const revoked = await fetch(`${t.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: t.clientId, token: record.refresh_token }),
    });
    expect(revoked.status).toBe(200);
    const r = await signet(['token', ...tenantFlags(t.url, t.clientId), '--min-valid', '99999999']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(t.url);
    expect(lines[0]).toContain(`signet login --tenant ${t.url} --client-id ${t.clientId}`);
    expect(lines[0]).toContain('not_signed_in');
    expect(await stored(t)).toBeUndefined();
    expect(
      await vault.entryCount({ tenant: t.url, clientId: t.clientId, username: ADA.username }),
    ).toBe(0);
    // And the next call is a plain "not signed in".
    const again = await signet(['token', ...tenantFlags(t.url, t.clientId)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Not signed in');
  });

  it('a blocked user: the refresh is refused, exit 1, the session removed', async () => {
    const user = { username: 'blockme@signet.test', password: 'Blocked-Later-2026' };
    const added = await addDbUser(t, {
      email: user.username,
      password: user.password,
      name: 'Block Me',
    });
    await login(t, { user });
    expect(t.tenant.db.setBlocked(added.user_id, true)).toBe(true);
    const r = await signet([
      'token',
      ...tenantFlags(t.url, t.clientId),
      '--username',
      user.username,
      '--min-valid',
      '99999999',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('user is blocked');
    expect(await stored(t, t.clientId, user.username)).toBeUndefined();
  });
});

describe.skipIf(noKeyring)('signet token: the tenant cannot be reached', () => {
  it('a still-valid token inside --min-valid: printed, a warning on stderr, exit 0', async () => {
    const t = await startTestTenant();
    await login(t);
    const record = (await stored(t))!;
    await t.close();
    const r = await signet(['token', ...tenantFlags(t.url, t.clientId), '--min-valid', '99999999']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${record.id_token}\n`);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning: could not renew the token/);
    expect(await stored(t)).toEqual(record);
  });

  it('an expired token: exit 3, nothing on stdout, the session kept', async () => {
    const t = await startTestTenant({ idTokenLifetime: 2 });
    await login(t);
    const record = (await stored(t))!;
    await t.close();
    const exp = decodeJwt(record.id_token!).exp! * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, exp - Date.now() + 200)));
    const r = await signet(['token', ...tenantFlags(t.url, t.clientId)]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(await stored(t)).toEqual(record);
  });
});

describe.skipIf(noKeyring)('signet token: a 401 that is not the tenant speaking', () => {
  let mb: MisbehavingServer;
  beforeAll(async () => {
    mb = await startMisbehavingServer();
  });
  afterAll(() => mb?.close());

  /** The keychain's record of `username` at a scenario (kept under the tenant without its `/`). */
  const storedAt = (tenant: string, username: string) =>
    vault.load({ tenant: tenant.replace(/\/$/, ''), clientId: MB_CLIENT, username });

  /** Signs `username` in at a misbehaving-server scenario (it answers /oauth/ro like a tenant). */
  async function loginAt(tenant: string, username: string) {
    const r = await runSignet(
      [
        'login',
        ...tenantFlags(tenant, MB_CLIENT),
        '--connection',
        DB,
        '--username',
        username,
        '--password-stdin',
        '--scope',
        SCOPE,
        '--json',
      ],
      { input: 'pw\n', env: env() },
    );
    expect(r.code, r.stderr).toBe(0);
    const record = await storedAt(tenant, username);
    expect(record?.refresh_token).toBeTruthy();
    return record!;
  }

  it.each(['refresh-401-html', 'refresh-401-json'] as const)(
    '%s on renewal with a still-valid token: printed, a warning, exit 0, the session kept',
    async (scenario) => {
      const tenant = mb.tenant(scenario);
      const record = await loginAt(tenant, 'valid');
      const r = await signet([
        'token',
        ...tenantFlags(tenant, MB_CLIENT),
        '--min-valid',
        '99999999',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`${record.id_token}\n`);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^warning: could not renew the token/);
      expect(await storedAt(tenant, 'valid')).toEqual(record);
    },
  );

  it("a captive portal's 401 page on renewal of an expired token: exit 3, the session kept", async () => {
    const tenant = mb.tenant('refresh-401-html');
    const record = await loginAt(tenant, 'short');
    const exp = decodeJwt(record.id_token!).exp! * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, exp - Date.now() + 200)));
    const r = await signet(['token', ...tenantFlags(tenant, MB_CLIENT)]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('(bad_response)');
    expect(await storedAt(tenant, 'short')).toEqual(record);
  });
});

describe.skipIf(noKeyring)('signet accounts and signet use', () => {
  let t: TestTenant;
  const GRACE_DB = { username: 'grace.db@signet.test', password: 'Compiler-1952-Hopper' };
  beforeAll(async () => {
    t = await startTestTenant({
      connections: [
        {
          type: 'database',
          name: DB,
          users: [
            { email: ADA.username, password: ADA.password, name: 'Ada Lovelace', nickname: 'ada' },
            {
              email: GRACE_DB.username,
              password: GRACE_DB.password,
              name: 'Grace Hopper',
              nickname: 'grace',
            },
          ],
        },
      ],
    });
    await login(t);
    await login(t, { user: GRACE_DB });
  });
  afterAll(() => t?.close());

  it('lists the remembered sessions with connection and expiry; use makes one the default for token and whoami', async () => {
    const list = await signet(['accounts', '--json']);
    expect(list.code).toBe(0);
    const mine = (list.json.accounts as Array<Record<string, unknown>>).filter(
      (a) => a.tenant === t.url,
    );
    expect(mine.map((a) => a.username).sort()).toEqual([ADA.username, GRACE_DB.username].sort());
    for (const a of mine) {
      expect(a).toMatchObject({
        clientId: t.clientId,
        connection: DB,
        kind: 'database',
        stored: 'keychain',
      });
      const rec = (await stored(t, t.clientId, String(a.username)))!;
      expect(a.expiresAt).toBe(new Date(decodeJwt(rec.id_token!).exp! * 1000).toISOString());
    }

    // Without --username: the newest (Grace signed in last) until a default is chosen.
    const newest = await signet(['token', ...tenantFlags(t.url, t.clientId), '--format', 'json']);
    expect(newest.json.username).toBe(GRACE_DB.username);

    const use = await signet(['use', ADA.username, '--tenant', t.url]);
    expect(use.code, use.stderr).toBe(0);
    const tok = await signet(['token', '--format', 'json']);
    expect(tok.json).toMatchObject({ username: ADA.username, tenant: t.url });
    const who = await signet(['whoami', '--json']);
    expect(who.json).toMatchObject({ username: ADA.username });
    const again = await signet(['accounts', '--json']);
    const flags = (again.json.accounts as Array<Record<string, unknown>>)
      .filter((a) => a.tenant === t.url)
      .map((a) => [a.username, a.default]);
    expect(flags).toEqual(
      expect.arrayContaining([
        [ADA.username, true],
        [GRACE_DB.username, false],
      ]),
    );
    const text = await signet(['accounts']);
    expect(text.stdout).toMatch(new RegExp(`^\\* ${ADA.username.replace('.', '\\.')} `, 'm'));
  });

  it('use of a session that is not remembered: exit 1, the default unchanged', async () => {
    const r = await signet(['use', 'nobody@signet.test', '--tenant', t.url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Not signed in as nobody@signet.test');
    const tok = await signet(['token', '--format', 'json']);
    expect(tok.json.username).toBe(ADA.username);
  });

  it('use without a username: exit 2', async () => {
    const r = await signet(['use']);
    expect(r.code).toBe(2);
  });
});

describe.skipIf(noKeyring)('tokens for other clients kept beside a session', () => {
  it('survive the chunk sweep of a multi-entry save and go with the session', async () => {
    const k = { tenant: 'https://beside.example', clientId: 'c', username: 'u@beside.example' };
    const record = (n: number): SessionRecord => ({
      ...k,
      connection: DB,
      kind: 'database',
      protocol: 'modern',
      access_token: `a${n}`.padEnd(5000, 'x'), // three chunks
      token_type: 'Bearer',
      scope: 'openid',
      obtained_at: new Date().toISOString(),
    });
    await vault.save(record(1));
    expect(await vault.saveBeside(k, 'api#1', 'target-token')).toBe(true);
    await vault.save(record(2)); // a new generation: the old one's chunks are swept
    expect(await vault.loadBeside(k, 'api#1')).toBe('target-token');
    expect((await vault.load(k))?.access_token).toBe(record(2).access_token);
    expect(await vault.entryCount(k)).toBe(5); // index + 3 chunks + the token beside
    // Too big for one entry: not kept (the caller asks the tenant again).
    expect(await vault.saveBeside(k, 'big', 'x'.repeat(3000))).toBe(false);
    expect(await vault.delete(k)).toBe(5);
    expect(await vault.loadBeside(k, 'api#1')).toBeUndefined();
  });
});
