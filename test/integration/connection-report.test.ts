/**
 * The connection report (`signet test-connection`, the `testConnection` IPC channel) against
 * the local tenant over real HTTP: the demo `corp-ldap` directory (grace), a real OpenLDAP
 * (alan, katherine), and the database connection for a password that needs CSV quoting.
 * Run alone: `npm test -- test/integration/connection-report`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConnectionReport } from '../../src/core/connection-report';
import { SignetCore } from '../../src/core/session';
import type { SignetService } from '../../src/main/service';
import type { ConnectionReport, ReportAccount } from '../../src/shared/report';
import { openLdapSkipped, startOpenLdap, USERS, type OpenLdap } from '../fixtures/openldap';
import {
  AD_ACCOUNTS,
  SAMBA_AD_SETUP_TIMEOUT_MS,
  sambaAdSkipped,
  useSambaAd,
  type SambaAd,
} from '../fixtures/samba-ad';
import { serviceOn, writeJson } from '../fixtures/settings-files';
import { runSignet, testConnectionArgs } from '../fixtures/cli';
import { startTestTenant, type TestTenant } from '../fixtures/tenant';
import {
  CLIENT_ID as MB_CLIENT,
  startMisbehavingServer,
  type MisbehavingServer,
} from '../fixtures/misbehaving-server';
import * as demo from '../fixtures/demo';

const dir = mkdtempSync(join(tmpdir(), 'signet-report-'));

const GRACE = demo.GRACE.password;
const ADA = demo.ADA.password;
const BLOCKED = demo.BLOCKED.password;
/** A database user whose password needs CSV quoting: a comma, a quote and spaces. */
const QUOTED_USER = 'quote@signet.test';
const QUOTED = ' Comma, "Quote" 1843 ';
const WRONG = 'Not-The-Password-7';
/** Every password this file uses: none may appear in any output. */
const SECRETS = [
  GRACE,
  ADA,
  BLOCKED,
  QUOTED.trim(),
  'Quote" 1843',
  WRONG,
  ...Object.values(USERS).map((u) => u.password),
];

let t: TestTenant;

