/**
 * `signet signup` and `signet reset-password` as scripts run them: the real CLI as a child
 * process against the local tenant, the new password on stdin (never a flag), `--json` on
 * stdout, the tenant's refusal (with the unmet rules) on stderr and exit 1.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSignet, tenantFlags } from '../fixtures/cli.js';
import { RESET_EMAIL_SENT } from '../../src/shared/signup-rules';
import { startTestTenant, type TestTenant } from '../fixtures/tenant.js';
import { tempDirs } from '../fixtures/temp-dirs.js';

const DB = 'Username-Password-Authentication';
const STRONG = `Cli-Strong-${randomBytes(4).toString('hex')}`;
const newDir = tempDirs('signet-cli-signup-');
const fresh = () => `cli.${randomBytes(4).toString('hex')}@signup.signet.test`;

let t: TestTenant;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  t = await startTestTenant();
  const dir = newDir();
  env = {
    ...process.env,
    SIGNET_SETTINGS: join(dir, 'settings.json'),
    SIGNET_CONFIG: join(dir, 'none.json'),
    SIGNET_KEYCHAIN_SERVICE: `signet-test-cli-signup-${process.pid}`,
  };
});
afterAll(async () => {
  await t?.close();
});

const signup = (email: string, password: string, ...extra: string[]) =>
  runSignet(
    [
      'signup',
      ...tenantFlags(t.url, t.clientId),
      '--connection',
      DB,
      '--email',
      email,
      '--password-stdin',
      ...extra,
    ],
    { input: `${password}\n`, env },
  );

describe('signet signup / reset-password', () => {
  it('creates the account from a password on stdin; login then works with it', async () => {
    const email = fresh();
    const r = await signup(email, STRONG, '--json');
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ ok: true, email, emailVerified: false });
    const login = await runSignet(
      [
        'login',
        ...tenantFlags(t.url, t.clientId),
        '--connection',
        DB,
        '--username',
        email,
        '--password-stdin',
        '--no-store',
        '--json',
      ],
      { input: STRONG, env },
    );
    expect(login.code).toBe(0);
    expect(login.json).toMatchObject({ ok: true, username: email });
  });

  it('a weak password: exit 1, the unmet rules on stderr, the password nowhere', async () => {
    const weak = `w${randomBytes(2).toString('hex')}`;
    const r = await signup(fresh(), weak);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/This password is too weak: at least 8 characters in length/);
    expect(r.stderr).toMatch(/invalid_password · HTTP 400/);
    expect(r.stdout + r.stderr).not.toContain(weak);
  });

  it('refuses --password on the command line without sending anything', async () => {
    const r = await runSignet(
      [
        'signup',
        ...tenantFlags(t.url, t.clientId),
        '--connection',
        DB,
        '--email',
        fresh(),
        '--password',
        STRONG,
      ],
      { env },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--password is not accepted/);
  });

  it("reset-password prints the tenant's sentence", async () => {
    const r = await runSignet(
      ['reset-password', ...tenantFlags(t.url, t.clientId), '--connection', DB, '--email', fresh()],
      { env },
    );
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(RESET_EMAIL_SENT);
  });
});
