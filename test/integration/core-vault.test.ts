/**
 * The vault against the real keychain (gnome-keyring over the Secret Service, in the private
 * D-Bus session `npm test` starts). Run alone with `npm test -- test/integration/core-vault`.
 */
import { randomBytes } from 'node:crypto';
import keytar from '@github/keytar';
import { afterAll, describe, expect, it } from 'vitest';
import { SignetCore, Vault, type SessionRecord } from '../../src/core/index.js';
import { keyringMissing } from '../fixtures/keyring.js';

const skip = await keyringMissing();
const service = `signet-test-${process.pid}-${randomBytes(3).toString('hex')}`;
const vault = new Vault(service);

function record(
  username: string,
  idTokenBytes: number,
  extra: Partial<SessionRecord> = {},
): SessionRecord {
  return {
    tenant: 'http://127.0.0.1:4455',
    clientId: 'signet-demo',
    username,
    connection: 'Username-Password-Authentication',
    kind: 'database',
    protocol: 'legacy',
    id_token: randomBytes(Math.ceil(idTokenBytes * 0.75))
      .toString('base64url')
      .slice(0, idTokenBytes),
    access_token: randomBytes(16).toString('base64url'),
    refresh_token: randomBytes(24).toString('base64url'),
    token_type: 'Bearer',
    scope: 'openid profile offline_access',
    obtained_at: new Date().toISOString(),
    ...extra,
  };
}

const entries = async () => (await keytar.findCredentials(service)).map((c) => c.account);

afterAll(async () => {
  if (skip) return;
  for (const a of await entries()) await keytar.deletePassword(service, a);
});

describe.skipIf(skip)('vault on the real keychain', () => {
  it('saves and restores a small record in one entry', async () => {
    const r = record('small@signet.test', 300);
    await vault.save(r);
    expect(await vault.load(r)).toEqual(r);
    expect(await vault.entryCount(r)).toBe(1);
  });

  it('splits a 5 KB record over numbered entries of at most 2000 bytes and reads it back whole', async () => {
    const r = record('five@signet.test', 5 * 1024);
    await vault.save(r);
    expect(await vault.load(r)).toEqual(r);
    const n = await vault.entryCount(r);
    expect(n).toBe(1 + Math.ceil(JSON.stringify(r).length / 2000));
    for (const c of await keytar.findCredentials(service))
      expect(Buffer.byteLength(c.password)).toBeLessThanOrEqual(2000);
  });

  it('round-trips a 64 KB record', async () => {
    const r = record('sixtyfour@signet.test', 64 * 1024);
    await vault.save(r);
    expect(await vault.load(r)).toEqual(r);
    expect(await vault.entryCount(r)).toBeGreaterThan(32);
  });

  it('keeps non-ASCII text intact and every entry within 2000 bytes', async () => {
    const r = record('ünïcødé@signet.test', 4000, { connection: 'Bücher-ÄÖÜ-€' });
    await vault.save(r);
    expect(await vault.load(r)).toEqual(r);
  });

  it('replacing a big record with a small one leaves no chunk of the old generation', async () => {
    const key = record('shrink@signet.test', 10_000);
    await vault.save(key);
    const small = { ...record('shrink@signet.test', 200) };
    await vault.save(small);
    expect(await vault.load(small)).toEqual(small);
    expect(await vault.entryCount(small)).toBe(1);
  });

  it('a reader never sees half of a write', async () => {
    const a = record('race@signet.test', 9000, { access_token: 'A'.repeat(40) });
    const b = record('race@signet.test', 7000, { access_token: 'B'.repeat(40) });
    await vault.save(a);
    let stop = false;
    const writer = (async () => {
      for (let i = 0; i < 12; i++) await vault.save(i % 2 ? a : b);
      stop = true;
    })();
    let reads = 0;
    while (!stop) {
      const got = await vault.load(a);
      // Either whole record, never a mix or a torn one.
      expect([JSON.stringify(a), JSON.stringify(b)]).toContain(JSON.stringify(got));
      reads++;
    }
    await writer;
    expect(reads).toBeGreaterThan(0);
  });

  it('lists remembered accounts without their tokens', async () => {
    const r = record('listed@signet.test', 100);
    await vault.save(r);
    const accounts = await vault.accounts();
    const mine = accounts.find((x) => x.username === 'listed@signet.test');
    expect(mine).toMatchObject({
      tenant: r.tenant,
      clientId: 'signet-demo',
      connection: r.connection,
      kind: 'database',
    });
    expect(JSON.stringify(accounts)).not.toContain(r.access_token);
  });

  it('delete removes the index and every chunk', async () => {
    const r = record('gone@signet.test', 64 * 1024);
    await vault.save(r);
    const before = await vault.entryCount(r);
    expect(before).toBeGreaterThan(30);
    expect(await vault.delete(r)).toBe(before);
    expect(await vault.load(r)).toBeUndefined();
    expect((await entries()).filter((a) => a.includes('gone@signet.test'))).toEqual([]);
  });
});

describe.skipIf(skip)('vault next to foreign or malformed entries', () => {
  it('skips an entry whose account is not valid percent-encoding, in accounts() and restore', async () => {
    // No id_token: restore then needs no tenant (nothing to verify).
    const good = record('next-to-malformed@signet.test', 300, { id_token: undefined });
    await vault.save(good);
    // Written by someone else under the same service: `%zz` makes decodeURIComponent throw.
    const index = JSON.stringify({
      v: 1,
      inline: '{}',
      meta: { connection: 'x', kind: 'database', obtainedAt: new Date().toISOString() },
    });
    await keytar.setPassword(service, 'v1|%zz|signet-demo|mallory', index);
    await keytar.setPassword(service, 'v1|http%3A%2F%2Fa|%E0%A4%A|bob', index);
    try {
      const listed = await vault.accounts();
      expect(listed.map((a) => a.username)).toContain(good.username);
      expect(listed.map((a) => a.username)).not.toContain('mallory');
      expect(listed.map((a) => a.username)).not.toContain('bob');
      // The core's own listing and a restore that looks the session up without a username.
      const core = new SignetCore({ vault });
      try {
        expect((await core.accounts()).map((a) => a.username)).toContain(good.username);
        const restored = await core.restore({ tenant: good.tenant, clientId: good.clientId });
        expect(restored).toMatchObject({ username: good.username, stored: 'keychain' });
      } finally {
        await core.close();
      }
    } finally {
      await keytar.deletePassword(service, 'v1|%zz|signet-demo|mallory');
      await keytar.deletePassword(service, 'v1|http%3A%2F%2Fa|%E0%A4%A|bob');
      await vault.delete(good);
    }
  });
});
