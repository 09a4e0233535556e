/**
 * Sign-up and "Forgot password" as the window calls them (main's `signUp` and `resetPassword`
 * channels), against a real local tenant: requests validated, the created account and the
 * tenant's sentence answered, a refusal's code and rules intact across the envelope, and the
 * password nowhere in the diagnostics export.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignetService } from '../../src/main/service';
import { checkPassword } from '../../src/shared/password-policy';
import { serviceOn, writeJson } from '../fixtures/settings-files';
import { RESET_EMAIL_SENT } from '../../src/shared/signup-rules';
import { startTestTenant, type TestTenant } from '../fixtures/tenant';
import { tempDirs } from '../fixtures/temp-dirs';

const newDir = tempDirs('signet-signup-main-');
const DB = 'Username-Password-Authentication';
const STRONG = `Strong-${randomBytes(4).toString('hex')}`;
/** Five characters: too short for the demo database's `good` policy. */
const WEAK = `w${randomBytes(2).toString('hex')}`;
const fresh = () => `main.${randomBytes(4).toString('hex')}@signup.signet.test`;

describe('main: sign-up and reset channels', () => {
  let tenant: TestTenant;
  let service: SignetService;

  beforeAll(async () => {
    tenant = await startTestTenant();
    service = serviceOn(
      writeJson(newDir(), 'settings.json', { tenant: tenant.url, clientId: tenant.clientId }),
    );
  });
  afterAll(async () => {
    await service?.close();
    await tenant?.close();
  });

  it('refuses malformed requests before anything is sent', async () => {
    for (const req of [
      { connection: DB, email: fresh() },
      { connection: DB, email: fresh(), password: '' },
      { connection: DB, email: fresh(), password: STRONG, admin: true },
      { connection: '', email: fresh(), password: STRONG },
    ])
      expect(await service.dispatch('signUp', req)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    expect(await service.dispatch('resetPassword', { connection: DB })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await service.calls.attempts({})).toEqual([]);
  });

  it('creates the account (nobody signed in), then the same password signs in', async () => {
    const email = fresh();
    expect(await service.dispatch('signUp', { connection: DB, email, password: STRONG })).toEqual({
      ok: true,
      value: { email, emailVerified: false },
    });
    expect(await service.dispatch('lastLogin', {})).toEqual({ ok: true, value: null });
    const r = await service.dispatch('signIn', {
      connection: DB,
      username: email,
      password: STRONG,
      scope: 'basic',
    });
    expect(r).toMatchObject({ ok: true, value: { username: email } });
    expect(await service.dispatch('lastLogin', {})).toMatchObject({
      ok: true,
      value: { username: email, email },
    });
  });

  it('a weak password comes back with its rules intact across the envelope', async () => {
    const r = await service.dispatch('signUp', {
      connection: DB,
      email: fresh(),
      password: WEAK,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_password');
    expect(r.error.message).toMatch(/^This password is too weak: at least 8 characters/);
    // What crosses IPC is a structured clone: the rules survive it as they are.
    expect(structuredClone(r.error).detail?.rules).toEqual(checkPassword('good', WEAK).rules);
  });

  it("reset answers the tenant's sentence", async () => {
    expect(await service.dispatch('resetPassword', { connection: DB, email: fresh() })).toEqual({
      ok: true,
      value: { message: RESET_EMAIL_SENT },
    });
  });

  it('the diagnostics export never holds a password that was sent', async () => {
    for (const format of ['json', 'markdown'] as const) {
      const { content } = await service.calls.exportDiagnostics({ format });
      expect(content).toContain('/dbconnections/signup');
      expect(content).not.toContain(STRONG);
      expect(content).not.toContain(WEAK);
    }
  });
});