beforeAll(async () => {
  t = await startTestTenant({
    // Many wrong passwords in one run: keep the brute-force lock out of the way.
    limits: { bruteForceThreshold: 1000 },
    configure: (config) => {
      for (const c of config.connections)
        if (c.type === 'database' && c.name === 'Username-Password-Authentication')
          c.users.push({
            email: QUOTED_USER,
            password: QUOTED,
            name: 'Quoted Password',
            email_verified: true,
            blocked: false,
            app_metadata: {},
            user_metadata: {},
          });
    },
  });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectNoSecret(...texts: string[]): void {
  for (const text of texts) for (const s of SECRETS) expect(text).not.toContain(s);
}

/** Spawns the CLI as scripts do (test/fixtures/cli.ts), with isolated settings files. */
const signet = (args: string[], input = '') =>
  runSignet(args, {
    input,
    env: {
      ...process.env,
      SIGNET_KEYCHAIN_SERVICE: `signet-test-report-${process.pid}`,
      SIGNET_SETTINGS: join(dir, 'user-settings.json'),
      SIGNET_CONFIG: join(dir, 'no-managed-config.json'),
    },
  });

let fileNo = 0;
function file(content: string, ext = 'csv'): string {
  const path = join(dir, `accounts-${++fileNo}.${ext}`);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

const report = (accounts: string, extra: string[] = [], connection = 'corp-ldap') =>
  signet(testConnectionArgs(t.url, t.clientId, connection, accounts, ...extra));

/** A demo-directory file whose every expectation holds. */
const DEMO_MATCHING = [
  'username,password,expect,note',
  `grace,${GRACE},success,the demo directory's user`,
  `grace,${WRONG},ldap:52e,wrong password on purpose`,
  `nobody,${WRONG},invalid_user_password,no such user`,
  `grace,${GRACE},,no expectation: counts neither way`,
].join('\n');

describe('runConnectionReport (core) against the demo directory', () => {
  let core: SignetCore;
  beforeAll(() => {
    core = new SignetCore({ vault: null });
  });
  afterAll(() => core?.close());

  const run = (accounts: ReportAccount[], extra: { signal?: AbortSignal } = {}) =>
    runConnectionReport(core, {
      tenant: t.url,
      clientId: t.clientId,
      connection: 'corp-ldap',
      accounts,
      ...extra,
    });

  it('reports a mix of expected successes and failures, with groups and the AD sub-code', async () => {
    const r = await run([
      { username: 'grace', password: GRACE, expect: 'success', note: 'ok' },
      { username: 'grace', password: WRONG, expect: 'ldap:52e' },
      { username: 'grace', password: WRONG, expect: 'success', note: 'differs on purpose' },
      { username: 'nobody', password: WRONG, expect: 'invalid_user_password' },
      { username: 'grace', password: GRACE },
    ]);
    expect(r).toMatchObject({
      tenant: t.issuer,
      clientId: t.clientId,
      connection: { name: 'corp-ldap', kind: 'ad' },
      summary: { total: 5, succeeded: 2, failed: 3, matched: 3, mismatched: 1, unchecked: 1 },
    });
    const [ok, wrong, differs, nobody, unchecked] = r.accounts;
    expect(ok).toMatchObject({
      index: 1,
      username: 'grace',
      note: 'ok',
      result: 'success',
      errorCode: null,
      status: 200,
      user: { name: 'Grace Hopper' },
      groups: ['engineering', 'navy'],
      verification: 'verified',
      expected: 'success',
      matches: true,
    });
    expect(ok!.timings.totalMs).toBeGreaterThanOrEqual(ok!.timings.requestMs);
    expect(wrong).toMatchObject({
      result: 'failure',
      errorCode: 'invalid_user_password',
      status: 401,
      description: 'Wrong email or password.',
      adSubCode: '52e',
      adMeaning: 'wrong password',
      groups: [],
      verification: null,
      expected: 'ldap:52e',
      matches: true,
    });
    expect(wrong!.message).toMatch(/directory did not accept/);
    expect(differs).toMatchObject({ result: 'failure', expected: 'success', matches: false });
    expect(nobody).toMatchObject({ errorCode: 'invalid_user_password', matches: true });
    expect(unchecked).toMatchObject({ result: 'success', expected: null, matches: null });
    expect(r.summary.totalMs).toBeGreaterThan(0);
  });

  it('keeps nothing: no session in memory, no password in the attempts log', async () => {
    const r = await run([{ username: 'grace', password: GRACE, expect: 'success' }]);
    expect(r.summary.matched).toBe(1);
    expect(await core.accounts()).toEqual([]);
    await expect(core.restore({ tenant: t.url, clientId: t.clientId })).resolves.toBeNull();
    const attempts = core.attempts();
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.at(-1)?.request.password).toBe('[redacted]');
    expectNoSecret(JSON.stringify(attempts), JSON.stringify(r));
  });

  it('stops with the network error when the tenant cannot be reached at all', async () => {
    await expect(
      runConnectionReport(core, {
        tenant: 'http://127.0.0.1:9',
        clientId: 'x',
        connection: 'corp-ldap',
        accounts: [
          { username: 'a', password: 'p' },
          { username: 'b', password: 'p' },
        ],
      }),
    ).rejects.toMatchObject({ error: { code: 'network_unreachable' } });
  });

  it('a cancelled run rejects with cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      run([{ username: 'grace', password: GRACE }], { signal: controller.signal }),
    ).rejects.toMatchObject({ error: { code: 'cancelled' } });
  });

  it('refuses an empty list, a missing password and an unknown expectation before signing in', async () => {
    await expect(run([])).rejects.toMatchObject({ error: { code: 'invalid_input' } });
    await expect(run([{ username: 'grace', password: '' }])).rejects.toMatchObject({
      error: { code: 'invalid_input', detail: { field: 'accounts[0]' } },
    });
    await expect(
      run([{ username: 'grace', password: GRACE, expect: 'works fine' }]),
    ).rejects.toMatchObject({
      error: { code: 'invalid_input', detail: { field: 'accounts[0].expect' } },
    });
  });
});

