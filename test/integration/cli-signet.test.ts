/**
 * The `signet` CLI as scripts use it: spawned as a process, `--json` on stdout, exit codes
 * 0 ok · 1 refused · 2 usage/config · 3 network/server · 4 token verification failed.
 * Run alone: `npm test -- test/integration/cli-signet`.
 */
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from '@github/keytar';
import { generate, generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI_BUNDLE,
  CLI_COMMAND,
  CLI_SOURCE_COMMAND,
  REPO_ROOT as root,
  runSignet,
  tenantFlags,
  testConnectionArgs,
  type CliRun,
} from '../fixtures/cli.js';
import { keyringMissing, lockedKeyringProblem, runWithLockedKeyring } from '../fixtures/keyring.js';
import {
  CLIENT_ID as MB_CLIENT,
  HOSTILE_MARKDOWN,
  HOSTILE_TERMINAL,
  startMisbehavingServer,
  type MisbehavingServer,
} from '../fixtures/misbehaving-server.js';
import { writeJson } from '../fixtures/settings-files.js';
import { serviceMissing } from '../fixtures/services.js';
import { addDbUser, CHECK_STEPS, startTestTenant, type TestTenant } from '../fixtures/tenant.js';
import * as demo from '../fixtures/demo';

const noKeyring = await keyringMissing();
const service = `signet-test-cli-${process.pid}-${randomBytes(3).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'signet-cli-'));
const ADA = demo.ADA.password;
const DB = 'Username-Password-Authentication';

let t: TestTenant;
let bad: MisbehavingServer;

beforeAll(async () => {
  [t, bad] = await Promise.all([startTestTenant(), startMisbehavingServer()]);
});
afterAll(async () => {
  await Promise.all([t?.close(), bad?.close()]);
  if (!noKeyring)
    for (const c of await keytar.findCredentials(service))
      await keytar.deletePassword(service, c.account);
});

type Run = CliRun;

/** The process environment of every run: isolated keychain service and settings files. */
const baseEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  SIGNET_KEYCHAIN_SERVICE: service,
  SIGNET_SETTINGS: join(dir, 'user-settings.json'),
  SIGNET_CONFIG: join(dir, 'no-managed-config.json'),
  ...extra,
});

/** The CLI with this file's isolated environment plus `opts.env`. */
const signet = (
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; via?: string[] } = {},
): Promise<Run> => runSignet(args, { ...opts, env: baseEnv(opts.env) });

const login = (extra: string[] = [], password = ADA, env?: NodeJS.ProcessEnv) =>
  signet(loginArgs(t.url, t.clientId, 'ada@signet.test', '--json', ...extra), {
    input: `${password}\n`,
    env,
  });

const SUCCESS_KEYS = [
  'ok',
  'tenant',
  'connection',
  'profile',
  'claims',
  'verification',
  'expiresAt',
  'stored',
  'timings',
];
const ERROR_KEYS = ['code', 'message', 'status', 'description', 'detail'];

/** The flags that name the tenant and the client (the local tenant's signet-demo by default). */
const at = (tenant = t.url, clientId: string = t.clientId) => tenantFlags(tenant, clientId);

/** `signet login` on the database connection as `username`, without a password source. */
const loginFlags = (tenant: string, clientId: string, username: string) => [
  'login',
  ...at(tenant, clientId),
  '--connection',
  DB,
  '--username',
  username,
];

/** `signet login` on the database connection with the password on stdin, then `extra`. */
function loginArgs(tenant: string, clientId: string, username: string, ...extra: string[]) {
  return [...loginFlags(tenant, clientId, username), '--password-stdin', ...extra];
}

describe('login', () => {
  it('prints the documented success document and exits 0', async () => {
    const r = await login(['--scope', 'openid profile offline_access']);
    expect(r.code).toBe(0);
    expect(Object.keys(r.json)).toEqual(expect.arrayContaining(SUCCESS_KEYS));
    expect(r.json).toMatchObject({
      ok: true,
      tenant: t.issuer,
      connection: { name: DB, kind: 'database' },
      profile: { name: 'Ada Lovelace', email: 'ada@signet.test' },
      verification: { status: 'verified', alg: 'RS256', reason: null },
      stored: noKeyring ? 'memory' : 'keychain',
      timings: { totalMs: expect.any(Number) },
    });
    expect(Object.keys(r.json.verification as object).sort()).toEqual([
      'alg',
      'kid',
      'reason',
      'status',
    ]);
    expect(r.stdout).not.toContain(ADA);
    expect(r.stdout).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no token in the output
  });

  it('a wrong password prints the error document and exits 1', async () => {
    const r = await login([], 'wrong-password');
    expect(r.code).toBe(1);
    expect(r.json.ok).toBe(false);
    expect(Object.keys(r.json.error ?? {})).toEqual(expect.arrayContaining(ERROR_KEYS));
    expect(r.json.error).toMatchObject({
      code: 'invalid_user_password',
      status: 401,
      description: 'Wrong email or password.',
    });
  });

  it('refuses a password given as a flag (exit 2)', async () => {
    const r = await signet([...loginFlags(t.url, t.clientId, 'ada'), '--password', ADA, '--json']);
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ code: 'usage' });
  });

  it('without a terminal and without --password-stdin it says to use --password-stdin (exit 2)', async () => {
    const r = await signet([...loginFlags(t.url, t.clientId, 'ada'), '--json']);
    expect(r.code).toBe(2);
    expect(String(r.json.error?.message)).toMatch(/--password-stdin/);
  });

  it('a missing --connection is a usage error (exit 2)', async () => {
    const r = await signet(
      ['login', '--tenant', t.url, '--username', 'ada', '--password-stdin', '--json'],
      { input: 'x' },
    );
    expect(r.code).toBe(2);
  });

  it('refuses a plain-http tenant that is not loopback (exit 2)', async () => {
    const r = await signet(loginArgs('http://tenant.example.com', 'x', 'u', '--json'), {
      input: 'x',
    });
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ code: 'config_invalid' });
  });

  it.each([
    ['an unreachable tenant exits 3', 'http://127.0.0.1:9', 3, { code: 'network_unreachable' }],
    [
      'an HTML proxy page exits 3 with bad_response',
      'html-502',
      3,
      { code: 'bad_response', status: 502 },
    ],
    [
      'a rate limit exits 1 with Retry-After in detail',
      'rate-limited',
      1,
      { code: 'rate_limited', status: 429, detail: { retryAfterSeconds: 30 } },
    ],
    [
      'a token that fails verification exits 4',
      'expired',
      4,
      { code: 'token_invalid', detail: { verification: { status: 'failed' } } },
    ],
  ])('%s', async (_name, where, exit, error) => {
    // A URL is used as it is; a bare name is a misbehaving-server scenario.
    const [tenant, client] = where.startsWith('http')
      ? [where, 'x']
      : [bad.tenant(where as Parameters<MisbehavingServer['tenant']>[0]), MB_CLIENT];
    const r = await signet(loginArgs(tenant, client, 'u', '--json'), { input: 'x' });
    expect(r.code).toBe(exit);
    expect(r.json.error).toMatchObject(error);
  });

  it('--protocol auto signs in to a tenant without the legacy grant', async () => {
    const r = await signet(
      loginArgs(
        t.url,
        'signet-modern',
        'ada@signet.test',
        '--protocol',
        'auto',
        '--no-store',
        '--json',
      ),
      { input: ADA },
    );
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ ok: true, protocol: 'modern', stored: 'none' });
  });
});

describe.skipIf(noKeyring)('whoami and logout', () => {
  it('whoami restores the session from the keychain, logout deletes it, whoami then exits 1', async () => {
    expect((await login(['--scope', 'openid profile offline_access'])).code).toBe(0);
    const who = await signet(['whoami', ...at(), '--json']);
    expect(who.code).toBe(0);
    expect(who.json).toMatchObject({
      ok: true,
      stored: 'keychain',
      profile: { name: 'Ada Lovelace' },
    });
    const out = await signet(['logout', ...at(), '--json']);
    expect(out.code).toBe(0);
    expect(out.json).toMatchObject({ ok: true, revoked: true });
    expect(out.json.deleted).toBeGreaterThan(0);
    const again = await signet(['whoami', ...at(), '--json']);
    expect(again.code).toBe(1);
    expect(again.json.error).toMatchObject({ code: 'not_signed_in' });
  });

  // Eight CLI runs, each a fresh Node with tsx: slow on a loaded machine.
  it(
    'userinfo and refresh act on the remembered session without the password',
    { timeout: 120_000 },
    async () => {
      expect((await login(['--scope', 'openid profile email offline_access'])).code).toBe(0);
      const who = [...at(), '--json'];
      const info = await signet(['userinfo', ...who]);
      expect(info.code).toBe(0);
      expect(info.json).toMatchObject({ ok: true, profile: { email: 'ada@signet.test' } });
      const ti = await signet(['userinfo', '--tokeninfo', ...who]);
      expect(ti.code, ti.stdout + ti.stderr).toBe(0);
      expect(ti.json).toMatchObject({ ok: true, profile: { email: 'ada@signet.test' } });
      const renewed = await signet(['refresh', ...who]);
      expect(renewed.code).toBe(0);
      expect(renewed.json).toMatchObject({
        ok: true,
        stored: 'keychain',
        verification: { status: 'verified' },
      });
      const reauth = await signet(['refresh', '--reauth', ...who]);
      expect(reauth.code).toBe(0);
      expect(reauth.json).toMatchObject({
        ok: true,
        stored: 'keychain',
        verification: { status: 'verified' },
      });
      expect((await signet(['logout', ...who])).code).toBe(0);
      const gone = await signet(['userinfo', ...who]);
      expect(gone.code).toBe(1);
      expect(gone.json.error).toMatchObject({ code: 'not_signed_in' });
    },
  );
});

describe('sms', () => {
  it('sms start then sms login with the code from the outbox', async () => {
    const phone = '+14155550177';
    const start = await signet(['sms', 'start', ...at(), '--phone', phone, '--json']);
    expect(start.code).toBe(0);
    expect(start.json).toMatchObject({ ok: true, phone });
    const code = await t.lastCode(phone);
    const smsLogin = (extra: string[], input = '') =>
      signet(['sms', 'login', ...at(), '--phone', phone, '--no-store', '--json', ...extra], {
        input,
      });
    // The code as a flag is refused before anything is sent: a usage error naming the way.
    const flag = await smsLogin(['--code', code]);
    expect(flag.code).toBe(2);
    expect(flag.json.error).toMatchObject({ code: 'usage' });
    expect(String(flag.json.error?.message)).toMatch(/--code-stdin/);
    // Neither a terminal nor --code-stdin: told to use --code-stdin.
    const none = await smsLogin([]);
    expect(none.code).toBe(2);
    expect(String(none.json.error?.message)).toMatch(/--code-stdin/);
    // The code on stdin signs in (the refused call did not spend it).
    const r = await smsLogin(['--code-stdin'], `${code}\n`);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json).toMatchObject({
      ok: true,
      connection: { kind: 'sms' },
      verification: { status: 'verified' },
    });
  });

  it('an invalid phone number exits 2', async () => {
    const r = await signet(['sms', 'start', ...at(), '--phone', '12345', '--json']);
    expect(r.code).toBe(2);
  });
});

describe('secrets stay out of process arguments', () => {
  it('the help shows no flag that takes a code or a password', async () => {
    const r = await signet(['help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--code-stdin/);
    expect(r.stdout).toMatch(/--mfa-code-stdin/);
    expect(r.stdout).not.toMatch(/--code <|--mfa-code <|--password </);
  });

  it('login refuses --mfa-code <code> before sending anything (exit 2)', async () => {
    const r = await login(['--mfa-code', '123456'], ADA);
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ code: 'usage' });
    expect(String(r.json.error?.message)).toMatch(/--mfa-code-stdin/);
  });

  it('login --mfa-code-stdin reads the password and then the authenticator code from stdin', async () => {
    const secret = generateSecret();
    const user = { username: 'hopper@signet.test', password: 'Mark-I-1944-Harvard' };
    await addDbUser(t, {
      email: user.username,
      password: user.password,
      name: 'Grace Hopper',
      mfa_secret: secret,
    });
    const run = (input: string) =>
      signet(
        loginArgs(t.url, t.clientId, user.username, '--mfa-code-stdin', '--no-store', '--json'),
        { input },
      );
    const without = await signet(
      loginArgs(t.url, t.clientId, user.username, '--no-store', '--json'),
      { input: user.password },
    );
    expect(without.json.error).toMatchObject({ code: 'a0.mfa_required' });
    const r = await run(`${user.password}\n${await generate({ secret })}\n`);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json).toMatchObject({ ok: true, profile: { name: 'Grace Hopper' } });
  });

  it('decode reads the token from stdin; a token given as an argument is decoded with a warning', async () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'auth0|1' })).toString('base64url');
    const jwt = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${payload}.sig`;
    const piped = await signet(['decode', '-', '--json'], { input: `${jwt}\n` });
    expect(piped.code).toBe(0);
    expect(piped.json).toMatchObject({ ok: true, payload: { sub: 'auth0|1' } });
    expect(piped.stderr).toBe('');
    const arg = await signet(['decode', jwt, '--json']);
    expect(arg.code).toBe(0);
    expect(arg.stderr).toMatch(/visible to other users.*signet decode -/);
  });
});

