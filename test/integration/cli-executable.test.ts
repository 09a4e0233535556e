/**
 * `signet` without the sources: the standalone executable (Node's single executable
 * application, dist/cli/signet) copied alone into a scratch folder and run with a bare
 * environment, and the `npm pack` tarball installed with `--omit=dev` into a scratch prefix.
 * Both sign in to a real local tenant over loopback and keep the session in the real keychain.
 * The executable is built by the Vitest global setup (scripts/build-cli.mjs) when stale.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, renameSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import keytar from '@github/keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runSignet, tenantFlags, type CliRun } from '../fixtures/cli.js';
import { ADA } from '../fixtures/demo.js';
import { bareEnv, standaloneCopy } from '../fixtures/executable.js';
import { keyringMissing } from '../fixtures/keyring.js';
import { serviceMissing } from '../fixtures/services.js';
import { startTestTenant, type TestTenant } from '../fixtures/tenant.js';
import { tempDirs } from '../fixtures/temp-dirs.js';

const noKeyring = await keyringMissing();
const tmp = tempDirs('signet-cli-exe-');
const service = `signet-test-exe-${process.pid}-${randomBytes(3).toString('hex')}`;
const DB = 'Username-Password-Authentication';
const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
};
const VERSION_LINE = new RegExp(
  `^signet ${version.replace(/\./g, '\\.')} \\(node v\\d+\\.\\d+\\.\\d+, ${process.platform}-${process.arch}, (standalone|bundle)\\)\n$`,
);

let t: TestTenant;
beforeAll(async () => {
  t = await startTestTenant();
});
afterAll(async () => {
  await t?.close();
  if (!noKeyring)
    for (const c of await keytar.findCredentials(service))
      await keytar.deletePassword(service, c.account);
});

const loginArgs = (...extra: string[]) => [
  'login',
  ...tenantFlags(t.url, t.clientId),
  '--connection',
  DB,
  '--username',
  ADA.username,
  '--password-stdin',
  ...extra,
];

/** The settings files of one run: none of the user's, and no managed configuration. */
const isolated = (home: string): NodeJS.ProcessEnv => ({
  SIGNET_KEYCHAIN_SERVICE: service,
  SIGNET_SETTINGS: join(home, 'settings.json'),
  SIGNET_CONFIG: join(home, 'no-managed-config.json'),
});

/** A run's output for an assertion message. */
const shown = (r: CliRun) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

