/**
 * The tenant's RS256 keys: kept in the data dir (mode 0600) across restarts; rotation publishes
 * the new key, keeps the old one while its tokens may still be valid, then drops it; a
 * `keys rotate` from the CLI is picked up by a running tenant.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../fixtures/temp-dirs';
import { getFrom, postTo, startTestTenant, type TestTenant } from '../fixtures/tenant';
import { ADA } from '../fixtures/demo';

const root = new URL('../..', import.meta.url).pathname;
const tempDir = tempDirs('signet-tenant-keys-');

const idToken = async (t: TestTenant): Promise<string> =>
  (
    await postTo(t.url, '/oauth/ro', {
      client_id: 'signet-demo',
      connection: 'Username-Password-Authentication',
      grant_type: 'password',
      username: 'ada@signet.test',
      password: ADA.password,
      scope: 'openid',
    })
  ).body.id_token;
const jwks = async (t: TestTenant): Promise<JSONWebKeySet> =>
  (await getFrom(t.url, '/.well-known/jwks.json')).body;
const kids = async (t: TestTenant) => (await jwks(t)).keys.map((k) => k.kid);

describe('signing keys', () => {
  it('keeps the key in <dataDir>/keys.json (mode 0600) and reuses it after a restart', async () => {
    const dir = tempDir();
    const first = await startTestTenant({ dataDir: dir, corpLdap: false });
    const token = await idToken(first);
    const kidsBefore = await kids(first);
    await first.close();
    expect(statSync(join(dir, 'keys.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'tenant.sqlite')).mode & 0o777).toBe(0o600);

    const second = await startTestTenant({ dataDir: dir, corpLdap: false });
    try {
      expect(await kids(second)).toEqual(kidsBefore);
      // An id_token from before the restart still verifies (iss differs: a new port), by key.
      await expect(jwtVerify(token, createLocalJWKSet(await jwks(second)))).resolves.toBeTruthy();
    } finally {
      await second.close();
    }
  });

  it('rotation publishes the new key first and keeps the old one: tokens of both verify', async () => {
    const t = await startTestTenant({ corpLdap: false });
    try {
      const before = await idToken(t);
      const oldKid = decodeProtectedHeader(before).kid;
      const newKid = await t.tenant.keys.rotate();
      const after = await idToken(t);
      expect(decodeProtectedHeader(after).kid).toBe(newKid);
      expect(newKid).not.toBe(oldKid);
      expect(await kids(t)).toEqual([newKid, oldKid]);
      const set = createLocalJWKSet(await jwks(t));
      for (const token of [before, after]) {
        await expect(
          jwtVerify(token, set, { issuer: t.issuer, audience: 'signet-demo' }),
        ).resolves.toBeTruthy();
      }
      // /tokeninfo still accepts a token signed with the retired key.
      expect((await postTo(t.url, '/tokeninfo', { id_token: before })).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('drops a retired key once every token it signed has expired (the id_token lifetime)', async () => {
    const t = await startTestTenant({ corpLdap: false, idTokenLifetime: 1 });
    try {
      const oldKid = (await kids(t))[0];
      const newKid = await t.tenant.keys.rotate();
      expect(await kids(t)).toEqual([newKid, oldKid]);
      await new Promise((r) => setTimeout(r, 1200));
      expect(await kids(t)).toEqual([newKid]);
    } finally {
      await t.close();
    }
  });

  it('picks up `keys rotate` run from the CLI beside the running tenant', async () => {
    const dir = tempDir();
    const t = await startTestTenant({ dataDir: dir, corpLdap: false });
    try {
      const before = await kids(t);
      const r = spawnSync(
        'npx',
        ['tsx', 'src/tenant/cli.ts', 'keys', 'rotate', '--data-dir', dir],
        { cwd: root, encoding: 'utf8', timeout: 60_000 },
      );
      expect(r.status, r.stderr).toBe(0);
      const newKid = /new signing key (\S+);/.exec(r.stdout)![1];
      await new Promise((res) => setTimeout(res, 1100));
      expect(await kids(t)).toEqual([newKid, ...before]);
      expect(decodeProtectedHeader(await idToken(t)).kid).toBe(newKid);
    } finally {
      await t.close();
    }
  });
});
