/**
 * `npm run bench:cli` — what a tool pays to get a token from Signet: the wall time of
 * `signet token` (the standalone executable, dist/cli/signet, with a valid session in the
 * keychain, so no network) against a bare `node -e 0`, alternating A/B for 20 pairs, their
 * medians and ratio, and each one's peak memory (max RSS). For reference, the same for
 * `signet --version` (start-up alone), the bundle through node (bin/signet.mjs, as an npm
 * install runs it) and the sources through tsx (`npm run signet`).
 *
 * The session comes from one real sign-in against a local tenant started here (in-process,
 * loopback), kept in the real keychain: without a D-Bus session the bench re-runs itself
 * inside `dbus-run-session` with an unlocked gnome-keyring and a scratch HOME (as `npm test`
 * does). The executable is rebuilt first when it is older than its sources.
 *
 * Goal (issue 11): `signet token` ≤ 1.5 × `node -e 0` (median wall time).
 * `BENCH_PAIRS=40` changes the number of pairs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enterKeyringSession } from './keyring-session.js';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 20);
const GOAL = 1.5;

enterKeyringSession();

const { CLI_EXECUTABLE, ensureCli } = await import('../scripts/build-cli.mjs');
const { startTestTenant } = await import('../test/fixtures/tenant.js');
const { ADA } = await import('../test/fixtures/demo.js');

const root = join(import.meta.dirname, '..');
const built = await ensureCli();
if (built.length) console.log(`built ${built.join(', ')}`);

const scratch = mkdtempSync(join(tmpdir(), 'signet-bench-cli-'));
const service = `signet-bench-cli-${randomBytes(3).toString('hex')}`;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  SIGNET_KEYCHAIN_SERVICE: service,
  SIGNET_SETTINGS: join(scratch, 'settings.json'),
  SIGNET_CONFIG: join(scratch, 'no-managed-config.json'),
};

/**
 * Runs a command to completion; its wall time in ms (spawn included, as a caller sees it).
 * Synchronous, so nothing of this process runs meanwhile: only for commands that stay offline.
 */
function wall(cmd: string[]): { ms: number; code: number | null; stdout: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd[0]!, cmd.slice(1), { env, encoding: 'utf8', cwd: root });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, code: r.status, stdout: r.stdout };
}

const TIME = '/usr/bin/time';
/**
 * Peak resident memory (MiB, the largest) and CPU time (user + system, ms, the median) of a
 * command over `runs` runs under GNU time. CPU time barely moves when other processes load
 * the machine, unlike wall time: a second view of the same start-up cost.
 */
function usage(cmd: string[], runs = 7): { peakMiB: number; cpuMs: number } | undefined {
  if (!existsSync(TIME)) return undefined;
  let max = 0;
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(TIME, ['-f', 'usage=%M %U %S', ...cmd], { env, encoding: 'utf8' });
    const m = /usage=(\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
    if (!m) continue;
    max = Math.max(max, Number(m[1]));
    cpu.push((Number(m[2]) + Number(m[3])) * 1000);
  }
  return cpu.length ? { peakMiB: max / 1024, cpuMs: median(cpu) } : undefined;
}

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo]! + (s[hi]! - s[lo]!) * (i - lo);
}

/** Alternates A and B `PAIRS` times (after one warm-up each); both series of wall times. */
function pairs(a: string[], b: string[]): [number[], number[]] {
  const check = (cmd: string[]) => {
    const r = wall(cmd);
    if (r.code !== 0) throw new Error(`${cmd.join(' ')} exited ${r.code}`);
  };
  check(a);
  check(b);
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    // Alternate which goes first, so that drift and cache effects hit both alike.
    if (i % 2 === 0) {
      as.push(wall(a).ms);
      bs.push(wall(b).ms);
    } else {
      bs.push(wall(b).ms);
      as.push(wall(a).ms);
    }
  }
  return [as, bs];
}

const t = await startTestTenant();
try {
  const exe = CLI_EXECUTABLE;
  // Asynchronously: the tenant runs in this process and must answer while the CLI waits.
  const login = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(
      exe,
      [
        'login',
        '--tenant',
        t.url,
        '--client-id',
        t.clientId,
        '--connection',
        'Username-Password-Authentication',
        '--username',
        ADA.username,
        '--password-stdin',
        '--json',
      ],
      { env },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('close', (code) => resolve({ code, stdout }));
    child.stdin.end(`${ADA.password}\n`);
  });
  if (login.code !== 0 || !/"stored":\s*"keychain"/.test(login.stdout))
    throw new Error(`sign-in failed (exit ${login.code}): ${login.stdout}`);
  const token = wall([exe, 'token']);
  if (token.code !== 0 || !/^[\w-]+\.[\w-]+\.[\w-]+\n$/.test(token.stdout))
    throw new Error(`signet token did not print a token (exit ${token.code})`);

  const node = [process.execPath, '-e', '0'];
  const tsx = [process.execPath, '--import', import.meta.resolve('tsx'), 'src/cli/index.ts'];
  const bundle = [process.execPath, 'bin/signet.mjs'];
  const rows: Array<{ label: string; cmd: string[]; base: number[]; it: number[] }> = [];
  const measure = (label: string, cmd: string[]) => {
    const [base, it] = pairs(node, cmd);
    rows.push({ label, cmd, base, it });
  };
  measure('signet token (standalone executable)', [exe, 'token']);
  measure('signet --version (standalone executable)', [exe, '--version']);
  measure('signet token (bundle through node, npm install)', [...bundle, 'token']);
  measure('signet token (sources through tsx)', [...tsx, 'token']);

  const f = (n: number) => `${n.toFixed(1).padStart(7)} ms`;
  const mem = (cmd: string[]) => {
    const u = usage(cmd);
    return u === undefined
      ? 'peak RSS n/a (no /usr/bin/time)'
      : `peak RSS ${u.peakMiB.toFixed(1)} MiB, CPU ${u.cpuMs.toFixed(0)} ms`;
  };
  console.log(
    `\nsignet CLI start-up: ${PAIRS} alternating pairs each, median (p90) wall time, against node -e 0 (${process.version})`,
  );
  console.log(`${'node -e 0'.padEnd(48)} ${f(median(rows[0]!.base))}            ${mem(node)}`);
  for (const r of rows) {
    const ratio = median(r.it) / median(r.base);
    console.log(
      `${r.label.padEnd(48)} ${f(median(r.it))} (${f(quantile(r.it, 0.9)).trim()})  ${ratio.toFixed(2)}× node -e 0 (${f(median(r.base)).trim()} in these pairs)  ${mem(r.cmd)}`,
    );
  }
  const main = median(rows[0]!.it) / median(rows[0]!.base);
  console.log(
    `\nsignet token / node -e 0 = ${main.toFixed(2)}× (goal ≤ ${GOAL}×): ${main <= GOAL ? 'met' : 'NOT met'}`,
  );
  // Sign out without the tenant (its revocation would need this process's event loop).
  const { default: keytar } = await import('@github/keytar');
  for (const c of await keytar.findCredentials(service))
    await keytar.deletePassword(service, c.account);
} finally {
  await t.close();
  rmSync(scratch, { recursive: true, force: true });
}