describe.skipIf(openLdapSkipped())('runConnectionReport against a real OpenLDAP', () => {
  let ldap: OpenLdap;
  let lt: TestTenant;
  let core: SignetCore;
  beforeAll(async () => {
    ldap = await startOpenLdap();
    lt = await startTestTenant({ corpLdap: ldap.connectionConfig() });
    core = new SignetCore({ vault: null });
  });
  afterAll(async () => {
    await core?.close();
    await lt?.close();
    await ldap?.close();
  });

  it('lists each account’s groups and flags the one that differs', async () => {
    const r = await runConnectionReport(core, {
      tenant: lt.url,
      clientId: lt.clientId,
      connection: 'corp-ldap',
      accounts: [
        { username: 'alan', password: USERS.alan.password, expect: 'success' },
        { username: 'katherine', password: USERS.katherine.password, expect: 'success' },
        { username: 'alan', password: WRONG, expect: 'invalid_user_password' },
        { username: 'katherine', password: WRONG, expect: 'success' },
      ],
    });
    const [alan, katherine, alanWrong, katherineWrong] = r.accounts;
    expect(alan).toMatchObject({ result: 'success', user: { name: 'Alan Turing' }, matches: true });
    expect([...alan!.groups].sort()).toEqual(['codebreakers', 'mathematicians']);
    expect([...katherine!.groups].sort()).toEqual(['Orbital, Mechanics', 'mathematicians']);
    // OpenLDAP is not AD: a refused bind carries no AD sub-code.
    expect(alanWrong).toMatchObject({
      errorCode: 'invalid_user_password',
      adSubCode: null,
      matches: true,
    });
    expect(katherineWrong).toMatchObject({ result: 'failure', matches: false });
    expect(r.summary).toMatchObject({ total: 4, matched: 3, mismatched: 1 });
  });
});

// Only right passwords here: a wrong one counts towards the shared domain's lockout policy,
// and other test files bind as the same accounts.
describe.skipIf(sambaAdSkipped())('runConnectionReport against Samba AD', () => {
  let ad: SambaAd;
  let st: TestTenant;
  let core: SignetCore;
  beforeAll(async () => {
    ad = await useSambaAd();
    st = await startTestTenant({ corpLdap: ad.connectionConfig({ nestedGroups: true }) });
    core = new SignetCore({ vault: null });
  }, SAMBA_AD_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await core?.close();
    await st?.close();
  });

  it('reports each account state with its AD sub-code, and the groups of the one that signs in', async () => {
    const a = AD_ACCOUNTS;
    const r = await runConnectionReport(core, {
      tenant: st.url,
      clientId: st.clientId,
      connection: 'corp-ldap',
      accounts: [
        { username: a.ada.sam, password: a.ada.password, expect: 'success' },
        { username: a.disabled.sam, password: a.disabled.password, expect: 'ldap:533' },
        { username: a.locked.sam, password: a.locked.password, expect: 'too_many_attempts' },
        { username: a.accountExpired.sam, password: a.accountExpired.password, expect: 'ldap:701' },
        {
          username: a.passwordExpired.sam,
          password: a.passwordExpired.password,
          expect: 'password_change_required',
        },
        { username: a.mustChange.sam, password: a.mustChange.password, expect: 'ldap:773' },
      ],
    });
    const [ada, disabled, locked, expired, pwdExpired, mustChange] = r.accounts;
    expect([...ada!.groups].sort()).toEqual([...a.ada.groups, ...a.ada.nestedGroups].sort());
    expect(disabled).toMatchObject({
      errorCode: 'unauthorized',
      adSubCode: '533',
      adMeaning: 'account disabled',
      matches: true,
    });
    expect(disabled!.message).toMatch(/disabled/);
    expect(locked).toMatchObject({
      errorCode: 'too_many_attempts',
      status: 429,
      adSubCode: '775',
      adMeaning: 'account locked',
      matches: true,
    });
    expect(expired).toMatchObject({ errorCode: 'unauthorized', adSubCode: '701', matches: true });
    expect(pwdExpired).toMatchObject({ adSubCode: '532', adMeaning: 'password expired' });
    expect(mustChange).toMatchObject({ adSubCode: '773', adMeaning: 'must reset password' });
    expect(r.summary).toMatchObject({ total: 6, succeeded: 1, matched: 6, mismatched: 0 });
    expectNoSecret(JSON.stringify(r), JSON.stringify(core.attempts()));
  });
});