describe('decode, check, tenant', () => {
  it('decode --json prints header, payload and claims', async () => {
    const payload = Buffer.from(
      JSON.stringify({ sub: 'auth0|1', exp: 2_000_000_000, groups: ['a'] }),
    ).toString('base64url');
    const jwt = `${Buffer.from('{"alg":"RS256","kid":"k"}').toString('base64url')}.${payload}.sig`;
    const r = await signet(['decode', jwt, '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({
      ok: true,
      header: { alg: 'RS256', kid: 'k' },
      payload: { sub: 'auth0|1' },
      expiresAt: '2033-05-18T03:33:20.000Z',
    });
    const garbage = await signet(['decode', 'not-a-jwt', '--json']);
    expect(garbage.code).toBe(2);
  });

  it('check --json reports every step for the local tenant', async () => {
    const r = await signet(['check', '--tenant', t.url, '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ ok: true, tenant: t.issuer });
    expect((r.json.steps as Array<{ name: string }>).map((s) => s.name)).toEqual(CHECK_STEPS);
  });

  it('check exits 3 when the tenant is down', async () => {
    const r = await signet(['check', '--tenant', 'http://127.0.0.1:9', '--json']);
    expect(r.code).toBe(3);
    expect(r.json.ok).toBe(false);
  });

  it('tenant delegates to the local tenant CLI', async () => {
    const r = await signet(['tenant', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/npm run tenant/);
  });

  it('the package bin and `npm run signet` run the same CLI', async () => {
    const bin = await signet(['decode', 'x.y.z', '--json'], {
      via: [process.execPath, 'bin/signet.mjs'],
    });
    expect(bin.code).toBe(2);
    expect(bin.json.error).toMatchObject({ code: 'invalid_input' });
    const npm = await signet(['help'], { via: ['npm', 'run', '--silent', 'signet', '--'] });
    expect(npm.code).toBe(0);
    expect(npm.stdout).toMatch(/Usage: signet/);
  });

  it('the package bin runs the bundle, but never one older than the sources beside it', async () => {
    // A scratch install: bin/ and the bundle copied; src/ and node_modules linked to this
    // checkout's, so the copied bundle can be made older than the sources without touching them.
    const scratch = mkdtempSync(join(tmpdir(), 'signet-bin-'));
    mkdirSync(join(scratch, 'bin'));
    mkdirSync(join(scratch, 'out/cli'), { recursive: true });
    copyFileSync(join(root, 'bin/signet.mjs'), join(scratch, 'bin/signet.mjs'));
    copyFileSync(CLI_BUNDLE, join(scratch, 'out/cli/signet.cjs'));
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));
    const version = () =>
      signet(['--version'], { via: [process.execPath, join(scratch, 'bin/signet.mjs')] });
    expect((await version()).stdout).toMatch(/, bundle\)$/m); // no sources: an npm install
    symlinkSync(join(root, 'src'), join(scratch, 'src'));
    expect((await version()).stdout).toMatch(/, bundle\)$/m); // a checkout, freshly built
    utimesSync(join(scratch, 'out/cli/signet.cjs'), new Date(2000, 0, 1), new Date(2000, 0, 1));
    expect((await version()).stdout).toMatch(/, from source\)$/m); // sources changed since
  });

  it('the tests run the built bundle, and the sources through tsx give the same answers', async () => {
    const built = await signet(['--version']);
    expect(built.stdout).toMatch(/^signet \d+\.\d+\.\d+ \(node v[\d.]+, [\w-]+, bundle\)\n$/);
    const source = await signet(['--version'], { via: CLI_SOURCE_COMMAND });
    expect(source.stdout).toBe(built.stdout.replace('bundle)', 'from source)'));
    const args = ['whoami', ...tenantFlags(t.url, t.clientId), '--username', 'nobody@signet.test'];
    const [a, b] = [await signet(args), await signet(args, { via: CLI_SOURCE_COMMAND })];
    expect([a.code, b.code]).toEqual([1, 1]);
    expect(b.stderr).toBe(a.stderr);
  });
});

