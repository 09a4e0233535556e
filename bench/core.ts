/**
 * `npm run bench:core` — what the sign-in core costs on top of the network.
 *
 * Against the local tenant on loopback (in-process, a bench user hashed with bcrypt cost 4 so
 * the tenant's own work does not drown the difference), interleaving the two so drift hits
 * both alike:
 * - a full sign-in through core (request → verify with a warm JWKS cache → keychain write),
 * - a bare undici POST of the same body to the same tenant (keep-alive Agent, body read + JSON.parse);
 * and prints median/p95 of each, the core's overhead with the keychain excluded, and the ratio.
 * Then: verify alone (warm JWKS), keychain write/read, and the time to load the core bundle.
 *
 * The keychain needs a Secret Service: without a D-Bus session the bench re-runs itself inside
 * `dbus-run-session` with an unlocked gnome-keyring and a scratch HOME (as `npm test` does).
 * Goal: core adds ≤ 2 ms (median) over the bare POST, keychain excluded.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enterKeyringSession } from './keyring-session.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);

enterKeyringSession();

const { Agent, request } = await import('undici');
const { SignetCore, Vault } = await import('../src/core/index.js');
const { startTestTenant } = await import('../test/fixtures/tenant.js');

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo]! + (s[hi]! - s[lo]!) * (i - lo);
}
const f = (n: number) => n.toFixed(2).padStart(8);
const row = (label: string, xs: number[]) =>
  console.log(
    `${label.padEnd(44)} median ${f(median(xs))} ms   p95 ${f(quantile(xs, 0.95))} ms   (n=${xs.length})`,
  );

const t = await startTestTenant();
const DB = 'Username-Password-Authentication';
const user = { username: 'bench@signet.test', password: 'Bench-Password-2026' };
await t.tenant.db.createUser(
  { connection: DB, email: user.username, password: user.password, name: 'Bench User' },
  4,
);

const service = `signet-bench-${randomBytes(3).toString('hex')}`;
const vault = new Vault(service);
const core = new SignetCore({ settings: { scope: 'openid profile', device: 'bench' }, vault });
const agent = new Agent({ keepAliveTimeout: 30_000 });
const url = `${t.url}/oauth/ro`;
const body = JSON.stringify({
  client_id: t.clientId,
  connection: DB,
  grant_type: 'password',
  username: user.username,
  password: user.password,
  scope: 'openid profile',
});

async function bare(): Promise<number> {
  const t0 = performance.now();
  const res = await request(url, {
    dispatcher: agent,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
  });
  const json = (await res.body.json()) as { id_token?: string };
  if (res.statusCode !== 200 || !json.id_token)
    throw new Error(`bare POST answered ${res.statusCode}`);
  return performance.now() - t0;
}

const signIn = () => core.signIn({ tenant: t.url, clientId: t.clientId, connection: DB, ...user });

// Warm up: connections, JWKS, JIT, keychain.
for (let i = 0; i < 20; i++) {
  await bare();
  await signIn();
}

const bareMs: number[] = [];
const coreTotal: number[] = [];
const coreNoStore: number[] = [];
const storeMs: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const first = i % 2 === 0;
  if (first) bareMs.push(await bare());
  const r = await signIn();
  if (r.stored !== 'keychain')
    throw new Error(`not stored in the keychain: ${r.storeError?.message ?? r.stored}`);
  coreTotal.push(r.timings.totalMs);
  storeMs.push(r.timings.storeMs);
  coreNoStore.push(r.timings.totalMs - r.timings.storeMs);
  if (!first) bareMs.push(await bare());
}

// Verify alone, warm JWKS.
const idToken = (
  await core.revealTokens({ tenant: t.url, clientId: t.clientId, username: user.username })
).id_token!;
const verifyMs: number[] = [];
for (let i = 0; i < 500; i++) {
  const t0 = performance.now();
  const v = await core.verifier.verify(idToken, { issuer: t.issuer, audience: t.clientId });
  verifyMs.push(performance.now() - t0);
  if (v.verification.status !== 'verified') throw new Error('verify failed');
}

// Keychain alone: a typical record (one entry) and a 5 KB one (chunked).
const record = {
  tenant: t.url,
  clientId: t.clientId,
  username: 'kc@signet.test',
  connection: DB,
  kind: 'database' as const,
  protocol: 'legacy' as const,
  id_token: idToken,
  access_token: randomBytes(24).toString('base64url'),
  token_type: 'Bearer',
  scope: 'openid profile',
  obtained_at: new Date().toISOString(),
};
const big = {
  ...record,
  username: 'kc-big@signet.test',
  id_token: randomBytes(3840).toString('base64url'),
};
const kc = {
  write: [] as number[],
  read: [] as number[],
  writeBig: [] as number[],
  readBig: [] as number[],
};
for (let i = 0; i < 40; i++) {
  let t0 = performance.now();
  await vault.save(record);
  kc.write.push(performance.now() - t0);
  t0 = performance.now();
  await vault.load(record);
  kc.read.push(performance.now() - t0);
  t0 = performance.now();
  await vault.save(big);
  kc.writeBig.push(performance.now() - t0);
  t0 = performance.now();
  await vault.load(big);
  kc.readBig.push(performance.now() - t0);
}

// Load time of the core bundle: esbuild it the way electron-vite builds main (dependencies
// external), then import it in a fresh Node and time the import alone.
const outDir = mkdtempSync(join(tmpdir(), 'signet-bench-bundle-'));
const root = new URL('..', import.meta.url).pathname;
const build = spawnSync(
  join(root, 'node_modules/.bin/esbuild'),
  [
    join(root, 'src/core/index.ts'),
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--target=node20',
    '--packages=external',
    `--outfile=${join(outDir, 'core.mjs')}`,
    '--log-level=warning',
  ],
  { cwd: root, encoding: 'utf8' },
);
const loadMs: number[] = [];
let bundleBytes = 0;
if (build.status === 0) {
  const { statSync, symlinkSync } = await import('node:fs');
  symlinkSync(join(root, 'node_modules'), join(outDir, 'node_modules'));
  bundleBytes = statSync(join(outDir, 'core.mjs')).size;
  for (let i = 0; i < 10; i++) {
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t=performance.now(); await import(${JSON.stringify(join(outDir, 'core.mjs'))}); console.log(performance.now()-t)`,
      ],
      { encoding: 'utf8' },
    );
    loadMs.push(Number(r.stdout.trim()));
  }
}
const nodeStart: number[] = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  nodeStart.push(performance.now() - t0);
}

await core.signOut({ tenant: t.url, clientId: t.clientId, username: user.username });
for (const r of [record, big]) await vault.delete(r);
await core.close();
await agent.close();
await t.close();
rmSync(outDir, { recursive: true, force: true });

console.log(
  `Signet core benchmark — Node ${process.version}, ${ROUNDS} sign-ins each, local tenant on loopback\n`,
);
row('bare undici POST /oauth/ro', bareMs);
row('core signIn, full (incl. keychain write)', coreTotal);
row('core signIn, keychain excluded', coreNoStore);
const overhead = median(coreNoStore) - median(bareMs);
console.log(
  `core overhead over bare POST (median, keychain excluded): ${overhead.toFixed(2)} ms — goal ≤ 2 ms: ${overhead <= 2 ? 'met' : 'NOT met'}`,
);
console.log(
  `ratio core/bare (median, keychain excluded): ${(median(coreNoStore) / median(bareMs)).toFixed(3)}   full: ${(median(coreTotal) / median(bareMs)).toFixed(3)}\n`,
);
row('verify id_token alone (RS256, warm JWKS)', verifyMs);
row('keychain write (1 entry)', kc.write);
row('keychain read (1 entry)', kc.read);
row('keychain write (5 KB, 4 chunks + index)', kc.writeBig);
row('keychain read (5 KB, 4 chunks + index)', kc.readBig);
row('keychain write inside signIn', storeMs);
if (loadMs.length)
  row(`load core bundle (${(bundleBytes / 1024).toFixed(1)} KB, deps external)`, loadMs);
else console.log(`load core bundle: esbuild failed: ${build.stderr}`);
row('node startup (node -e 0), for reference', nodeStart);
