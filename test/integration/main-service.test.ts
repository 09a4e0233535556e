import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignetService } from '../../src/main/service';
import { NEEDS_GESTURE } from '../../src/shared/ipc';
import type { SessionResult } from '../../src/shared/session';
import { serviceOn, withService, writeJson } from '../fixtures/settings-files';
import { startTestTenant, type TestTenant } from '../fixtures/tenant';
import * as demo from '../fixtures/demo';

const ADA = {
  connection: 'Username-Password-Authentication',
  username: 'ada@signet.test',
  password: demo.ADA.password,
  scope: 'profile',
};
/** Ada with a wrong password: the tenant answers 401. */
const WRONG = { ...ADA, password: 'wrong', scope: 'basic' };

// The IPC contract as main serves it: validation of untrusted requests, envelopes, the
// session event, and the diagnostics export — against a real local tenant.
describe('main service (the IPC handlers)', () => {
  let tenant: TestTenant;
  let service: SignetService;
  let dir: string;
  const events: (SessionResult | null)[] = [];
  /** Settings that name the test tenant and its client. */
  const demoSettings = () => ({ tenant: tenant.url, clientId: tenant.clientId });

  beforeAll(async () => {
    tenant = await startTestTenant();
    dir = mkdtempSync(join(tmpdir(), 'signet-service-'));
    service = serviceOn(writeJson(dir, 'settings.json', demoSettings()), undefined, {
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
    const r = await service.dispatch('signIn', ADA);
    expect(r.ok).toBe(true);
    const session = (r as { value: SessionResult }).value;
    expect(session.profile.name).toBe('Ada Lovelace');
    expect(session.verification.status).toBe('verified');
    expect(events.at(-1)?.username).toBe('ada@signet.test');
  });

  it('answers a wrong password with the tenant’s error kept in the envelope', async () => {
    const r = await service.dispatch('signIn', WRONG);
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
    const settings = writeJson(dir, 'settings-save.json', {
      tenant: tenant.url,
      proxy: 'http://127.0.0.1:9',
    });
    const managed = writeJson(dir, 'managed-save.json', {
      clientId: tenant.clientId,
      protocol: 'legacy',
    });
    await withService(settings, managed, async (s) => {
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
    });
  });

  it('an invalid managed file answers every call with the error naming the field, without crashing', async () => {
    const managed = writeJson(dir, 'managed-bad.json', { tenant: 5 });
    await withService(join(dir, 'u.json'), managed, async (s) => {
      const view = await s.dispatch('getSettings', {});
      expect(view).toMatchObject({ ok: true, value: { error: { code: 'config_invalid' } } });
      const r = await s.dispatch('restore', {});
      expect(r).toMatchObject({ ok: false, error: { code: 'config_invalid' } });
      expect(JSON.stringify(r)).toContain('tenant');
    });
  });

  it('a missing CA file neither stops the app nor gets saved', async () => {
    const settings = writeJson(dir, 'settings-ca.json', {
      tenant: tenant.url,
      caFile: join(dir, 'gone.pem'),
    });
    await withService(settings, undefined, async (broken) => {
      expect(await broken.dispatch('getSettings', {})).toMatchObject({
        ok: true,
        value: { error: { code: 'config_invalid' } },
      });
    });
    writeJson(dir, 'settings-ca.json', { tenant: tenant.url });
    await withService(settings, undefined, async (s) => {
      expect(await s.dispatch('saveSettings', { caFile: join(dir, 'gone.pem') })).toMatchObject({
        ok: false,
        error: { code: 'config_invalid', detail: { field: 'caFile' } },
      });
      expect(JSON.parse(readFileSync(settings, 'utf8'))).toEqual({ tenant: tenant.url });
      // The user is told which value and what is wrong with it, in a sentence the window
      // translates (the problem a sentence of its own) — and the secret is not echoed.
      const withSecret = await s.dispatch('saveSettings', {
        proxy: 'http://me:secret@127.0.0.1:3128',
      });
      expect(withSecret).toMatchObject({
        ok: false,
        error: {
          code: 'invalid_input',
          message: 'The value of proxy was refused: must not contain a user name or password.',
          i18n: {
            key: 'errors.window.badValue',
            values: { field: 'proxy' },
            sentences: { problem: { key: 'errors.config.problem.proxyCredentials' } },
          },
        },
      });
      expect(JSON.stringify(withSecret)).not.toContain('secret');
      expect(readFileSync(settings, 'utf8')).not.toContain('secret');
    });
  });

  it('a bad CA file is refused before it is written; the service keeps signing in', async () => {
    const settings = writeJson(dir, 'settings-badca.json', demoSettings());
    const bad = join(dir, 'bad-ca.pem');
    writeFileSync(bad, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await withService(settings, undefined, async (s) => {
      const before = readFileSync(settings, 'utf8');
      expect(await s.dispatch('saveSettings', { caFile: bad })).toMatchObject({
        ok: false,
        error: { code: 'config_invalid', detail: { field: 'caFile' } },
      });
      expect(readFileSync(settings, 'utf8')).toBe(before);
      const r = await s.dispatch('signIn', ADA);
      expect(r).toMatchObject({ ok: true, value: { verification: { status: 'verified' } } });
    });
    // The next launch is unharmed.
    await withService(settings, undefined, async (next) => {
      expect(await next.dispatch('getSettings', {})).toMatchObject({ ok: true });
      expect(
        ((await next.dispatch('getSettings', {})) as { value: { error?: unknown } }).value.error,
      ).toBeUndefined();
    });
  });

  it('settings already in error (a hand-written bad CA file) are fixed through saveSettings', async () => {
    const settings = join(dir, 'settings-fixca.json');
    const bad = join(dir, 'bad-ca-2.pem');
    writeFileSync(bad, 'not a certificate');
    writeJson(dir, 'settings-fixca.json', { ...demoSettings(), caFile: bad });
    await withService(settings, undefined, async (s) => {
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
    });
  });

  it.skipIf(process.getuid?.() !== 0)(
    'a managed file anybody may write locks nothing and the Settings view says why',
    async () => {
      const managed = writeJson(
        dir,
        'managed-open.json',
        { tenant: 'https://evil.example.com' },
        0o666,
      );
      const settings = writeJson(dir, 'settings-open.json', demoSettings());
      await withService(settings, managed, async (s) => {
        const view = await s.dispatch('getSettings', {});
        expect(view).toMatchObject({
          ok: true,
          value: {
            tenant: tenant.url,
            locked: [],
            managedIgnored: { path: managed, reason: expect.stringMatching(/writable/) },
          },
        });
      });
    },
  );

  it('keeps the attempts of this run across a settings change', async () => {
    const settings = writeJson(dir, 'settings-attempts.json', demoSettings());
    await withService(settings, undefined, async (s) => {
      await s.dispatch('signIn', WRONG);
      await s.dispatch('saveSettings', { scope: 'openid' });
      const r = (await s.dispatch('attempts', {})) as { ok: true; value: { status?: number }[] };
      expect(r.value.map((a) => a.status)).toContain(401);
    });
  });
});

// The tokens' Copy buttons (review 11, finding 9): main copies the named token itself, on
// the nonce of a click, and the page gets only ok or an error — never the token.
describe('copyToken: main copies one named token of the shown session, on a fresh click', () => {
  let tenant: TestTenant;
  let service: SignetService;
  let dir: string;
  const copied: string[] = [];
  const arm = async () => {
    const r = await service.dispatch('armReveal', {});
    expect(r.ok, JSON.stringify(r)).toBe(true);
    return (r as { value: { nonce: string } }).value.nonce;
  };
  const copy = async (token: string, nonce?: string) =>
    service.dispatch('copyToken', { token, ...(nonce ? { nonce } : {}) });

  beforeAll(async () => {
    tenant = await startTestTenant();
    dir = mkdtempSync(join(tmpdir(), 'signet-copy-token-'));
    const settings = writeJson(dir, 'settings.json', {
      tenant: tenant.url,
      clientId: tenant.clientId,
    });
    service = serviceOn(settings, undefined, {
      clipboard: { writeText: (t) => void copied.push(t) },
    });
  });
  afterAll(async () => {
    await service?.close();
    await tenant?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is refused when no session is shown, and copies nothing', async () => {
    expect(await copy('id_token', await arm())).toMatchObject({
      ok: false,
      error: { code: 'not_signed_in' },
    });
    expect(copied).toEqual([]);
  });

  it('is refused without a fresh nonce: none, a spent one, a wrong one', async () => {
    expect(await service.dispatch('signIn', { ...ADA, scope: 'remember' })).toMatchObject({
      ok: true,
    });
    const refused = {
      ok: false,
      error: { ...NEEDS_GESTURE.copyToken, detail: { channel: 'copyToken' } },
    };
    expect(await copy('id_token')).toMatchObject(refused);
    const nonce = await arm();
    expect(await copy('id_token', nonce)).toMatchObject({ ok: true });
    expect(await copy('id_token', nonce)).toMatchObject(refused);
    await arm();
    expect(await copy('id_token', 'x'.repeat(43))).toMatchObject(refused);
    // A reveal's nonce is not a copy's second chance either: one nonce, one call.
    const once = await arm();
    expect(await service.dispatch('revealTokens', { nonce: once })).toMatchObject({ ok: true });
    expect(await copy('access_token', once)).toMatchObject(refused);
    expect(copied).toHaveLength(1);
  });

  it('copies exactly the named token of the shown session, and answers without it', async () => {
    const tokens = await service.calls.revealTokens({});
    for (const token of ['id_token', 'access_token', 'refresh_token'] as const) {
      const r = await copy(token, await arm());
      expect(r).toEqual({ ok: true, value: { copied: token } });
      expect(copied.at(-1)).toBe(tokens[token]);
      expect(JSON.stringify(r)).not.toContain(tokens[token]);
    }
    expect(new Set(copied.slice(-3)).size).toBe(3);
  });

  it('is refused when the shown session has no such token (no refresh token without offline_access)', async () => {
    expect(await service.dispatch('signIn', ADA)).toMatchObject({ ok: true });
    const before = copied.length;
    const r = await copy('refresh_token', await arm());
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'This session has no refresh token.' },
    });
    expect(copied).toHaveLength(before);
  });

  it('refuses a token name outside the three, or any other field, by its schema', async () => {
    const before = copied.length;
    for (const request of [
      { token: 'password', nonce: await arm() },
      { token: 'token_type', nonce: await arm() },
      { token: 'id_token', nonce: await arm(), text: 'rm -rf ~' },
      { nonce: await arm() },
    ]) {
      const r = await service.dispatch('copyToken', request);
      expect(r, JSON.stringify(request)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: 'Signet received a request it cannot accept.' },
      });
    }
    expect(copied).toHaveLength(before);
  });
});
