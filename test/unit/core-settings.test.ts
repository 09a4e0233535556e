/** Settings: user file + managed configuration that locks fields; invalid files name the field. */
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { rootCertificates } from 'node:tls';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SignInFailure } from '../../src/core/errors.js';
import { loadSettings, saveSettings } from '../../src/core/settings/store.js';
import {
  managedConfigTrust,
  parseSddl,
  type PosixEntry,
} from '../../src/core/settings/managed-trust.js';
import { tenantBaseUrl } from '../../src/core/auth/tenant-url.js';
import { isPinnedLoopbackHost as isLoopbackHost } from '../../src/node/loopback.js';

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

describe('managed configuration is trusted only from administrators (the decision)', () => {
  const dir = (path: string, uid = 0, mode = 0o40755): PosixEntry => ({
    path,
    isDirectory: true,
    uid,
    mode,
  });
  const file = (uid = 0, mode = 0o100644): PosixEntry => ({
    path: '/etc/signet/config.json',
    isDirectory: false,
    uid,
    mode,
  });
  const posix = (...entries: PosixEntry[]) =>
    managedConfigTrust({ platform: 'posix', entries: [...entries, dir('/etc/signet'), dir('/')] });

  it('Linux/macOS: root-owned and writable by root only is trusted', () => {
    expect(posix(file())).toEqual({ trusted: true });
    expect(posix(file(0, 0o100600))).toEqual({ trusted: true });
    // A sticky world-writable folder (like /tmp) cannot have root's entries replaced.
    expect(
      managedConfigTrust({ platform: 'posix', entries: [file(), dir('/tmp', 0, 0o41777)] }),
    ).toEqual({ trusted: true });
  });

  it('Linux/macOS: another owner, or group/world write, anywhere on the path is ignored with the reason', () => {
    expect(posix(file(1000))).toEqual({
      trusted: false,
      reason: expect.stringMatching(/config\.json is owned by uid 1000, not root/),
    });
    expect(posix(file(0, 0o100666))).toMatchObject({
      reason: expect.stringMatching(/writable by its group or by everyone \(mode 0666\)/),
    });
    expect(posix(file(0, 0o100664))).toMatchObject({ trusted: false });
    expect(
      managedConfigTrust({
        platform: 'posix',
        entries: [file(), dir('/etc/signet', 0, 0o40777), dir('/')],
      }),
    ).toMatchObject({ reason: expect.stringMatching(/the folder \/etc\/signet is writable/) });
    expect(
      managedConfigTrust({
        platform: 'posix',
        entries: [file(), dir('/etc/signet', 1000), dir('/')],
      }),
    ).toMatchObject({ reason: expect.stringMatching(/folder \/etc\/signet is owned by uid 1000/) });
    expect(managedConfigTrust({ platform: 'posix', error: 'EACCES' })).toMatchObject({
      trusted: false,
      reason: expect.stringMatching(/could not be read \(EACCES\)/),
    });
  });

  // Security descriptors as Get-Acl prints them (SDDL).
  const INSTALLER_FOLDER = 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)';
  const FILE_IN_IT = 'O:BAG:SYD:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)';
  // A folder created under C:\ProgramData without the installer: Users may add files to it.
  const DEFAULT_FOLDER =
    'O:BAG:SYD:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;0x1200a9;;;BU)(A;CIID;DCLCRPCR;;;BU)(A;OICIIOID;GA;;;CO)';
  const USER_SID = 'S-1-5-21-1004336348-1177238915-682003330-1001';
  const win = (fileSddl: string, folderSddl: string) =>
    managedConfigTrust({
      platform: 'win32',
      entries: [
        parseSddl('C:\\ProgramData\\Signet\\config.json', fileSddl),
        parseSddl('C:\\ProgramData\\Signet', folderSddl),
      ],
    });

  it('Windows: owned by Administrators, writable by Administrators/SYSTEM only (the installer’s ACL) is trusted', () => {
    expect(win(FILE_IN_IT, INSTALLER_FOLDER)).toEqual({ trusted: true });
    expect(parseSddl('x', INSTALLER_FOLDER)).toEqual({
      path: 'x',
      owner: 'S-1-5-32-544',
      writers: ['S-1-5-18', 'S-1-5-32-544'],
    });
  });

  it('Windows: a folder Users can add to, a user-owned file, or Everyone with write is ignored with the reason', () => {
    expect(win(FILE_IN_IT, DEFAULT_FOLDER)).toEqual({
      trusted: false,
      reason: expect.stringMatching(/Signet can be changed by Users/),
    });
    expect(
      win(`O:${USER_SID}G:SYD:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)`, INSTALLER_FOLDER),
    ).toMatchObject({
      reason: expect.stringMatching(/owned by S-1-5-21-.*-1001, not Administrators or SYSTEM/),
    });
    expect(win(`${FILE_IN_IT}(A;;0x1301bf;;;WD)`, INSTALLER_FOLDER)).toMatchObject({
      reason: expect.stringMatching(/config\.json can be changed by Everyone/),
    });
    expect(win(`${FILE_IN_IT}(A;;FW;;;AU)`, INSTALLER_FOLDER)).toMatchObject({
      reason: expect.stringMatching(/Authenticated Users/),
    });
    // Read-only grants and inherit-only ones (which apply to children) do not count.
    expect(win(`${FILE_IN_IT}(A;;FR;;;WD)`, `${INSTALLER_FOLDER}(A;OICIIO;FA;;;CO)`)).toEqual({
      trusted: true,
    });
    expect(managedConfigTrust({ platform: 'win32', error: 'Get-Acl failed' })).toMatchObject({
      trusted: false,
    });
  });
});

