#!/usr/bin/env node
// `npm test`: every suite (unit + integration in Vitest, e2e in Playwright), run inside a
// private D-Bus session with an unlocked gnome-keyring and a scratch HOME so the real
// keychain is used and the user's own is never touched. Ends with one plain line that
// totals every suite: `N passed, N failed, N skipped`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

// 1. Enter a keyring session once (the re-executed child has SIGNET_TEST_SESSION set).
if (!process.env.SIGNET_TEST_SESSION && has('dbus-run-session') && has('gnome-keyring-daemon')) {
  const home = mkdtempSync(join(tmpdir(), 'signet-test-home-'));
  const child = spawn('dbus-run-session', ['--', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: {
      ...process.env,
      SIGNET_TEST_SESSION: '1',
      HOME: home,
      XDG_DATA_HOME: join(home, '.local/share'),
    },
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main();
}

async function startKeyring() {
  if (!process.env.SIGNET_TEST_SESSION) {
    console.log(
      '[test] no dbus-run-session/gnome-keyring-daemon: keychain tests will report why they cannot run',
    );
    return;
  }
  const r = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], {
    input: 'signet-test',
    encoding: 'utf8',
  });
  for (const line of r.stdout.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) process.env[m[1]] = m[2];
  }
  console.log(
    `[test] gnome-keyring unlocked in a private D-Bus session (HOME=${process.env.HOME})`,
  );
}

function run(cmd, cmdArgs, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function hasSpecs(dir) {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.spec.ts'));
}

async function main() {
  await startKeyring();
  const out = join(root, 'test-results');
  mkdirSync(out, { recursive: true });
  const bin = (name) => join(root, 'node_modules/.bin', name);
  const totals = { passed: 0, failed: 0, skipped: 0 };
  let exitCode = 0;

  // Unit + integration.
  const vitestJson = join(out, 'vitest.json');
  const vCode = await run(bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestJson}`,
    ...args,
  ]);
  const v = readJson(vitestJson);
  if (v) {
    totals.passed += v.numPassedTests;
    totals.failed += v.numFailedTests;
    totals.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
    if (vCode !== 0 && v.numFailedTests === 0) totals.failed += 1; // a suite that failed to load
  } else if (vCode !== 0) totals.failed += 1;
  if (vCode !== 0) exitCode = 1;

  // e2e in real Chromium (the renderer is built first).
  if (hasSpecs(join(root, 'test/e2e')) && args.length === 0) {
    const bCode = await run(bin('electron-vite'), ['build', '--logLevel', 'warn']);
    if (bCode !== 0) {
      totals.failed += 1;
      exitCode = 1;
    } else {
      const pwJson = join(out, 'playwright.json');
      const pCode = await run(bin('playwright'), ['test', '--reporter=list,json'], {
        PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
      });
      const p = readJson(pwJson);
      if (p?.stats) {
        totals.passed += p.stats.expected + (p.stats.flaky ?? 0);
        totals.failed += p.stats.unexpected;
        totals.skipped += p.stats.skipped;
        if (pCode !== 0 && p.stats.unexpected === 0) totals.failed += 1;
      } else if (pCode !== 0) totals.failed += 1;
      if (pCode !== 0) exitCode = 1;
    }
  }

  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(exitCode);
}
