import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignetService, type SignetService } from '../../src/main/service';
import type { SessionResult } from '../../src/shared/session';
import { startTestTenant, type TestTenant } from '../fixtures/tenant';
import * as demo from '../fixtures/demo';

const ADA = {
  connection: 'Username-Password-Authentication',
  username: 'ada@signet.test',
  password: demo.ADA.password,
  scope: 'profile',
};

// The IPC contract as main serves it: validation of untrusted requests, envelopes, the
// session event, and the diagnostics export — against a real local tenant.
describe('main service (the IPC handlers)', () => {
  let tenant: TestTenant;
  let service: SignetService;
  let dir: string;
  const events: (SessionResult | null)[] = [];

  beforeAll(async () => {
    tenant = await startTestTenant();
    dir = mkdtempSync(join(tmpdir(), 'signet-service-'));
    const settings = join(dir, 'settings.json');
    writeFileSync(settings, JSON.stringify({ tenant: tenant.url, clientId: tenant.clientId }));
    service = createSignetService({
      env: { ...process.env, SIGNET_SETTINGS: settings, SIGNET_CONFIG: join(dir, 'none.json') },
      vault: null,
      onSessionChanged: (s) => events.push(s),
    });
  });
  afterAll(async () => {
    await service?.close();
    await tenant?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unknown channel and a malformed request with invalid_input, never throwing', async () => {
    expect(await service.dispatch('eval', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    const bad = await service.dispatch('signIn', { connection: 1, username: '', extra: true });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('invalid_input');
      expect((bad.error.detail?.issues as string[]).join('\n')).toMatch(/username|password|scope/);
    }
  });

  it('signs in through the contract and pushes the session to the window', async () => {
    const r = await service.dispatch('signIn', {
      connection: 'Username-Password-Authentication',
      username: 'ada@signet.test',
      password: demo.ADA.password,
      scope: 'profile',
    });
    expect(r.ok).toBe(true);
    const session = (r as { value: SessionResult }).value;
    expect(session.profile.name).toBe('Ada Lovelace');
    expect(session.verification.status).toBe('verified');
    expect(events.at(-1)?.username).toBe('ada@signet.test');
  });

  it('answers a wrong password with the tenant’s error kept in the envelope', async () => {
    const r = await service.dispatch('signIn', {
      connection: 'Username-Password-Authentication',
      username: 'ada@signet.test',
      password: 'wrong',
      scope: 'basic',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_user_password', status: 401 } });
  });

  it('exports diagnostics without the password or any token', async () => {
    const tokens = await service.calls.revealTokens({});
    for (const format of ['json', 'markdown'] as const) {
      const r = await service.calls.exportDiagnostics({ format });
      expect(r.content).toContain('ada@signet.test');
      expect(r.content).not.toContain(demo.ADA.password);
      expect(r.content).not.toContain(tokens.access_token);
      expect(r.content).not.toContain(tokens.id_token!.split('.')[1]);
    }
  });

  it('answers the SMS default country from the tenant’s geoloc', async () => {
    const r = await service.dispatch('defaultCountry', {});
    expect(r).toMatchObject({ ok: true });
    expect((r as { value: { country: string | null } }).value.country).toMatch(/^[A-Z]{2}$/);
  });

  it('signs out and tells the window', async () => {
    const r = await service.dispatch('signOut', {});
    expect(r.ok).toBe(true);
    expect(events.at(-1)).toBeNull();
    const armed = (await service.dispatch('armReveal', {})) as { value: { nonce: string } };
    expect(await service.dispatch('revealTokens', { nonce: armed.value.nonce })).toMatchObject({
      ok: false,
      error: { code: 'not_signed_in' },
    });
  });

  it('saves only the fields changed, removes a field set to null, and leaves locked ones alone', async () => {
    const settings = join(dir, 'settings-save.json');
    const managed = join(dir, 'managed-save.json');
    writeFileSync(settings, JSON.stringify({ tenant: tenant.url, proxy: 'http://127.0.0.1:9' }));
    writeFileSync(managed, JSON.stringify({ clientId: tenant.clientId, protocol: 'legacy' }));
    const s = createSignetService({
      env: { ...process.env, SIGNET_SETTINGS: settings, SIGNET_CONFIG: managed },
      vault: null,
    });
    try {
      const r = await s.dispatch('saveSettings', { scope: 'openid email', proxy: null });
      expect(r).toMatchObject({ ok: true });
      expect(JSON.parse(readFileSync(settings, 'utf8'))).toEqual({
        tenant: tenant.url,
        scope: 'openid email',
      });
      expect(await s.dispatch('saveSettings', { protocol: 'modern' })).toMatchObject({
        ok: false,
        error: { code: 'config_invalid', detail: { locked: ['protocol'] } },
      });
    } finally {
      await s.close();
    }
  });

  it('an invalid managed file answers every call with the error naming the field, without crashing', async () => {
    const managed = join(dir, 'managed-bad.json');
    writeFileSync(managed, JSON.stringify({ tenant: 5 }));
    const s = createSignetService({
      env: { ...process.env, SIGNET_SETTINGS: join(dir, 'u.json'), SIGNET_CONFIG: managed },
      vault: null,
    });
    try {
      const view = await s.dispatch('getSettings', {});
      expect(view).toMatchObject({ ok: true, value: { error: { code: 'config_invalid' } } });
      const r = await s.dispatch('restore', {});
      expect(r).toMatchObject({ ok: false, error: { code: 'config_invalid' } });
      expect(JSON.stringify(r)).toContain('tenant');
    } finally {
      await s.close();
    }
  });

  it('a missing CA file neither stops the app nor gets saved', async () => {
    const settings = join(dir, 'settings-ca.json');
    writeFileSync(settings, JSON.stringify({ tenant: tenant.url, caFile: join(dir, 'gone.pem') }));
    const env = {
      ...process.env,
      SIGNET_SETTINGS: settings,
      SIGNET_CONFIG: join(dir, 'none.json'),
    };
    const broken = createSignetService({ env, vault: null });
    try {
      expect(await broken.dispatch('getSettings', {})).toMatchObject({
        ok: true,
        value: { error: { code: 'config_invalid' } },
      });
    } finally {
      await broken.close();
    }
    writeFileSync(settings, JSON.stringify({ tenant: tenant.url }));
    const s = createSignetService({ env, vault: null });
    try {
      expect(await s.dispatch('saveSettings', { caFile: join(dir, 'gone.pem') })).toMatchObject({
        ok: false,
        error: { code: 'config_invalid', detail: { field: 'caFile' } },
      });
      expect(JSON.parse(readFileSync(settings, 'utf8'))).toEqual({ tenant: tenant.url });
      expect(
        await s.dispatch('saveSettings', { proxy: 'http://me:secret@127.0.0.1:3128' }),
      ).toMatchObject({ ok: false });
      expect(readFileSync(settings, 'utf8')).not.toContain('secret');
    } finally {
      await s.close();
    }
  });

  it('a bad CA file is refused before it is written; the service keeps signing in', async () => {
    const settings = join(dir, 'settings-badca.json');
    writeFileSync(settings, JSON.stringify({ tenant: tenant.url, clientId: tenant.clientId }));
    const bad = join(dir, 'bad-ca.pem');
    writeFileSync(bad, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const env = {
      ...process.env,
      SIGNET_SETTINGS: settings,
      SIGNET_CONFIG: join(dir, 'none.json'),
    };
    const s = createSignetService({ env, vault: null });
    try {
      const before = readFileSync(settings, 'utf8');
      expect(await s.dispatch('saveSettings', { caFile: bad })).toMatchObject({
        ok: false,
        error: { code: 'config_invalid', detail: { field: 'caFile' } },
      });
      expect(readFileSync(settings, 'utf8')).toBe(before);
      const r = await s.dispatch('signIn', ADA);
      expect(r).toMatchObject({ ok: true, value: { verification: { status: 'verified' } } });
    } finally {
      await s.close();
    }
    // The next launch is unharmed.
    const next = createSignetService({ env, vault: null });
    try {
      expect(await next.dispatch('getSettings', {})).toMatchObject({ ok: true });
      expect(
        ((await next.dispatch('getSettings', {})) as { value: { error?: unknown } }).value.error,
      ).toBeUndefined();
    } finally {
      await next.close();
    }
  });

  it('settings already in error (a hand-written bad CA file) are fixed through saveSettings', async () => {
    const settings = join(dir, 'settings-fixca.json');
    const bad = join(dir, 'bad-ca-2.pem');
    writeFileSync(bad, 'not a certificate');
    writeFileSync(
      settings,
      JSON.stringify({ tenant: tenant.url, clientId: tenant.clientId, caFile: bad }),
    );
    const env = {
      ...process.env,
      SIGNET_SETTINGS: settings,
      SIGNET_CONFIG: join(dir, 'none.json'),
    };
    const s = createSignetService({ env, vault: null });
    try {
      expect(await s.dispatch('getSettings', {})).toMatchObject({
        ok: true,
        value: { error: { code: 'config_invalid', detail: { field: 'caFile' } } },
      });
      expect(await s.dispatch('signIn', ADA)).toMatchObject({
        ok: false,
        error: { code: 'config_invalid' },
      });
      // A save that leaves the CA file broken is written but the settings stay in error.
      const still = await s.dispatch('saveSettings', { scope: 'openid email' });
      expect(still).toMatchObject({ ok: true, value: { error: { code: 'config_invalid' } } });
      const fixed = await s.dispatch('saveSettings', { caFile: null });
      expect(fixed).toMatchObject({ ok: true });
      expect((fixed as { value: { error?: unknown } }).value.error).toBeUndefined();
      expect(JSON.parse(readFileSync(settings, 'utf8'))).toEqual({
        tenant: tenant.url,
        clientId: tenant.clientId,
        scope: 'openid email',
      });
      const r = await s.dispatch('signIn', ADA);
      expect(r).toMatchObject({ ok: true, value: { verification: { status: 'verified' } } });
    } finally {
      await s.close();
    }
  });

  it.skipIf(process.getuid?.() !== 0)(
    'a managed file anybody may write locks nothing and the Settings view says why',
    async () => {
      const managed = join(dir, 'managed-open.json');
      writeFileSync(managed, JSON.stringify({ tenant: 'https://evil.example.com' }));
      chmodSync(managed, 0o666);
      const settings = join(dir, 'settings-open.json');
      writeFileSync(settings, JSON.stringify({ tenant: tenant.url, clientId: tenant.clientId }));
      const s = createSignetService({
        env: { ...process.env, SIGNET_SETTINGS: settings, SIGNET_CONFIG: managed },
        vault: null,
      });
      try {
        const view = await s.dispatch('getSettings', {});
        expect(view).toMatchObject({
          ok: true,
          value: {
            tenant: tenant.url,
            locked: [],
            managedIgnored: { path: managed, reason: expect.stringMatching(/writable/) },
          },
        });
      } finally {
        await s.close();
      }
    },
  );

  it('keeps the attempts of this run across a settings change', async () => {
    const settings = join(dir, 'settings-attempts.json');
    writeFileSync(settings, JSON.stringify({ tenant: tenant.url, clientId: tenant.clientId }));
    const s = createSignetService({
      env: { ...process.env, SIGNET_SETTINGS: settings, SIGNET_CONFIG: join(dir, 'none.json') },
      vault: null,
    });
    try {
      await s.dispatch('signIn', {
        connection: 'Username-Password-Authentication',
        username: 'ada@signet.test',
        password: 'wrong',
        scope: 'basic',
      });
      await s.dispatch('saveSettings', { scope: 'openid' });
      const r = (await s.dispatch('attempts', {})) as { ok: true; value: { status?: number }[] };
      expect(r.value.map((a) => a.status)).toContain(401);
    } finally {
      await s.close();
    }
  });
});