describe('settings and managed configuration', () => {
  it('tenant and client ID come from the managed configuration', async () => {
    const managed = writeJson(dir, 'managed-ok.json', { tenant: t.url, clientId: t.clientId });
    const r = await signet(
      [
        'login',
        '--connection',
        DB,
        '--username',
        'ada@signet.test',
        '--password-stdin',
        '--no-store',
        '--json',
      ],
      { input: ADA, env: { SIGNET_CONFIG: managed } },
    );
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ ok: true, tenant: t.issuer });
  });

  it('an invalid managed configuration exits 2 naming the field', async () => {
    const managed = writeJson(dir, 'managed-bad.json', { tenant: t.url, protocol: 'sideways' });
    const r = await signet(['whoami', '--json'], { env: { SIGNET_CONFIG: managed } });
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({
      code: 'config_invalid',
      detail: { field: 'protocol', file: managed },
    });
  });

  it('`settings` shows IT which fields the managed configuration locks', async () => {
    const managed = writeJson(dir, 'managed-lock.json', {
      tenant: 'acme.eu.auth0.com',
      clientId: 'abc123',
    });
    const r = await signet(['settings', '--json'], { env: { SIGNET_CONFIG: managed } });
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({
      ok: true,
      managedFile: managed,
      settings: { tenant: 'acme.eu.auth0.com', clientId: 'abc123' },
    });
    expect((r.json.locked as { field: string }[]).map((l) => l.field).sort()).toEqual([
      'clientId',
      'tenant',
    ]);
    const text = await signet(['settings'], { env: { SIGNET_CONFIG: managed } });
    expect(text.stdout).toMatch(
      /tenant\s+"acme\.eu\.auth0\.com"\s+\(locked by the managed configuration\)/,
    );
    expect(text.stdout).not.toMatch(/protocol.*locked/);
  });

  it.skipIf(process.getuid?.() !== 0)(
    '`settings` says a managed configuration anybody may write is ignored, and why',
    async () => {
      const managed = writeJson(dir, 'managed-open.json', { tenant: 'evil.example.com' }, 0o666);
      const r = await signet(['settings', '--json'], { env: { SIGNET_CONFIG: managed } });
      expect(r.code).toBe(0);
      expect(r.json).toMatchObject({
        locked: [],
        managedIgnored: { path: managed, reason: expect.stringMatching(/mode 0666/) },
      });
      expect((r.json.settings as { tenant?: string }).tenant).not.toBe('evil.example.com');
      const text = await signet(['settings'], { env: { SIGNET_CONFIG: managed } });
      expect(text.stdout).toContain(`Managed configuration:  ${managed} (Ignored: `);
      expect(text.stdout).not.toContain('evil.example.com');
    },
  );
});

