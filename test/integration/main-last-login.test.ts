/**
 * The last login as main serves it (Lock's rememberLastLogin), against a real local tenant:
 * recorded after a password or SMS sign-in, kept across sign-out ("Continue as…"), offered only
 * for the tenant and client in use, forgotten by "Not you?" — and the file never holds the
 * password, the SMS code or a token.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignetService } from '../../src/main/service';
import type { LastLogin } from '../../src/shared/ipc';
import * as demo from '../fixtures/demo';
import { serviceOn, withService, writeJson } from '../fixtures/settings-files';
import { startTestTenant, type TestTenant } from '../fixtures/tenant';
import { tempDirs } from '../fixtures/temp-dirs';

const newDir = tempDirs('signet-last-login-main-');
const ADA = {
  connection: 'Username-Password-Authentication',
  username: demo.ADA.username,
  password: demo.ADA.password,
  scope: 'remember' as const,
};

describe('main: last login', () => {
  let tenant: TestTenant;
  let service: SignetService;
  let dir: string;
  const file = () => join(dir, 'last-login.json');

  beforeAll(async () => {
    tenant = await startTestTenant();
    dir = newDir();
    service = serviceOn(
      writeJson(dir, 'settings.json', { tenant: tenant.url, clientId: tenant.clientId }),
    );
  });
  afterAll(async () => {
    await service?.close();
    await tenant?.close();
  });

  it('none before anybody signed in; a failed sign-in records nothing', async () => {
    expect(await service.dispatch('lastLogin', {})).toEqual({ ok: true, value: null });
    const r = await service.dispatch('signIn', { ...ADA, password: 'wrong' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_user_password' } });
    expect(existsSync(file())).toBe(false);
  });

  it('after a password sign-in: who, with which connection, names from the verified token', async () => {
    const r = await service.dispatch('signIn', ADA);
    expect(r.ok).toBe(true);
    const last = await service.dispatch('lastLogin', {});
    expect(last).toMatchObject({
      ok: true,
      value: {
        tenant: `${tenant.url}/`,
        clientId: tenant.clientId,
        connection: 'Username-Password-Authentication',
        kind: 'database',
        username: demo.ADA.username,
        name: 'Ada Lovelace',
        email: demo.ADA.username,
      },
    });
    expect(Date.parse((last as { value: LastLogin }).value.at)).not.toBeNaN();
  });

  it('the file holds no password and no token, and only its owner can read it', async () => {
    const tokens = await service.calls.revealTokens({});
    const text = readFileSync(file(), 'utf8');
    expect(text).not.toContain(demo.ADA.password);
    for (const t of [tokens.access_token, tokens.id_token!, tokens.refresh_token!]) {
      expect(t.length).toBeGreaterThan(8);
      expect(text).not.toContain(t);
    }
    // Not even a JWT's payload part.
    expect(text).not.toContain(tokens.id_token!.split('.')[1]!);
    if (process.platform !== 'win32') expect(statSync(file()).mode & 0o777).toBe(0o600);
  });

  it('sign-out keeps it: that is when "Continue as…" is offered', async () => {
    expect((await service.dispatch('signOut', {})).ok).toBe(true);
    expect(await service.dispatch('lastLogin', {})).toMatchObject({
      ok: true,
      value: { username: demo.ADA.username, name: 'Ada Lovelace' },
    });
  });

  it('is not offered while another client (or tenant) is in use', async () => {
    const other = writeJson(dir, 'settings-other.json', {
      tenant: tenant.url,
      clientId: demo.MODERN_CLIENT,
    });
    // The same folder, so the same last-login file.
    await withService(other, undefined, async (s) => {
      expect(await s.dispatch('lastLogin', {})).toEqual({ ok: true, value: null });
    });
    const elsewhere = writeJson(dir, 'settings-elsewhere.json', {
      tenant: 'https://acme.eu.auth0.com',
      clientId: tenant.clientId,
    });
    await withService(elsewhere, undefined, async (s) => {
      expect(await s.dispatch('lastLogin', {})).toEqual({ ok: true, value: null });
    });
    expect(existsSync(file())).toBe(true);
  });

  it('an SMS sign-in replaces it: the phone number, never the code', async () => {
    const phone = '+14155550123';
    expect((await service.dispatch('startSms', { phone })).ok).toBe(true);
    const code = await tenant.lastCode(phone);
    const r = await service.dispatch('signInWithSms', { phone, code, scope: 'basic' });
    expect(r.ok).toBe(true);
    expect(await service.dispatch('lastLogin', {})).toMatchObject({
      ok: true,
      value: { kind: 'sms', connection: 'sms', username: phone },
    });
    expect(readFileSync(file(), 'utf8')).not.toContain(`"${code}"`);
  });

  it('"Not you?" forgets it; forgetting twice says there was nothing left', async () => {
    expect(await service.dispatch('forgetLastLogin', {})).toEqual({
      ok: true,
      value: { forgotten: true },
    });
    expect(existsSync(file())).toBe(false);
    expect(await service.dispatch('lastLogin', {})).toEqual({ ok: true, value: null });
    expect(await service.dispatch('forgetLastLogin', {})).toEqual({
      ok: true,
      value: { forgotten: false },
    });
  });

  it("the connection report's test sign-ins are nobody's login", async () => {
    const r = await service.dispatch('testConnection', {
      connection: ADA.connection,
      accounts: [{ username: ADA.username, password: ADA.password }],
    });
    expect(r).toMatchObject({ ok: true });
    expect(await service.dispatch('lastLogin', {})).toEqual({ ok: true, value: null });
  });

  it('a hand-edited or huge file is no last login, never an error', async () => {
    writeFileSync(file(), '{"tenant": "x", "kind": ');
    expect(await service.dispatch('lastLogin', {})).toEqual({ ok: true, value: null });
    writeFileSync(file(), 'x'.repeat(1024 * 1024));
    expect(await service.dispatch('lastLogin', {})).toEqual({ ok: true, value: null });
    // The next sign-in writes a good one over it.
    expect((await service.dispatch('signIn', ADA)).ok).toBe(true);
    expect(await service.dispatch('lastLogin', {})).toMatchObject({
      ok: true,
      value: { username: demo.ADA.username },
    });
  });

  it('refuses a request with fields (the channels take none)', async () => {
    expect(await service.dispatch('forgetLastLogin', { all: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });
});