describe('the standalone executable, alone in a scratch folder', () => {
  const home = tmp();
  const folder = tmp();
  const exe = standaloneCopy(folder);
  const env = bareEnv(home, isolated(home));
  const run = (args: string[], input?: string) =>
    runSignet(args, { via: [exe], env, ...(input !== undefined ? { input } : {}) });

  it('has nothing beside it but keytar.node, and no node on its PATH', () => {
    expect(readdirSync(folder).sort()).toEqual(['keytar.node', 'signet']);
    expect(readdirSync(env.PATH!)).toEqual([]);
    expect(existsSync(join(folder, 'node_modules'))).toBe(false);
  });

  it('--version prints the Signet version and the Node it embeds', async () => {
    const r = await run(['--version']);
    expect(r.code, shown(r)).toBe(0);
    expect(r.stdout).toMatch(VERSION_LINE);
    expect(r.stdout).toContain('standalone');
    expect(r.stderr).toBe('');
    expect((await run(['-v'])).stdout).toBe(r.stdout);
  });

  it.skipIf(noKeyring)(
    'login (password on stdin) → whoami → token → logout against the local tenant and the real keychain',
    async () => {
      const login = await run(loginArgs('--json'), `${ADA.password}\n`);
      expect(login.code, shown(login)).toBe(0);
      expect(login.json).toMatchObject({ ok: true, username: ADA.username, stored: 'keychain' });
      // The session is in the real keychain, under the isolated service.
      expect((await keytar.findCredentials(service)).length).toBeGreaterThan(0);

      const who = await run(['whoami', '--json']);
      expect(who.code, shown(who)).toBe(0);
      expect(who.json).toMatchObject({ ok: true, username: ADA.username, tenant: t.issuer });

      // The id_token on stdout and nothing else: what a calling tool reads.
      const tok = await run(['token']);
      expect(tok.code, shown(tok)).toBe(0);
      expect(tok.stderr).toBe('');
      expect(tok.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const claims = JSON.parse(
        Buffer.from(tok.stdout.split('.')[1]!, 'base64url').toString('utf8'),
      ) as { iss: string; aud: string };
      expect(claims).toMatchObject({ iss: t.issuer, aud: t.clientId });

      const out = await run(['logout', '--json']);
      expect(out.code, shown(out)).toBe(0);
      expect(out.json.ok).toBe(true);
      expect(await keytar.findCredentials(service)).toEqual([]);

      const after = await run(['whoami']);
      expect(after.code).toBe(1);
      expect(after.stderr).toMatch(/Not signed in/);
      const none = await run(['token']);
      expect(none.code).toBe(1);
      expect(none.stdout).toBe('');
    },
  );

  it('without keytar.node beside it, the keychain is unavailable, not a crash', async () => {
    const lone = standaloneCopy(tmp(), false);
    const r = await runSignet(loginArgs('--json'), {
      via: [lone],
      env,
      input: `${ADA.password}\n`,
    });
    // Signed in, kept in memory only, and told why.
    expect(r.code, shown(r)).toBe(0);
    expect(r.json).toMatchObject({
      ok: true,
      stored: 'memory',
      storeError: { code: 'keychain_unavailable' },
    });
    const who = await runSignet(['whoami'], { via: [lone], env });
    expect(who.code, shown(who)).toBe(2);
    expect(who.stderr).toMatch(/\(keychain_unavailable\)/);
    expect(who.stderr).toContain('keytar.node');
    expect(who.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it.skipIf(process.platform === 'win32')(
    'refuses a keytar.node that others could have planted or swapped: writable by others, or in a folder others write to',
    async () => {
      const cases: Array<[string, (exe: string) => void, RegExp]> = [
        [
          'group-writable module',
          (exe) => chmodSync(join(dirname(exe), 'keytar.node'), 0o664),
          /not loaded: others may write to it\)/,
        ],
        [
          'world-writable folder',
          (exe) => chmodSync(dirname(exe), 0o777),
          /not loaded: others may write to its folder\)/,
        ],
        [
          'module linked from elsewhere',
          (exe) => {
            const real = join(tmp(), 'keytar.node');
            renameSync(join(dirname(exe), 'keytar.node'), real);
            symlinkSync(real, join(dirname(exe), 'keytar.node'));
          },
          /not loaded: it is not a regular file\)/,
        ],
      ];
      for (const [name, spoil, reason] of cases) {
        const exe = standaloneCopy(tmp());
        spoil(exe);
        const who = await runSignet(['whoami'], { via: [exe], env });
        expect(who.code, `${name}: ${shown(who)}`).toBe(2);
        expect(who.stderr, name).toMatch(/\(keychain_unavailable\)/);
        expect(who.stderr, name).toMatch(reason);
        chmodSync(dirname(exe), 0o700);
      }
      // The same copy, kept private, loads it (a sticky shared folder would do too).
      const exe = standaloneCopy(tmp());
      chmodSync(dirname(exe), 0o1777);
      const ok = await runSignet(['whoami'], { via: [exe], env });
      expect(ok.stderr).not.toMatch(/keychain_unavailable/);
    },
  );

  it('`signet tenant` says plainly that the local tenant ships with the source only', async () => {
    const r = await run(['tenant', '--help']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/local tenant is not part of this installation.*source only/);
  });
});

/** Why `npm install` from the registry cannot run here, or undefined. */
function registryProblem(): string | undefined {
  const r = spawnSync('npm', ['ping'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 ? undefined : `npm ping failed: ${(r.stderr || r.stdout).trim()}`;
}

describe('the npm package (npm pack, npm install --omit=dev)', () => {
  const noRegistry = serviceMissing('npm registry', registryProblem());
  const prefix = tmp();
  const home = tmp();
  let tarball: string;
  let bin: string;
  // Node is on PATH (the bin is `#!/usr/bin/env node`); tsx and the checkout are not.
  const env = (): NodeJS.ProcessEnv => ({
    ...bareEnv(home, isolated(home)),
    PATH: `${join(prefix, 'node_modules/.bin')}:${process.env.PATH}`,
  });
  const run = (args: string[], input?: string) =>
    runSignet(args, { via: [bin], env: env(), ...(input !== undefined ? { input } : {}) });

  beforeAll(() => {
    if (noRegistry) return;
    const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', prefix], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
    const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    // The bin and the bundle, never the sources. (npm always adds README.md and the `main` file,
    // the app's out/main/index.js when the app has been built.)
    const paths = info!.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['bin/signet.mjs', 'out/cli/signet.cjs', 'package.json']),
    );
    expect(paths.filter((p) => !/^(bin|out)\/|^README\.md$|^package\.json$/.test(p))).toEqual([]);
    expect(paths.filter((p) => /\.ts$/.test(p))).toEqual([]);
    tarball = join(prefix, info!.filename);
    const install = spawnSync(
      'npm',
      ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefix', prefix, tarball],
      { cwd: prefix, encoding: 'utf8', timeout: 170_000 },
    );
    if (install.status !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
    bin = join(prefix, 'node_modules/.bin/signet');
  }, 180_000);

  it.skipIf(noRegistry)('installs no devDependency and none of the sources', () => {
    const installed = readdirSync(join(prefix, 'node_modules'));
    for (const dev of ['tsx', 'esbuild', 'typescript', 'vitest', 'fastify', 'postject'])
      expect(installed, dev).not.toContain(dev);
    expect(existsSync(join(prefix, 'node_modules/signet/src'))).toBe(false);
  });

  it.skipIf(noRegistry)('runs `signet --version` from the bundle', async () => {
    const r = await run(['--version']);
    expect(r.code, shown(r)).toBe(0);
    expect(r.stdout).toMatch(VERSION_LINE);
    expect(r.stdout).toContain('bundle');
  });

  it.skipIf(noRegistry || noKeyring)(
    'signs in to the local tenant and out again (password on stdin)',
    async () => {
      const login = await run(loginArgs('--json'), `${ADA.password}\n`);
      expect(login.code, shown(login)).toBe(0);
      expect(login.json).toMatchObject({ ok: true, username: ADA.username, stored: 'keychain' });
      const who = await run(['whoami', '--json']);
      expect(who.code, shown(who)).toBe(0);
      expect(who.json).toMatchObject({ ok: true, username: ADA.username });
      const out = await run(['logout', '--json']);
      expect(out.code, shown(out)).toBe(0);
      expect(await keytar.findCredentials(service)).toEqual([]);
    },
  );

  it.skipIf(noRegistry)(
    '`signet tenant` says the local tenant ships with the source only',
    async () => {
      const r = await run(['tenant', '--help']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/source only/);
    },
  );
});