const asRoot = process.getuid?.() === 0;
describe.skipIf(!asRoot)('managed configuration on this machine (real files, as root)', () => {
  function managedEnv() {
    const d = mkdtempSync(join(tmpdir(), 'signet-managed-'));
    const e = { SIGNET_SETTINGS: join(d, 'user.json'), SIGNET_CONFIG: join(d, 'managed.json') };
    writeFileSync(e.SIGNET_SETTINGS, JSON.stringify({ scope: 'openid' }));
    writeFileSync(e.SIGNET_CONFIG, JSON.stringify({ tenant: 'corp.eu.auth0.com' }), {
      mode: 0o644,
    });
    chmodSync(e.SIGNET_CONFIG, 0o644);
    return { dir: d, ...e };
  }

  it('owned by root, mode 0644: honoured and locking', () => {
    const e = managedEnv();
    const l = loadSettings(e);
    expect(l.settings.tenant).toBe('corp.eu.auth0.com');
    expect(l.managedFile).toBe(e.SIGNET_CONFIG);
    expect(l.managedIgnored).toBeUndefined();
    expect(failure(() => saveSettings({ tenant: 'mine.auth0.com' }, e)).detail).toMatchObject({
      locked: ['tenant'],
    });
  });

  it('mode 0666: ignored, saying why, and locks nothing', () => {
    const e = managedEnv();
    chmodSync(e.SIGNET_CONFIG, 0o666);
    const l = loadSettings(e);
    expect(l.settings.tenant).toBeUndefined();
    expect(l.locked).toEqual([]);
    expect(l.managedFile).toBeUndefined();
    expect(l.managedIgnored).toEqual({
      path: e.SIGNET_CONFIG,
      reason: expect.stringMatching(
        /^Ignored: .*writable by its group or by everyone \(mode 0666\)/,
      ),
    });
    expect(saveSettings({ tenant: 'mine.auth0.com' }, e).settings.tenant).toBe('mine.auth0.com');
  });

  it('owned by nobody (65534): ignored, saying why', () => {
    const e = managedEnv();
    chownSync(e.SIGNET_CONFIG, 65534, 65534);
    expect(loadSettings(e).managedIgnored?.reason).toMatch(/owned by uid 65534, not root/);
  });

  it('in a folder anybody may write to, or reached through a symlink to a user’s file: ignored', () => {
    const e = managedEnv();
    chmodSync(e.dir, 0o777);
    expect(loadSettings(e).managedIgnored?.reason).toMatch(/folder .* is writable/);

    const e2 = managedEnv();
    const theirs = join(e2.dir, 'theirs.json');
    writeFileSync(theirs, JSON.stringify({ tenant: 'evil.example.com' }));
    chownSync(theirs, 65534, 65534);
    const link = join(e2.dir, 'link.json');
    symlinkSync(theirs, link);
    const l = loadSettings({ ...e2, SIGNET_CONFIG: link });
    expect(l.settings.tenant).toBeUndefined();
    expect(l.managedIgnored?.reason).toMatch(/theirs\.json is owned by uid 65534/);
  });

  it('an untrusted file is ignored even when it is not valid (it cannot stop the app)', () => {
    const e = managedEnv();
    writeFileSync(e.SIGNET_CONFIG, '{not json');
    chmodSync(e.SIGNET_CONFIG, 0o666);
    expect(loadSettings(e).managedIgnored).toBeDefined();
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
