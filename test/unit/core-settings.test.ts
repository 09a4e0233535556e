/** Settings: user file + managed configuration that locks fields; invalid files name the field. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { rootCertificates } from 'node:tls';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SignInFailure } from '../../src/core/errors.js';
import { loadSettings, saveSettings } from '../../src/core/settings/store.js';
import { tenantBaseUrl, isLoopbackHost } from '../../src/core/auth/tenant-url.js';

function env(user?: unknown, managed?: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'signet-settings-'));
  const e = { SIGNET_SETTINGS: join(dir, 'user.json'), SIGNET_CONFIG: join(dir, 'managed.json') };
  if (user !== undefined) writeFileSync(e.SIGNET_SETTINGS, JSON.stringify(user));
  if (managed !== undefined) writeFileSync(e.SIGNET_CONFIG, JSON.stringify(managed));
  return e;
}
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof SignInFailure) return err.error;
    throw err;
  }
  throw new Error('expected a failure');
};

describe('settings', () => {
  it('defaults: legacy protocol, 10 s timeouts, demo connections, device = host name', () => {
    const { settings, locked } = loadSettings(env());
    expect(settings).toMatchObject({
      protocol: 'legacy',
      timeouts: { connectMs: 10_000, headersMs: 10_000, bodyMs: 10_000 },
      useLocalTenant: false,
    });
    expect(settings.connections.map((c) => c.kind)).toEqual(['database', 'ad', 'sms']);
    expect(settings.device).toBeTruthy();
    expect(locked).toEqual([]);
  });

  it('managed values override the user file and are reported locked with the reason', () => {
    const e = env(
      { tenant: 'user.auth0.com', scope: 'openid' },
      { tenant: 'corp.eu.auth0.com', protocol: 'auto' },
    );
    const { settings, locked, managedFile } = loadSettings(e);
    expect(settings).toMatchObject({
      tenant: 'corp.eu.auth0.com',
      protocol: 'auto',
      scope: 'openid',
    });
    expect(locked.map((l) => l.field).sort()).toEqual(['protocol', 'tenant']);
    expect(locked[0]?.reason).toMatch(/managed configuration/);
    expect(managedFile).toBe(e.SIGNET_CONFIG);
  });

  it('an invalid managed file is an error naming the field, never ignored', () => {
    const e = failure(() =>
      loadSettings(env({}, { connections: [{ name: 'x', kind: 'kerberos' }] })),
    );
    expect(e).toMatchObject({ code: 'config_invalid', detail: { field: 'connections[0].kind' } });
  });

  it('unknown fields and broken JSON are refused', () => {
    expect(failure(() => loadSettings(env({ tennant: 'typo' }))).code).toBe('config_invalid');
    const e = env();
    writeFileSync(e.SIGNET_SETTINGS, '{not json');
    expect(failure(() => loadSettings(e)).message).toMatch(/not valid JSON/);
  });

  it('saving a locked field is refused; other fields are written atomically', () => {
    const e = env({}, { tenant: 'corp.auth0.com' });
    expect(failure(() => saveSettings({ tenant: 'mine.auth0.com' }, e))).toMatchObject({
      code: 'config_invalid',
      detail: { locked: ['tenant'] },
    });
    const after = saveSettings({ clientId: 'abc', protocol: 'modern' }, e);
    expect(after.settings).toMatchObject({
      clientId: 'abc',
      protocol: 'modern',
      tenant: 'corp.auth0.com',
    });
    expect(JSON.parse(readFileSync(e.SIGNET_SETTINGS, 'utf8'))).toEqual({
      clientId: 'abc',
      protocol: 'modern',
    });
  });
});

describe('a bad CA file cannot brick the app', () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-ca-'));
  const good = join(dir, 'good.pem');
  writeFileSync(good, rootCertificates[0]!);
  const badPem = join(dir, 'bad.pem');
  writeFileSync(
    badPem,
    '-----BEGIN CERTIFICATE-----\nthis is not a certificate at all\n-----END CERTIFICATE-----\n',
  );
  const notPem = join(dir, 'notes.txt');
  writeFileSync(notPem, 'a shopping list, not a certificate\n');
  const folder = join(dir, 'a-folder');
  mkdirSync(folder);
  const missing = join(dir, 'missing.pem');

  it('a bad PEM, a non-PEM file, a folder and a missing file are refused before anything is written', () => {
    const e = env({ scope: 'openid' });
    const before = readFileSync(e.SIGNET_SETTINGS, 'utf8');
    for (const caFile of [badPem, notPem, folder, missing, '/dev/zero']) {
      expect(failure(() => saveSettings({ caFile }, e))).toMatchObject({
        code: 'config_invalid',
        detail: { field: 'caFile' },
      });
      expect(readFileSync(e.SIGNET_SETTINGS, 'utf8')).toBe(before);
    }
    expect(saveSettings({ caFile: good }, e).settings.caFile).toBe(good);
  });

  it('a settings file already in error is fixed by the save that clears or replaces the field', () => {
    // Hand-written: a CA field the schema refuses, beside a field that must survive the fix.
    const e = env({ caFile: '', scope: 'openid' });
    expect(failure(() => loadSettings(e)).code).toBe('config_invalid');
    expect(saveSettings({ caFile: null }, e).settings.scope).toBe('openid');
    expect(JSON.parse(readFileSync(e.SIGNET_SETTINGS, 'utf8'))).toEqual({ scope: 'openid' });

    const e2 = env({ caFile: '', scope: 'openid' });
    expect(saveSettings({ caFile: good }, e2).settings).toMatchObject({
      caFile: good,
      scope: 'openid',
    });
    // A field left broken by the patch still stops the save, naming it.
    const e3 = env({ caFile: '', scope: 'openid' });
    expect(failure(() => saveSettings({ scope: 'openid email' }, e3))).toMatchObject({
      code: 'config_invalid',
      detail: { field: 'caFile' },
    });
  });

  it('the error reads the same for a missing file, a folder, an unrelated file and /dev/zero', () => {
    // Only the path the user typed is named: nothing tells whether something is there.
    const e = env({});
    const said = [missing, folder, notPem, '/root/whatever', '/dev/zero'].map((caFile) => {
      const err = failure(() => saveSettings({ caFile }, e));
      return JSON.stringify(err).split(caFile).join('<path>');
    });
    expect(new Set(said).size).toBe(1);
    expect(said[0]).not.toMatch(/ENOENT|EISDIR|EACCES|exist|directory|permission/i);
  });
});

describe('tenant addresses', () => {
  it('a bare domain means https and gets a trailing slash', () => {
    expect(tenantBaseUrl('acme.eu.auth0.com').href).toBe('https://acme.eu.auth0.com/');
    expect(tenantBaseUrl('http://127.0.0.1:4455').href).toBe('http://127.0.0.1:4455/');
  });

  it('plain http is refused unless the host is loopback', () => {
    expect(failure(() => tenantBaseUrl('http://tenant.example.com'))).toMatchObject({
      code: 'config_invalid',
    });
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('127.9.9.9')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(isLoopbackHost('127.0.0.1.example.com')).toBe(false);
  });
});