// Each run is its own process (~2 s of start-up): run them side by side.
// A CLI start under tsx is slow on a busy machine (other suites, Samba): allow for it.
describe.concurrent('signet test-connection', { timeout: 90_000 }, () => {
  it('exits 0 when every expectation holds, and prints the report without a password', async () => {
    const r = await report(file(DEMO_MATCHING));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Connection report: corp-ldap \(ad\)/);
    expect(r.stdout).toMatch(/engineering, navy/);
    expect(r.stdout).toMatch(/52e \(wrong password\)/);
    expect(r.stdout).toMatch(
      /4 accounts: 2 signed in, 2 failed · 3 as expected, 0 differ, 1 without expectation/,
    );
    expectNoSecret(r.stdout, r.stderr);
  });

  it('exits 1 when an account does something else than expected', async () => {
    const r = await report(
      file(`username,password,expect\ngrace,${GRACE},success\ngrace,${WRONG},success\n`),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ differs/);
    expect(r.stdout).toMatch(/1 account did not do what was expected/);
    expectNoSecret(r.stdout, r.stderr);
  });

  it('--json prints the report object with ok, one row per account and the summary', async () => {
    const r = await report(file(DEMO_MATCHING), ['--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as ConnectionReport & { ok: boolean };
    expect(Object.keys(doc).sort()).toEqual(
      [
        'ok',
        'tenant',
        'clientId',
        'connection',
        'startedAt',
        'finishedAt',
        'accounts',
        'summary',
      ].sort(),
    );
    expect(doc).toMatchObject({
      ok: true,
      tenant: t.issuer,
      connection: { name: 'corp-ldap', kind: 'ad' },
      summary: { total: 4, succeeded: 2, failed: 2, matched: 3, mismatched: 0, unchecked: 1 },
    });
    expect(Object.keys(doc.accounts[0]!).sort()).toEqual(
      [
        'index',
        'username',
        'note',
        'result',
        'errorCode',
        'message',
        'description',
        'status',
        'adSubCode',
        'adMeaning',
        'user',
        'groups',
        'verification',
        'timings',
        'expected',
        'matches',
      ].sort(),
    );
    expect(doc.accounts.map((a) => [a.result, a.errorCode, a.adSubCode, a.matches])).toEqual([
      ['success', null, null, true],
      ['failure', 'invalid_user_password', '52e', true],
      ['failure', 'invalid_user_password', null, true],
      ['success', null, null, null],
    ]);
    expect(doc.accounts[0]!.groups).toEqual(['engineering', 'navy']);
    expectNoSecret(r.stdout, r.stderr);
  });

  it('--markdown prints a table and the summary line', async () => {
    const r = await report(file(DEMO_MATCHING), ['--markdown']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('# Connection report');
    const header = lines.findIndex((l) => l.startsWith('| # | Account |'));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toMatch(/^\|---:\|---\|/);
    const rows = lines.slice(header + 2, header + 6);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row.split(' | ')).toHaveLength(11);
    expect(rows[0]).toMatch(
      /^\| 1 \| grace \| success \| success \| ✓ \|.*engineering, navy \| verified \|/,
    );
    expect(rows[1]).toMatch(/invalid_user_password · HTTP 401 \| 52e \(wrong password\)/);
    expect(r.stdout).toMatch(
      /^\*\*Summary:\*\* 4 accounts: .*Every account did what was expected\.$/m,
    );
    expectNoSecret(r.stdout, r.stderr);
  });

  it('reads a quoted password with a comma and a quote (database connection)', async () => {
    const csv = [
      'username,password,expect,note',
      `${QUOTED_USER},"${QUOTED.replace(/"/g, '""')}",success,"comma, ""quote"" and spaces"`,
      `${QUOTED_USER},"${QUOTED.trim().replace(/"/g, '""')}",invalid_user_password,trimmed is wrong`,
      `blocked@signet.test,${BLOCKED},unauthorized,blocked in the tenant`,
      `ada@signet.test,${ADA},success,`,
    ].join('\r\n');
    const r = await report(
      file(csv),
      ['--kind', 'database', '--json'],
      'Username-Password-Authentication',
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ConnectionReport;
    expect(doc.connection).toEqual({ name: 'Username-Password-Authentication', kind: 'database' });
    expect(doc.accounts.map((a) => [a.username, a.result, a.errorCode, a.matches])).toEqual([
      [QUOTED_USER, 'success', null, true],
      [QUOTED_USER, 'failure', 'invalid_user_password', true],
      ['blocked@signet.test', 'failure', 'unauthorized', true],
      ['ada@signet.test', 'success', null, true],
    ]);
    expect(doc.accounts[0]!.note).toBe('comma, "quote" and spaces');
    expectNoSecret(r.stdout, r.stderr);
  });

  it('reads a JSON accounts file', async () => {
    const r = await report(
      file(
        JSON.stringify([
          { username: 'grace', password: GRACE, expect: 'success' },
          { username: 'grace', password: WRONG, expect: 'ldap:52e' },
        ]),
        'json',
      ),
      ['--json'],
    );
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as ConnectionReport).summary.matched).toBe(2);
  });

  it('a bad CSV exits 2 naming the line, without the password', async () => {
    const r = await report(file(`username,password,expect\ngrace,"${GRACE},success\n`), ['--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { ok: boolean; error: { code: string; message: string } };
    expect(doc).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(doc.error.message).toMatch(/^accounts-\d+\.csv: line 2: a quoted field is never closed/);
    const fields = await report(file(`username,password,expect\ngrace,a,b,success\n`));
    expect(fields.code).toBe(2);
    expect(fields.stderr).toMatch(/line 2: 4 fields, but the header has 3/);
    expectNoSecret(r.stdout, r.stderr, fields.stdout, fields.stderr);
  });

  it('a missing file, a missing flag and --json with --markdown exit 2', async () => {
    const [missing, noAccounts, both] = await Promise.all([
      report(join(dir, 'nope.csv'), ['--json']),
      signet(['test-connection', '--tenant', t.url, '--connection', 'x']),
      report(file(DEMO_MATCHING), ['--json', '--markdown']),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toMatch(/nope\.csv: no such file/);
    expect(noAccounts.code).toBe(2);
    expect(noAccounts.stderr).toMatch(/--accounts is required/);
    expect(both.code).toBe(2);
  });

  it('a password left out is a usage error without a terminal to ask on (exit 2)', async () => {
    const r = await report(file('username,password,expect\ngrace,,success\n'), ['--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/no password for the account at line 2 \(grace\), and no terminal/);
  });

  it('refuses a password flag (exit 2)', async () => {
    const r = await report(file(DEMO_MATCHING), ['--password', GRACE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/never accepted as a flag/);
  });

  it('exits 3 when the tenant cannot be reached', async () => {
    const r = await signet(
      testConnectionArgs('http://127.0.0.1:9', 'x', 'corp-ldap', file(DEMO_MATCHING), '--json'),
    );
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: false,
      error: { code: 'network_unreachable' },
    });
  });

  it('warns when the accounts file holding passwords is readable by others', async () => {
    const path = join(dir, 'open.csv');
    writeFileSync(path, DEMO_MATCHING, { mode: 0o644 });
    const r = await report(path, ['--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: open\.csv holds passwords and other users can read it/);
  });
});

describe('the testConnection IPC channel', () => {
  let service: SignetService;
  let sdir: string;
  beforeAll(() => {
    sdir = mkdtempSync(join(tmpdir(), 'signet-report-service-'));
    service = serviceOn(writeJson(sdir, 'settings.json', { tenant: t.url, clientId: t.clientId }));
  });
  afterAll(async () => {
    await service?.close();
    rmSync(sdir, { recursive: true, force: true });
  });

  it('answers the report; no password in it, the attempts or the diagnostics export', async () => {
    const r = await service.dispatch('testConnection', {
      connection: 'corp-ldap',
      accounts: [
        { username: 'grace', password: GRACE, expect: 'success', note: 'n' },
        { username: 'grace', password: WRONG, expect: 'ldap:52e' },
      ],
    });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const value = (r as { value: ConnectionReport }).value;
    expect(value.summary).toMatchObject({ total: 2, matched: 2, mismatched: 0 });
    expect(value.accounts[0]!.groups).toEqual(['engineering', 'navy']);
    expect(value.accounts[1]).toMatchObject({ adSubCode: '52e', adMeaning: 'wrong password' });
    const attempts = await service.dispatch('attempts', {});
    const md = await service.dispatch('exportDiagnostics', { format: 'markdown' });
    const json = await service.dispatch('exportDiagnostics', { format: 'json' });
    expectNoSecret(
      JSON.stringify(r),
      JSON.stringify(attempts),
      JSON.stringify(md),
      JSON.stringify(json),
    );
    // The window's session is untouched: nothing was kept.
    expect(await service.dispatch('accounts', {})).toEqual({ ok: true, value: [] });
  });

  it('validates the request (and never echoes a password in the issues)', async () => {
    const r = await service.dispatch('testConnection', {
      connection: 'corp-ldap',
      accounts: [{ username: 'grace', password: GRACE, expect: 'works fine', extra: GRACE }],
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const issues = (
      r as unknown as { error: { detail: { issues: string[] } } }
    ).error.detail.issues.join('\n');
    expect(issues).toMatch(/accounts\.0\.expect|accounts\[0\]/);
    expectNoSecret(JSON.stringify(r));
    const tooMany = await service.dispatch('testConnection', {
      connection: 'corp-ldap',
      accounts: Array.from({ length: 201 }, () => ({ username: 'grace', password: GRACE })),
    });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('cancel stops a run', async () => {
    const running = service.dispatch('testConnection', {
      connection: 'corp-ldap',
      accounts: Array.from({ length: 50 }, () => ({ username: 'grace', password: GRACE })),
    });
    expect(await service.dispatch('cancel', {})).toEqual({ ok: true, value: { cancelled: true } });
    expect(await running).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });
});

// A tenant that answers an openid sign-in with 200 {access_token, token_type} and no id_token:
// nothing was verified, so it is neither a session nor a report's success (issue 9, item 11).
describe('a tenant that sends no id_token', { timeout: 60_000 }, () => {
  const DB = 'Username-Password-Authentication';
  let bad: MisbehavingServer;
  beforeAll(async () => {
    bad = await startMisbehavingServer();
  });
  afterAll(async () => {
    await bad?.close();
  });
  const core = () =>
    new SignetCore({
      settings: { tenant: bad.tenant('no-id-token'), clientId: MB_CLIENT },
      vault: null,
    });

  it('core: an openid sign-in is a bad_response and keeps nothing', async () => {
    const c = core();
    try {
      await expect(
        c.signIn({ connection: DB, username: 'u', password: 'x', scope: 'openid profile' }),
      ).rejects.toMatchObject({
        error: { code: 'bad_response', status: 200, detail: { scope: 'openid profile' } },
      });
      expect(await c.restore({})).toBeNull();
    } finally {
      await c.close();
    }
  });

  it('core: the report row is a failure, whatever the scope', async () => {
    const c = core();
    try {
      for (const scope of [undefined, 'profile']) {
        const r = await runConnectionReport(c, {
          connection: DB,
          kind: 'database',
          accounts: [{ username: 'u', password: 'x', expect: 'success' }],
          ...(scope ? { scope } : {}),
        });
        expect(r.accounts[0]).toMatchObject({
          result: 'failure',
          errorCode: 'bad_response',
          verification: null,
          matches: false,
        });
        expect(r.summary).toMatchObject({ succeeded: 0, mismatched: 1 });
      }
    } finally {
      await c.close();
    }
  });

  it('core: an HS256 id_token (not verifiable) is not a success row', async () => {
    const c = new SignetCore({
      settings: { tenant: bad.tenant('hs256'), clientId: MB_CLIENT },
      vault: null,
    });
    try {
      const r = await runConnectionReport(c, {
        connection: DB,
        kind: 'database',
        accounts: [{ username: 'u', password: 'x', expect: 'success' }],
      });
      expect(r.accounts[0]).toMatchObject({
        result: 'failure',
        errorCode: 'token_invalid',
        matches: false,
      });
      expect(r.accounts[0]?.message).toMatch(/HS256 id_token, which Signet cannot verify/);
      expect(r.summary).toMatchObject({ succeeded: 0, mismatched: 1 });
    } finally {
      await c.close();
    }
  });

  it('signet test-connection: the row is not a success and the run exits 1', async () => {
    const r = await signet(
      testConnectionArgs(
        bad.tenant('no-id-token'),
        MB_CLIENT,
        DB,
        file('username,password,expect\nu,x,success\n'),
        '--kind',
        'database',
        '--json',
      ),
    );
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as ConnectionReport & { ok: boolean };
    expect(doc.ok).toBe(false);
    expect(doc.accounts[0]).toMatchObject({ result: 'failure', errorCode: 'bad_response' });
  });
});
