/** Settings: user file + managed configuration that locks fields; invalid files name the field. */
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  utimesSync,
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
  type AclReader,
  type PosixEntry,
} from '../../src/core/settings/managed-trust.js';
import { tenantBaseUrl } from '../../src/core/auth/tenant-url.js';
import { issueLine, SettingsPatchSchema } from '../../src/shared/settings.js';
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

  it('a file holding an oversized field is refused naming it, as over IPC (no 20 MB scope)', () => {
    const huge = 'a'.repeat(20 * 1024 * 1024);
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ scope: `openid ${huge}` }, 'scope', /at most 2048 characters/],
      [{ tenant: `https://${'a'.repeat(3000)}.example.com` }, 'tenant', /at most 2048/],
      [
        { connections: Array.from({ length: 101 }, (_, i) => ({ name: `c${i}`, kind: 'ad' })) },
        'connections',
        /at most 100 entries/,
      ],
      [{ connections: [{ name: 'x'.repeat(201), kind: 'ad' }] }, 'connections[0].name', /200/],
    ];
    for (const [file, field, why] of cases) {
      const e = failure(() => loadSettings(env(file)));
      expect(e).toMatchObject({ code: 'config_invalid', detail: { field } });
      expect(e.message).toMatch(why);
      expect(JSON.stringify(e).length).toBeLessThan(10_000); // the value is not echoed
    }
    // The limit is the schema's, so a managed file is held to it too.
    expect(failure(() => loadSettings(env({}, { clientId: huge }))).detail).toMatchObject({
      field: 'clientId',
    });
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
  const dir = (path: string, uid = 0, mode = 0o40755, gid = 0): PosixEntry => ({
    path,
    isDirectory: true,
    uid,
    gid,
    mode,
  });
  const file = (uid = 0, mode = 0o100644, gid = 0): PosixEntry => ({
    path: '/etc/signet/config.json',
    isDirectory: false,
    uid,
    gid,
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

  // macOS: admin is gid 80, wheel gid 0; staff (20) is every user's group.
  const ADMIN = 80;
  const STAFF = 20;
  const VENDOR = '/Library/Application Support/Signet';
  const macFile = (mode = 0o100644, gid = 0): PosixEntry => ({
    path: `${VENDOR}/config.json`,
    isDirectory: false,
    uid: 0,
    gid,
    mode,
  });
  const mac = (
    f: PosixEntry,
    { vendor = dir(VENDOR), library = dir('/Library'), os = 'darwin' as NodeJS.Platform } = {},
  ) =>
    managedConfigTrust({
      platform: 'posix',
      os,
      entries: [
        f,
        vendor,
        dir('/Library/Application Support', 0, 0o40755, ADMIN),
        library,
        dir('/'),
      ],
    });

  it('macOS: folders writable by admin or wheel, or sticky, are trusted; the file itself stays root-only', () => {
    // Modern macOS: /Library root:wheel 0755, Application Support root:admin 0755.
    expect(mac(macFile())).toEqual({ trusted: true });
    // Older macOS: /Library is drwxrwxr-t root:admin (1775).
    expect(mac(macFile(), { library: dir('/Library', 0, 0o41775, ADMIN) })).toEqual({
      trusted: true,
    });
    // What pkg installers often create: the vendor folder root:admin 0775, or root:wheel 0775.
    expect(mac(macFile(), { vendor: dir(VENDOR, 0, 0o40775, ADMIN) })).toEqual({ trusted: true });
    expect(mac(macFile(), { vendor: dir(VENDOR, 0, 0o40775, 0) })).toEqual({ trusted: true });
    // A sticky folder keeps root's entries root's, whatever its write bits (like /tmp).
    expect(mac(macFile(), { vendor: dir(VENDOR, 0, 0o41775, STAFF) })).toEqual({ trusted: true });
  });

  it('macOS: a folder every user’s group may write, admin’s gid on Linux, or a group-writable file is ignored', () => {
    expect(mac(macFile(), { vendor: dir(VENDOR, 0, 0o40775, STAFF) })).toEqual({
      trusted: false,
      reason: expect.stringMatching(
        /the folder \/Library\/Application Support\/Signet is writable by group 20, not an administrators' group \(mode 0775\)/,
      ),
    });
    // gid 80 is admin on macOS only.
    expect(mac(macFile(), { vendor: dir(VENDOR, 0, 0o40775, ADMIN), os: 'linux' })).toMatchObject({
      trusted: false,
      reason: expect.stringMatching(/writable by group 80/),
    });
    // Decided: the file itself is writable by root only, even for admin or wheel: a group-writable
    // file lets any admin user's process change it without a password while it stays root's
    // (a file replaced in an admin-writable folder is that user's own, and is ignored).
    expect(mac(macFile(0o100664, ADMIN))).toEqual({
      trusted: false,
      reason: expect.stringMatching(
        /config\.json is writable by its group or by everyone \(mode 0664\); .*writable by root only/,
      ),
    });
    expect(mac(macFile(0o100664, 0))).toMatchObject({ trusted: false });
    // A world-writable folder without the sticky bit is refused whatever its group.
    expect(mac(macFile(), { vendor: dir(VENDOR, 0, 0o40777, ADMIN) })).toMatchObject({
      trusted: false,
      reason: expect.stringMatching(/Signet is writable by everyone \(mode 0777\)/),
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
  it('Windows: a null or missing DACL means Everyone may write, and is ignored', () => {
    expect(win(FILE_IN_IT, 'O:BAG:SYD:NO_ACCESS_CONTROL')).toEqual({
      trusted: false,
      reason: expect.stringMatching(/Signet can be changed by Everyone/),
    });
    expect(win('O:BAG:SYD:PAINO_ACCESS_CONTROL', INSTALLER_FOLDER)).toMatchObject({
      reason: expect.stringMatching(/config\.json can be changed by Everyone/),
    });
    expect(win('O:BAG:SY', INSTALLER_FOLDER)).toMatchObject({
      reason: expect.stringMatching(/config\.json can be changed by Everyone/),
    });
    // An empty DACL (nobody but the owner) is not a null one.
    expect(win('O:BAG:SYD:PAI', INSTALLER_FOLDER)).toEqual({ trusted: true });
  });

  it('Windows: conditional, callback and object allow entries count, and one does not hide the next', () => {
    // A condition with nested parentheses: the entry after it is still read.
    const cond = '(XA;;FR;;;BU;((@User.Project Any_of {"a", "b"}) || (Member_of {SID(BA)})))';
    expect(win(`${FILE_IN_IT}${cond}(A;;FA;;;WD)`, INSTALLER_FOLDER)).toMatchObject({
      reason: expect.stringMatching(/config\.json can be changed by Everyone/),
    });
    expect(
      win(`${FILE_IN_IT}(XA;;FA;;;BU;(WIN://SYSAPPID Contains "x)"))`, INSTALLER_FOLDER),
    ).toMatchObject({
      reason: expect.stringMatching(/can be changed by Users/),
    });
    expect(win(`${FILE_IN_IT}(ZA;;FW;;;AU;(@User.x == 1))`, INSTALLER_FOLDER)).toMatchObject({
      reason: expect.stringMatching(/can be changed by Authenticated Users/),
    });
    expect(win(`${FILE_IN_IT}(OA;;FA;;;${USER_SID})`, INSTALLER_FOLDER)).toMatchObject({
      reason: expect.stringMatching(/can be changed by S-1-5-21-.*-1001/),
    });
    // Inherit-only is the flag IO, not the letters I and O of CI+OI written the other way round.
    expect(win(FILE_IN_IT, `${INSTALLER_FOLDER}(A;CIOI;FA;;;BU)`)).toMatchObject({
      reason: expect.stringMatching(/Signet can be changed by Users/),
    });
    // Deny entries subtract nothing, and are not misread as allows.
    expect(win(`${FILE_IN_IT}(D;;FA;;;WD)`, INSTALLER_FOLDER)).toEqual({ trusted: true });
  });

  it('Windows: a DACL the entries do not account for is refused (fail closed)', () => {
    for (const bad of [
      'O:BAG:SYD:PAI(A;;FA;;;SY)junk(A;;FA;;;WD)',
      'O:BAG:SYD:PAI(A;;FA;;;SY)(A;;FA;;;WD',
      'O:BAG:SYD:PAI(A;;FA;;;SY))',
      'O:BAG:SYD:PAI(A;;FA;;)',
      'O:BAG:SYD:PAI(Q;;FA;;;BU)',
      'O:BAG:SYD:PAI(A;XY;FA;;;BU)',
      'O:BAG:SYD:PAI(A;;FA;;;SY)D:(A;;FA;;;WD)',
      'G:SYD:PAI(A;;FA;;;SY)',
    ])
      expect(() => parseSddl('x', bad), bad).toThrow(/security descriptor of x/);
  });

  // Windows facts come from a PowerShell start (~0.5-1 s): read once per change of the file.
  it('Windows: the ACL is read once per change of the file or its folder, not on every load', () => {
    const d = mkdtempSync(join(tmpdir(), 'signet-acl-'));
    const e = { SIGNET_SETTINGS: join(d, 'user.json'), SIGNET_CONFIG: join(d, 'config.json') };
    writeFileSync(e.SIGNET_CONFIG, JSON.stringify({ tenant: 'corp.eu.auth0.com' }));
    let reads = 0;
    let sddl = FILE_IN_IT;
    const readAcl: AclReader = () => {
      reads++;
      return { file: sddl, folder: INSTALLER_FOLDER };
    };
    const trust = { platform: 'win32' as const, readAcl };
    expect(loadSettings(e, trust).settings.tenant).toBe('corp.eu.auth0.com');
    expect(loadSettings(e, trust).locked.map((l) => l.field)).toEqual(['tenant']);
    expect(reads).toBe(1);
    // Touching the file (its ACL may have changed with it) asks again.
    sddl = `${FILE_IN_IT}(A;;FA;;;BU)`;
    utimesSync(e.SIGNET_CONFIG, 2_000_000_000, 2_000_000_000);
    const l = loadSettings(e, trust);
    expect(reads).toBe(2);
    expect(l.settings.tenant).toBeUndefined();
    expect(l.managedIgnored?.reason).toMatch(/can be changed by Users/);
    loadSettings(e, trust);
    expect(reads).toBe(2);
    // A change to its folder (a file added) asks again.
    writeFileSync(join(d, 'other.json'), '{}');
    loadSettings(e, trust);
    expect(reads).toBe(3);
  });

  it('Windows: a file whose ACL cannot be read (PowerShell blocked) is ignored, saying why', () => {
    const d = mkdtempSync(join(tmpdir(), 'signet-acl-'));
    const e = { SIGNET_SETTINGS: join(d, 'user.json'), SIGNET_CONFIG: join(d, 'config.json') };
    writeFileSync(e.SIGNET_CONFIG, JSON.stringify({ tenant: 'corp.eu.auth0.com' }));
    const readAcl: AclReader = () => {
      throw new Error('spawnSync powershell.exe EACCES');
    };
    const l = loadSettings(e, { platform: 'win32', readAcl });
    expect(l.settings.tenant).toBeUndefined();
    expect(l.managedIgnored?.reason).toMatch(
      /^Ignored: its owner and permissions could not be read \(spawnSync powershell\.exe EACCES\)/,
    );
    // A descriptor the parser cannot account for is ignored the same way.
    const junk: AclReader = () => ({
      file: `${FILE_IN_IT}junk(A;;FA;;;WD)`,
      folder: INSTALLER_FOLDER,
    });
    utimesSync(e.SIGNET_CONFIG, 2_000_000_000, 2_000_000_000);
    expect(loadSettings(e, { platform: 'win32', readAcl: junk }).managedIgnored?.reason).toMatch(
      /could not be read \(.*security descriptor/,
    );
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

describe('what is wrong with a refused value is a sentence the window translates', () => {
  it('each kind of refusal names its problem by key, and the English says the same', () => {
    const cases: Array<[Record<string, unknown>, string, string, RegExp]> = [
      [{ tenant: 'not a tenant' }, 'tenant', 'tenantForm', /must be a domain such as/],
      [{ proxy: 'http://u:p@proxy:3128' }, 'proxy', 'proxyCredentials', /user name or password/],
      [{ proxy: 'proxy:3128' }, 'proxy', 'proxyForm', /must be a URL such as/],
      [{ smsCountry: 'gb' }, 'smsCountry', 'countryForm', /two-letter country code/],
      [{ scope: '  ' }, 'scope', 'empty', /must not be empty/],
      [{ device: 'd'.repeat(201) }, 'device', 'tooLong', /at most 200 characters/],
      [
        { timeouts: { connectMs: 5, headersMs: 100, bodyMs: 100 } },
        'timeouts.connectMs',
        'tooSmall',
        /at least 100/,
      ],
      [
        { timeouts: { connectMs: 1e9, headersMs: 100, bodyMs: 100 } },
        'timeouts.connectMs',
        'tooBig',
        /at most 300000/,
      ],
      [
        { timeouts: { connectMs: 150.5, headersMs: 100, bodyMs: 100 } },
        'timeouts.connectMs',
        'wholeNumber',
        /whole number/,
      ],
      [{ useLocalTenant: 'yes' }, 'useLocalTenant', 'type', /must be true or false/],
      [{ language: 'klingon' }, 'language', 'oneOf', /one of en, de, fr, es, pt-BR, ja, zh-CN, ar/],
      [{ tennant: 'typo' }, '(root)', 'unknownKeys', /"tennant" is not a setting/],
      [
        { credentialHosts: ['*.example'] },
        'credentialHosts[0]',
        'hostWildcardLabels',
        /"\*\.example": a wildcard needs/,
      ],
      [
        { credentialHosts: ['a.*.example'] },
        'credentialHosts[0]',
        'hostWildcardPlace',
        /only as the first label/,
      ],
    ];
    for (const [file, field, problem, english] of cases) {
      const e = failure(() => loadSettings(env(file)));
      expect(e, field).toMatchObject({
        code: 'config_invalid',
        detail: { field },
        i18n: {
          key: 'errors.config.fileInvalid',
          sentences: { problem: { key: `errors.config.problem.${problem}` } },
        },
      });
      expect(e.message, field).toMatch(english);
      expect((e.detail?.issues as string[])[0], field).toMatch(english);
    }
  });

  it('an unknown key is named quoted and escaped, never with its control characters', () => {
    const e = failure(() => loadSettings(env({ 'x\u001b[2J': 1 })));
    expect(e.message).toContain('"x\\u001b[2J" is not a setting');
    expect(e.message).not.toContain('\u001b');
  });

  it('a value the schema refuses through IPC is listed in the same words', () => {
    const r = SettingsPatchSchema.safeParse({ tenant: 'x'.repeat(3000) });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map(issueLine)).toEqual(['tenant: must be at most 2048 characters']);
  });
});

describe('language and branding settings', () => {
  it('a managed language is effective and locked; an unsupported one names the field', () => {
    const l = loadSettings(env({ language: 'fr' }, { language: 'de' }));
    expect(l.settings.language).toBe('de');
    expect(l.locked.map((f) => f.field)).toEqual(['language']);
    const e = failure(() => loadSettings(env({ language: 'klingon' })));
    expect(e).toMatchObject({ code: 'config_invalid', detail: { field: 'language' } });
    expect(e.message).toMatch(/en, de, fr, es, pt-BR, ja, zh-CN, ar/);
  });

  it('an invalid branding block does not make the settings invalid, and is kept as written', () => {
    const branding = { name: 42, logo: 'relative.png', primaryColor: 'blue', extra: [1] };
    const l = loadSettings(env(undefined, { tenant: 'corp.eu.auth0.com', branding }));
    expect(l.settings.tenant).toBe('corp.eu.auth0.com');
    expect(l.settings.branding).toEqual(branding);
    expect(l.locked.map((f) => f.field)).toContain('branding');
    expect(loadSettings(env(undefined, { branding: 'not even an object' })).settings.branding).toBe(
      'not even an object',
    );
  });

  it('the window cannot set the branding (its logo path would probe the disk)', () => {
    const e = env({ tenant: 'a.auth0.com' });
    expect(SettingsPatchSchema.safeParse({ branding: { logo: '/etc/shadow' } }).success).toBe(
      false,
    );
    expect(SettingsPatchSchema.safeParse({ language: 'ja' }).success).toBe(true);
    saveSettings({ language: 'ja' }, e);
    expect(JSON.parse(readFileSync(e.SIGNET_SETTINGS, 'utf8'))).toEqual({
      tenant: 'a.auth0.com',
      language: 'ja',
    });
  });
});
