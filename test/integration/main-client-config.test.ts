/**
 * The `clientConfig` channel as main serves it, and what it changes for `signIn`: a
 * connection only the client's configuration names (here `acme-ad`, an AD connection the
 * settings' defaults do not list) signs in as AD, not as core's guess (`database`); settings
 * that name connections keep deciding. Against a real local tenant, sessions in memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceOn, writeJson } from '../fixtures/settings-files';
import { startTestTenant, type TestTenant } from '../fixtures/tenant';
import { ADA, GRACE } from '../fixtures/demo';
import { DEMO_DATABASE } from '../../src/tenant/config';

const ACME_AD = { type: 'ad', name: 'acme-ad', ldap: 'demo', domain: 'acme.test' } as const;
const GRACE_ON_ACME = { connection: 'acme-ad', ...GRACE, scope: 'profile' } as const;

describe('main service: the client configuration', () => {
  let tenant: TestTenant;
  const dirs: string[] = [];
  const folder = () => {
    const d = mkdtempSync(join(tmpdir(), 'signet-main-cc-'));
    dirs.push(d);
    return d;
  };
  beforeAll(async () => {
    tenant = await startTestTenant({ connections: [ACME_AD] });
  });
  afterAll(async () => {
    await tenant?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('answers the tenant’s client configuration over the channel', async () => {
    const s = serviceOn(
      writeJson(folder(), 'settings.json', { tenant: tenant.url, clientId: tenant.clientId }),
    );
    try {
      const r = await s.dispatch('clientConfig', {});
      expect(r.ok).toBe(true);
      const view = (
        r as { value: { connections: { name: string; kind: string }[]; source: string } }
      ).value;
      expect(view.source).toBe('network');
      expect(view.connections).toContainEqual(
        expect.objectContaining({ name: 'acme-ad', kind: 'ad', domains: ['acme.test'] }),
      );
      expect((await s.dispatch('clientConfig', { refresh: true })).ok).toBe(true);
      expect(await s.dispatch('clientConfig', { refresh: 'yes' })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    } finally {
      await s.close();
    }
  });

  it('signs in to a connection only the client’s configuration names as what it is (AD)', async () => {
    const s = serviceOn(
      writeJson(folder(), 'settings.json', { tenant: tenant.url, clientId: tenant.clientId }),
    );
    try {
      await s.calls.clientConfig({});
      const session = await s.calls.signIn(GRACE_ON_ACME);
      expect(session.connection).toMatchObject({ name: 'acme-ad', kind: 'ad' });
      expect(session.username).toBe('grace');
    } finally {
      await s.close();
    }
  });

  it('knows the kind even when the window has not asked yet (a relaunch: the copy on disk)', async () => {
    const dir = folder();
    const settings = writeJson(dir, 'settings.json', {
      tenant: tenant.url,
      clientId: tenant.clientId,
    });
    const first = serviceOn(settings);
    await first.calls.clientConfig({});
    await first.close();
    const relaunched = serviceOn(settings);
    try {
      const session = await relaunched.calls.signIn(GRACE_ON_ACME);
      expect(session.connection.kind).toBe('ad');
    } finally {
      await relaunched.close();
    }
  });

  it('lets settings that name connections decide: the client’s are then not used', async () => {
    const s = serviceOn(
      writeJson(folder(), 'settings.json', {
        tenant: tenant.url,
        clientId: tenant.clientId,
        connections: [{ name: 'Username-Password-Authentication', kind: 'database' }],
      }),
    );
    try {
      await s.calls.clientConfig({});
      // Not offered by the form: core signs in with its guess, as the CLI would.
      const session = await s.calls.signIn(GRACE_ON_ACME);
      expect(session.connection.kind).toBe('database');
    } finally {
      await s.close();
    }
  });

  it('an answer for the settings before a save does not decide sign-ins after it', async () => {
    // The old tenant lists the demo database under `ad`, and answers only once the save is under way.
    let asked!: () => void;
    const wasAsked = new Promise<void>((r) => (asked = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const old = createServer((_req, res) => {
      asked();
      void released.then(() =>
        res
          .writeHead(200, { 'content-type': 'application/javascript' })
          .end(
            `Auth0.setClient({"strategies":[{"name":"ad","connections":[{"name":"${DEMO_DATABASE}"}]}]});`,
          ),
      );
    });
    await new Promise<void>((r) => old.listen(0, '127.0.0.1', r));
    const s = serviceOn(
      writeJson(folder(), 'settings.json', {
        tenant: `http://127.0.0.1:${(old.address() as AddressInfo).port}`,
        clientId: 'app',
      }),
    );
    try {
      const stale = s.calls.clientConfig({ refresh: true });
      await wasAsked;
      const saving = s.calls.saveSettings({ tenant: tenant.url, clientId: tenant.clientId });
      release();
      expect((await stale).connections).toContainEqual(
        expect.objectContaining({ name: DEMO_DATABASE, kind: 'ad' }),
      );
      await saving;
      const session = await s.calls.signIn({ connection: DEMO_DATABASE, ...ADA, scope: 'profile' });
      expect(session.connection).toMatchObject({ name: DEMO_DATABASE, kind: 'database' });
    } finally {
      await s.close();
      await new Promise((r) => old.close(r));
    }
  });
});
