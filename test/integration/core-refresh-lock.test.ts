/**
 * One refresh at a time, across processes (issue 11 §2): real `signet token` processes, the
 * real keychain, a real local tenant with rotating refresh tokens (`signet-rotating`: a reused
 * refresh token revokes the whole family, spec §9) that counts every refresh grant it answers.
 * Figures (how long the twenty took, how long a dead holder's lock held them up) are printed
 * for the report, never asserted.
 * Run alone: `node scripts/test.mjs test/integration/core-refresh-lock.test.ts`.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import keytar from '@github/keytar';
import { decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignetCore, Vault, toSignInError, type SessionRecord } from '../../src/core/index';
import { STALE_MS, lockPath, withRefreshLock } from '../../src/core/session/refresh-lock';
import {
  CLI_COMMAND,
  REPO_ROOT,
  TSX_COMMAND,
  runSignet,
  tenantFlags,
  type CliRun,
} from '../fixtures/cli.js';
import * as demo from '../fixtures/demo';
import { keyringMissing } from '../fixtures/keyring.js';
import { addDbUser, startTestTenant, type TestTenant } from '../fixtures/tenant.js';
import { tempDirs } from '../fixtures/temp-dirs.js';

const noKeyring = await keyringMissing();
const service = `signet-test-lock-${process.pid}-${randomBytes(3).toString('hex')}`;
const vault = new Vault(service);
const dir = tempDirs('signet-lock-')();
// The in-process core (the "app") takes its locks beside the same settings file as the CLI.
process.env.SIGNET_SETTINGS = join(dir, 'settings.json');
const DB = demo.DEMO_DATABASE;
const ROTATING = 'signet-rotating';
/** Rotating too, with Auth0's overlap period: a retired token still renews for a minute. */
const OVERLAP = 'signet-rotating-overlap';
const LIFETIME = 30;
const USER = { username: 'lock@signet.test', password: 'Lock-Step-2026-Twenty' };

const env = (): NodeJS.ProcessEnv => ({
  ...process.env,
  SIGNET_KEYCHAIN_SERVICE: service,
  SIGNET_SETTINGS: join(dir, 'settings.json'),
  SIGNET_CONFIG: join(dir, 'no-managed-config.json'),
});
const signet = (args: string[]): Promise<CliRun> => runSignet(args, { env: env() });

let t: TestTenant;
/** The tenant's clock runs this many ms behind: tokens issued now expire that much sooner. */
let offset = 0;
const key = (clientId = ROTATING) => ({ tenant: t.url, clientId, username: USER.username });
const at = (clientId = ROTATING) => [...tenantFlags(t.url, clientId), '--username', USER.username];
/** Called with each request line the tenant logs (after it answered). */
let onRequest: (line: string) => void = () => undefined;
const refreshGrants = async () => (await t.stats()).grants['/oauth/token']?.refresh_token ?? 0;
const stored = (clientId = ROTATING) => vault.load(key(clientId));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes the stored session expire within `inMs`: one refresh while the tenant's clock runs
 * behind, so the new tokens are issued already old. Resolves once they have expired.
 */
async function expireSoon(inMs = 1500, clientId = ROTATING): Promise<SessionRecord> {
  offset = -(LIFETIME * 1000 - inMs);
  const r = await signet(['refresh', ...at(clientId)]);
  offset = 0;
  expect(r.code, r.stderr).toBe(0);
  const record = (await stored(clientId))!;
  const exp = decodeJwt(record.id_token!).exp! * 1000;
  await sleep(Math.max(0, exp - Date.now() + 100));
  return record;
}

beforeAll(async () => {
  if (noKeyring) return;
  t = await startTestTenant({
    idTokenLifetime: LIFETIME,
    accessTokenLifetime: LIFETIME,
    now: () => Date.now() + offset,
    log: (line) => onRequest(line),
    clients: [
      {
        client_id: OVERLAP,
        name: 'Rotating with an overlap period',
        alg: 'RS256',
        legacyGrant: false,
        oidcConformant: true,
        rotateRefreshTokens: true,
        rotationOverlapSeconds: 60,
      },
    ],
  });
  // A long name makes the record span several keychain entries (chunks + the index flip).
  await addDbUser(t, {
    email: USER.username,
    password: USER.password,
    name: `Lock Step ${'x'.repeat(1500)}`,
  });
  for (const clientId of [ROTATING, OVERLAP]) await login(clientId);
});