/** The CLI's JSON document, past any line a D-Bus-activated daemon printed first. */
function jsonOf(stdout: string, stderr: string): Record<string, unknown> {
  const start = stdout.search(/^\{/m);
  expect(start, `stdout: ${stdout}\nstderr: ${stderr}`).toBeGreaterThanOrEqual(0);
  return JSON.parse(stdout.slice(start)) as Record<string, unknown>;
}

describe('a keychain that refuses', () => {
  const problem = lockedKeyringProblem();
  const skip = serviceMissing('locked keyring session', problem);
  const cli = CLI_COMMAND;
  const args = (extra: string[] = []) =>
    loginArgs(t.url, t.clientId, 'ada@signet.test', '--json', ...extra);

  it.skipIf(skip).each([
    [
      'a locked keyring gives stored "memory" with keychain_unavailable and the platform reason',
      'locked' as const,
      /locked/i,
    ],
    [
      'no keychain service at all (no D-Bus session) also falls back to memory',
      'no-bus' as const,
      /D-Bus/,
    ],
  ])('%s', async (_name, mode, reason) => {
    const r = await runWithLockedKeyring(cli[0]!, [...cli.slice(1), ...args()], {
      input: ADA,
      cwd: root,
      env: baseEnv(),
      mode,
    });
    const json = jsonOf(r.stdout, r.stderr);
    expect(r.code).toBe(0);
    expect(json).toMatchObject({
      ok: true,
      stored: 'memory',
      storeError: { code: 'keychain_unavailable' },
    });
    expect(JSON.stringify(json.storeError)).toMatch(reason);
  });
});

/**
 * Bytes that steer a terminal: C0 controls but tab and line feed, DEL, C1 (in UTF-8, or raw),
 * the bidi override. None may reach the terminal from a tenant's text.
 */
// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;
const expectNoControl = (r: Run) => {
  expect(r.stdout).not.toMatch(TERMINAL_CONTROL);
  expect(r.stderr).not.toMatch(TERMINAL_CONTROL);
  expect(Buffer.from(r.stdout + r.stderr).includes(0x1b)).toBe(false);
};

describe('a hostile tenant cannot drive the terminal', { timeout: 60_000 }, () => {
  const hostileLogin = (username: string, extra: string[] = []) =>
    signet(loginArgs(bad.tenant('hostile-text'), MB_CLIENT, username, ...extra), { input: 'x' });

  it('login (text and --json): the claims are printed without a control character', async () => {
    const text = await hostileLogin('ok', ['--no-store']);
    expect(text.code, text.stderr).toBe(0);
    // The text is all there, minus ESC, BEL and CSI; the carriage return became a space.
    expect(text.stdout).toContain('Signed in as T]0;pwnedi[2Jt]52;c;cHduZWQ=l31me overwrittenend');
    expectNoControl(text);
    const json = await hostileLogin('ok', ['--no-store', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expectNoControl(json);
    // JSON.stringify alone would have left this: \u001b escaped, U+009B raw.
    expect(json.stdout).not.toMatch(/\\u001b|\\u0007|\\r/);
    expect((json.json.profile as { name: string }).name).toBe(
      'T]0;pwnedi[2Jt]52;c;cHduZWQ=l31meoverwrittenend',
    );
  });

  it('a refused login: the tenant’s description is printed without a control character', async () => {
    for (const extra of [[], ['--json']]) {
      const r = await hostileLogin('someone', extra);
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/pwned/);
      expectNoControl(r);
    }
  });

  it.skipIf(noKeyring)('whoami prints the stored hostile claims safely', async () => {
    expect((await hostileLogin('ok')).code).toBe(0);
    for (const extra of [[], ['--json']]) {
      const who = await signet(['whoami', ...at(bad.tenant('hostile-text'), MB_CLIENT), ...extra]);
      expect(who.code, who.stderr).toBe(0);
      expect(who.stdout).toMatch(/pwned/);
      expectNoControl(who);
    }
  });

  it('decode - prints a hostile token safely (text and --json)', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${b64({ alg: 'RS256', kid: HOSTILE_TERMINAL })}.${b64({ sub: HOSTILE_TERMINAL, name: HOSTILE_MARKDOWN, [HOSTILE_TERMINAL]: 1 })}.sig`;
    for (const extra of [[], ['--json']]) {
      const r = await signet(['decode', '-', ...extra], { input: jwt });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/pwned/);
      expectNoControl(r);
    }
  });

  it('test-connection (text, --json, --markdown) prints hostile rows safely; the Markdown table keeps its shape', async () => {
    const accounts = join(dir, 'hostile-accounts.csv');
    writeFileSync(
      accounts,
      `username,password,expect,note\nok,x,success,"note | with <b>html</b>"\nsomeone,x,ldap:52e,\n`,
      { mode: 0o600 },
    );
    const run = (extra: string[]) =>
      signet(
        testConnectionArgs(
          bad.tenant('hostile-text'),
          MB_CLIENT,
          DB,
          accounts,
          '--kind',
          'database',
          ...extra,
        ),
      );
    for (const extra of [[], ['--json']]) {
      const r = await run(extra);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/pwned/);
      expectNoControl(r);
    }
    const md = await run(['--markdown']);
    expect(md.code, md.stderr).toBe(0);
    expectNoControl(md);
    const lines = md.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('| # | Account |'));
    const rows = lines.slice(header + 2, lines.indexOf('', header));
    expect(rows).toHaveLength(2); // one per account: no forged row
    // Cells split on unescaped pipes: 11 columns, plus the empty ends.
    for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(13);
    expect(rows[0]).toMatch(/^\| 1 \| ok \| success \| success \| ✓ \|/);
    expect(rows[1]).toMatch(/^\| 2 \| someone \|/);
    // No raw HTML, link or image anywhere: every `<`, `[` and backtick is escaped.
    expect(md.stdout).not.toMatch(/(?<!\\)<(img|b)\b/);
    expect(md.stdout).not.toMatch(/(?<!\\)\]\(javascript:/);
    expect(md.stdout).not.toMatch(/(?<!\\)`code/);
    expect(md.stdout).toMatch(/\\<img src=x onerror=alert\(1\)\\>/);
  });
});
