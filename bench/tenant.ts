/**
 * `npm run bench:tenant` — /oauth/ro database sign-in throughput and latency of the local
 * tenant at concurrency 1, 8 and 64, next to the raw `bcrypt.compare` rate of the same hash at
 * the same concurrency (the physical limit of this work on this machine), and their ratio.
 * The tenant runs in-process on 127.0.0.1 with a temporary data dir; requests are bounded.
 *
 * Goal (issue #2): the tenant reaches ≥ 80 % of the bcrypt limit at concurrency 8.
 * `BENCH_SCALE=2` doubles every request count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify as bcryptVerify } from '@node-rs/bcrypt';
import { Agent, request } from 'undici';
import { DEMO_DATABASE, demoConfig } from '../src/tenant/config';
import { createTenant } from '../src/tenant/server';
import { ADA } from '../test/fixtures/demo';

const LEVELS = [1, 8, 64];
const scale = Number(process.env.BENCH_SCALE ?? '1');
const countFor = (c: number) => Math.round((c === 1 ? 20 : c === 8 ? 96 : 256) * scale);

interface Run {
  rate: number;
  p50: number;
  p99: number;
}

/** Runs `total` calls of `fn` with `concurrency` in flight; rate per second and latency percentiles (ms). */
async function measure(concurrency: number, total: number, fn: () => Promise<void>): Promise<Run> {
  const latencies: number[] = [];
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total) {
        started += 1;
        const s = performance.now();
        await fn();
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
  return { rate: total / seconds, p50: pct(50), p99: pct(99) };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'signet-bench-'));
  const config = demoConfig();
  config.port = 0;
  config.connections = config.connections.filter((c) => c.type !== 'ad');
  const tenant = await createTenant(config, { dataDir });
  const agent = new Agent({ connections: 128, keepAliveTimeout: 30_000 });
  try {
    const hash = tenant.db.findByLogin(DEMO_DATABASE, ADA.username)?.password_hash;
    if (!hash) throw new Error('demo user has no hash');
    const cost = Number(hash.split('$')[2]);
    const body = JSON.stringify({
      client_id: 'signet-demo',
      connection: DEMO_DATABASE,
      grant_type: 'password',
      ...ADA,
      scope: 'openid',
    });
    const signIn = async () => {
      const res = await request(`${tenant.url}/oauth/ro`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        dispatcher: agent,
      });
      await res.body.dump();
      if (res.statusCode !== 200) throw new Error(`sign-in answered ${res.statusCode}`);
    };
    const compare = async () => {
      if (!(await bcryptVerify(ADA.password, hash))) throw new Error('bcrypt mismatch');
    };
    // Warm up both paths (JIT, connections, thread pool).
    await measure(4, 8, signIn);
    await measure(4, 8, compare);

    console.log(
      `Local tenant /oauth/ro benchmark — database connection, bcrypt cost ${cost}, loopback, in-process`,
    );
    console.log(
      `Node ${process.version}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}, ${(await import('node:os')).availableParallelism()} CPUs`,
    );
    console.log('');
    console.log('concurrency  requests  sign-ins/s  p50 ms  p99 ms  bcrypt.compare/s  ratio');
    let ratioAt8 = 0;
    for (const c of LEVELS) {
      const n = countFor(c);
      // bcrypt is measured before and after the HTTP run and averaged: on a shared machine the
      // load drifts, and a one-sided measurement would bias the ratio.
      const rawBefore = await measure(c, n, compare);
      const http = await measure(c, n, signIn);
      const rawAfter = await measure(c, n, compare);
      const raw = { rate: (rawBefore.rate + rawAfter.rate) / 2 };
      const ratio = http.rate / raw.rate;
      if (c === 8) ratioAt8 = ratio;
      console.log(
        [
          String(c).padStart(11),
          String(n).padStart(9),
          http.rate.toFixed(1).padStart(11),
          http.p50.toFixed(1).padStart(7),
          http.p99.toFixed(1).padStart(7),
          raw.rate.toFixed(1).padStart(17),
          `${(ratio * 100).toFixed(0)} %`.padStart(6),
        ].join(' '),
      );
    }
    console.log('');
    console.log(
      `Goal: ≥ 80 % of the bcrypt limit at concurrency 8 — ${ratioAt8 >= 0.8 ? 'met' : 'NOT met'} (${(ratioAt8 * 100).toFixed(0)} %)`,
    );
  } finally {
    await agent.close();
    await tenant.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