async function login(clientId: string) {
  const r = await runSignet(
    [
      'login',
      ...tenantFlags(t.url, clientId),
      '--connection',
      DB,
      '--username',
      USER.username,
      '--password-stdin',
      '--protocol',
      'modern',
      '--scope',
      'openid profile email offline_access',
    ],
    { input: `${USER.password}\n`, env: env() },
  );
  expect(r.code, r.stderr).toBe(0);
}
afterAll(async () => {
  await t?.close();
  if (!noKeyring)
    for (const c of await keytar.findCredentials(service))
      await keytar.deletePassword(service, c.account);
});

describe.skipIf(noKeyring)('one refresh at a time, across processes', { timeout: 180_000 }, () => {
  it.each([1, 2, 3])(
    'round %i: 20 concurrent `signet token` on an expired session print one token; the tenant counts one refresh; the family stays intact',
    async (round) => {
      const old = await expireSoon();
      const before = await refreshGrants();
      const t0 = performance.now();
      const runs = await Promise.all(
        Array.from({ length: 20 }, () => signet(['token', ...at(), '--format', 'json'])),
      );
      const ms = performance.now() - t0;
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      const tokens = new Set(runs.map((r) => r.json.token));
      expect(tokens.size).toBe(1);
      const [token] = [...tokens] as string[];
      expect(token).not.toBe(old.id_token);
      expect(await refreshGrants()).toBe(before + 1);
      const now = (await stored())!;
      expect(now.id_token).toBe(token);
      expect(now.refresh_token).not.toBe(old.refresh_token); // rotated, and the new one kept
      // The family is intact: the kept refresh token renews again.
      const again = await signet(['refresh', ...at()]);
      expect(again.code, again.stderr).toBe(0);
      expect(await refreshGrants()).toBe(before + 2);
      console.log(
        `[figures] round ${round}: 20 concurrent signet token (expired session) took ${Math.round(ms)} ms wall; refresh grants at the tenant: 1`,
      );
    },
  );

  it('20 concurrent `signet token --min-valid` above the token lifetime make one refresh too', async () => {
    // Fresh tokens: none expired, every process asks for more than any token lives.
    const before = await refreshGrants();
    const t0 = performance.now();
    const runs = await Promise.all(
      Array.from({ length: 20 }, () =>
        signet(['token', ...at(), '--min-valid', String(LIFETIME * 10)]),
      ),
    );
    const ms = performance.now() - t0;
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(new Set(runs.map((r) => r.stdout)).size).toBe(1);
    expect(await refreshGrants()).toBe(before + 1);
    expect(runs[0]!.stdout.trim()).toBe((await stored())!.id_token);
    console.log(
      `[figures] 20 concurrent signet token --min-valid ${LIFETIME * 10} took ${Math.round(ms)} ms wall; refresh grants: 1`,
    );
  });

  it('a lock holder killed with SIGKILL leaves no stuck lock: the next refresh waits for it to go stale, then runs', async () => {
    await expireSoon();
    const before = await refreshGrants();
    const holder = spawn(
      TSX_COMMAND[0]!,
      [...TSX_COMMAND.slice(1), 'test/fixtures/hold-refresh-lock.ts', JSON.stringify(key())],
      { cwd: REPO_ROOT, env: env(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
      holder.on('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
    });
    const lockDir = `${lockPath(key())}.lock`;
    expect(existsSync(lockDir)).toBe(true);
    holder.kill('SIGKILL');
    const t0 = performance.now();
    const r = await signet(['token', ...at()]);
    const ms = performance.now() - t0;
    expect(r.code, r.stderr).toBe(0);
    expect(await refreshGrants()).toBe(before + 1);
    expect(r.stdout.trim()).toBe((await stored())!.id_token);
    expect(existsSync(lockDir)).toBe(false);
    console.log(
      `[figures] signet token after a SIGKILLed lock holder: ${Math.round(ms)} ms (the lock goes stale after ${STALE_MS / 1000} s)`,
    );
  });

  it('a refresh killed with SIGKILL around the keychain write leaves the old session or the new one, never half, and no stuck lock', async () => {
    // The tenant has answered the refresh, and then the JWKS fetch of the new token's check,
    // when it logs them; the kill lands `delay` ms after one of them — before, inside and
    // after the keychain write (a client with an overlap period, so an old session left
    // behind still renews: without one, the tenant would rightly see a reuse).
    const entries = await vault.entryCount(key(OVERLAP));
    const seen = { old: 0, renewed: 0 };
    const moments = [
      ...[0, 8, 32].map((delay) => ({ after: 'POST /oauth/token 200', delay })),
      ...[0, 5, 10, 20, 35, 50, 75, 100, 130, 160, 200, 250, 320, 400, 500].map((delay) => ({
        after: 'GET /.well-known/jwks.json 200',
        delay,
      })),
    ];
    for (const { after, delay } of moments) {
      const old = await expireSoon(1000, OVERLAP);
      const child = spawn(CLI_COMMAND[0]!, [...CLI_COMMAND.slice(1), 'token', ...at(OVERLAP)], {
        cwd: REPO_ROOT,
        env: env(),
        stdio: 'ignore',
      });
      const exited = new Promise((r) => child.once('exit', r));
      onRequest = (line) => {
        if (!line.startsWith(after)) return;
        onRequest = () => undefined;
        setTimeout(() => child.kill('SIGKILL'), delay);
      };
      await exited;
      onRequest = () => undefined;
      const now = await stored(OVERLAP);
      expect(now).toBeDefined();
      if (now!.obtained_at === old.obtained_at) {
        expect(now).toEqual(old);
        seen.old++;
      } else {
        await jwtVerify(now!.id_token!, t.jwks, { audience: OVERLAP });
        expect(now!.refresh_token).not.toBe(old.refresh_token);
        seen.renewed++;
      }
      // Not stuck: the next run renews (or uses the renewed session).
      const next = await signet(['token', ...at(OVERLAP)]);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stdout.trim()).toBe((await stored(OVERLAP))!.id_token);
      // And a killed write's chunks are swept: the record is back to its own entries.
      expect(await vault.entryCount(key(OVERLAP))).toBe(entries);
    }
    console.log(
      `[figures] SIGKILL 0–500 ms after the tenant answered a refresh or its JWKS (record in ${entries} keychain entries), ${moments.length} runs: old session left ${seen.old}×, new session ${seen.renewed}×, half 0×`,
    );
  });

  it('the app (an in-process core) and the CLI refreshing at the same moment make one refresh', async () => {
    const app = new SignetCore({ vault });
    try {
      await app.restore({ tenant: t.url, clientId: ROTATING, username: USER.username });
      for (const delay of [0, 400, 800]) {
        await expireSoon();
        const before = await refreshGrants();
        const cli = signet(['token', ...at(), '--format', 'json']);
        await sleep(delay);
        // Both need a valid token: whichever comes second finds the other's renewal in the
        // keychain (or, for the app, its own still-valid copy), whatever the timing.
        const fromApp = await app.token({
          tenant: t.url,
          clientId: ROTATING,
          username: USER.username,
        });
        const r = await cli;
        expect(r.code, r.stderr).toBe(0);
        expect(await refreshGrants()).toBe(before + 1);
        const now = (await stored())!;
        expect(r.json.token).toBe(now.id_token);
        // The app hands out a valid token of the session: the renewed one, or its own copy
        // from an earlier round when that one is still valid (it never asks the tenant again).
        const { payload } = await jwtVerify(fromApp.token, t.jwks, { audience: ROTATING });
        expect(payload.exp! * 1000).toBeGreaterThan(Date.now());
      }
    } finally {
      await app.close();
    }
  });
});

describe('a hold on the refresh lock that is lost', () => {
  it('a holder whose lock was taken from it (its mtime could not be renewed) sends no request and does not crash', async () => {
    const k = { tenant: 'https://lost.example', clientId: 'c', username: `u${process.pid}` };
    const file = lockPath(k);
    let sent = false;
    const outcome = await withRefreshLock(k, async (beforeSend) => {
      // The lock vanishes under the holder (what a waiter's takeover after a long pause
      // looks like to it): its next mtime update fails and proper-lockfile calls onCompromised.
      rmSync(`${file}.lock`, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, STALE_MS / 2));
      beforeSend();
      sent = true;
    }).then(
      () => undefined,
      (err: unknown) => toSignInError(err),
    );
    expect(sent).toBe(false);
    expect(outcome).toMatchObject({ code: 'timeout' });
    expect(outcome?.message).toMatch(/not renewed/);
  });
});
