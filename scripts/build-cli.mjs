#!/usr/bin/env node
// Builds the `signet` command line (src/cli/index.ts) for running without the sources:
//
//   node scripts/build-cli.mjs --bundle   out/cli/signet.cjs: one CommonJS file, every dependency
//                                         inlined but the keychain's native module (npm run build,
//                                         npm pack; bin/signet.mjs runs it)
//   node scripts/build-cli.mjs            the bundle, then the standalone executable: dist/cli/signet
//                                         (signet.exe on Windows) with keytar.node beside it, a
//                                         Node single executable application (npm run build:cli)
//   … --if-stale                          only what is missing or older than its sources (tests)
//
// Plain JavaScript so that it runs before anything is built or with devDependencies only.
// The standalone executable is built for the OS and CPU it runs on (Node's SEA embeds the
// running node binary); Windows and macOS build it on their own machines.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** The bundle bin/signet.mjs and the standalone executable run. */
export const CLI_BUNDLE = join(root, 'out/cli/signet.cjs');
/** The folder the standalone executable and its native module are written to. */
export const CLI_DIR = join(root, 'dist/cli');
/** The standalone executable. */
export const CLI_EXECUTABLE = join(CLI_DIR, process.platform === 'win32' ? 'signet.exe' : 'signet');
/** The keychain's native module, loaded by the executable from its own folder. */
const KEYTAR_NODE = join(CLI_DIR, 'keytar.node');

/** Node's fixed SEA sentinel (docs: nodejs.org/api/single-executable-applications.html). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** What the bundle is built from: a change to any of these makes it stale. */
const SOURCES = [
  'src/cli',
  'src/core',
  'src/shared',
  'src/node',
  'package.json',
  'package-lock.json',
];

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), 0);
}

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

function sourcesTime() {
  const build = fileURLToPath(import.meta.url);
  return Math.max(
    newest(build),
    ...SOURCES.map((p) => join(root, p))
      .filter(existsSync)
      .map(newest),
  );
}

/**
 * The CommonJS bundle. A SEA runs one CommonJS script whose `require` knows only Node's
 * built-in modules, so everything is inlined except `@github/keytar` (native: from
 * node_modules in an npm install; the executable loads keytar.node itself, see
 * src/core/vault/keychain.ts). The sources' `import.meta` has no CommonJS equivalent: the
 * banner gives it the path the source file would have in this checkout (so `signet tenant`
 * finds src/tenant/ in a checkout and says it ships with the source only anywhere else).
 */
export async function bundleCli() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  mkdirSync(dirname(CLI_BUNDLE), { recursive: true });
  const banner = [
    '"use strict";',
    'var __signetFile = typeof __filename === "string" ? __filename : process.execPath;',
    'var __signetSource = require("node:path").join(require("node:path").dirname(__signetFile), "../../src/cli/index.ts");',
    'var __signetMetaUrl = require("node:url").pathToFileURL(__signetSource).href;',
    'var __signetMetaResolve = (s) => require("node:url").pathToFileURL(require("node:module").createRequire(__signetFile).resolve(s)).href;',
  ].join('\n');
  await build({
    // src/cli/entry.ts loads the CLI and runs it (src/cli/index.ts's own "invoked directly"
    // check never fires inside the bundle).
    entryPoints: [join(root, 'src/cli/entry.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: CLI_BUNDLE,
    external: ['@github/keytar'],
    // A SEA has no dynamic import(): the sources' lazy `import('…')` of Node's built-ins and
    // keytar become `require` calls, and of the sources' own modules (src/cli/entry.ts) a call
    // that evaluates them — both still on first use.
    supported: { 'dynamic-import': false },
    minify: true,
    legalComments: 'eof',
    banner: { js: banner },
    define: {
      SIGNET_BUILD: JSON.stringify({ version: pkg.version }),
      'import.meta.url': '__signetMetaUrl',
      'import.meta.resolve': '__signetMetaResolve',
    },
    logLevel: 'warning',
  });
  return CLI_BUNDLE;
}

/** keytar.node for this platform: a local build if npm made one, else the shipped prebuild. */
function keytarBinary() {
  const dir = dirname(dirname(require.resolve('@github/keytar')));
  for (const p of [
    'build/Release/keytar.node',
    `prebuilds/${process.platform}-${process.arch}/keytar.node`,
  ]) {
    if (existsSync(join(dir, p))) return join(dir, p);
  }
  throw new Error(`no keytar.node for ${process.platform}-${process.arch} in ${dir}`);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`,
    );
}

/**
 * How the executable runs the bundle: as the body of a CommonJS module function, compiled by
 * `vm.Script` from the embedded asset with the embedded code cache (see `warmCodeCache`). The
 * warm-up and the executable must compile exactly the same text, or V8 rejects the cache (and
 * then silently compiles from scratch: slower, never wrong).
 */
const WRAP = ['(function (exports, require, module, __filename, __dirname) {', '\n})'];

/** The executable's main script: runs the embedded bundle with its embedded code cache. */
const SEA_MAIN = `'use strict';
const { getAsset } = require('node:sea');
const { Script } = require('node:vm');
const script = new Script(${JSON.stringify(WRAP[0])} + getAsset('signet.cjs', 'utf8') + ${JSON.stringify(WRAP[1])}, {
  filename: 'signet.cjs',
  cachedData: Buffer.from(getAsset('signet.cache')),
});
const main = { exports: {} };
script.runInThisContext()(main.exports, require, main, process.execPath, require('node:path').dirname(process.execPath));
`;

/**
 * The warm-up: runs the bundle as the executable will (same text, see `WRAP`) for `signet
 * token` with a keychain service that holds nothing and no D-Bus (so it never touches the
 * user's keychain or the network), then writes V8's code cache of everything that ran. A SEA's
 * own code cache (`useCodeCache`) holds only what V8 compiles before running — the top level;
 * every function the CLI then calls (zod, settings, core, the keychain) would be compiled on
 * every start. With this cache `signet token` compiles almost nothing.
 */
const WARM_UP = `'use strict';
const { Script } = require('node:vm');
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const [bundle, out] = process.argv.slice(2);
const script = new Script(${JSON.stringify(WRAP[0])} + readFileSync(bundle, 'utf8') + ${JSON.stringify(WRAP[1])}, { filename: 'signet.cjs' });
process.argv = [process.argv[0], bundle, 'token'];
process.on('exit', () => writeFileSync(out, script.createCachedData()));
const main = { exports: {} };
script.runInThisContext()(main.exports, createRequire(bundle), main, bundle, require('node:path').dirname(bundle));
`;

/** Runs the warm-up (`WARM_UP`) in `work`; the code cache's file. */
function warmCodeCache(work) {
  const script = join(work, 'warm-up.cjs');
  const cache = join(work, 'signet.cache');
  writeFileSync(script, WARM_UP);
  const r = spawnSync(process.execPath, [script, CLI_BUNDLE, cache], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: work,
      DBUS_SESSION_BUS_ADDRESS: 'disabled:',
      SIGNET_KEYCHAIN_SERVICE: 'signet-build-warm-up',
      SIGNET_SETTINGS: join(work, 'settings.json'),
      SIGNET_CONFIG: join(work, 'managed-config.json'),
    },
  });
  if (!existsSync(cache))
    throw new Error(`the code cache warm-up failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return cache;
}

/**
 * The standalone executable: the bundle and a warm V8 code cache (`warmCodeCache`) as SEA
 * assets, and a main script that runs one with the other (`SEA_MAIN`), injected into a copy
 * of the running node binary.
 */
export async function buildExecutable() {
  const { inject } = require('postject');
  const work = mkdtempSync(join(tmpdir(), 'signet-sea-'));
  try {
    const blob = join(work, 'sea-prep.blob');
    const config = join(work, 'sea-config.json');
    const main = join(work, 'sea-main.cjs');
    writeFileSync(main, SEA_MAIN);
    writeFileSync(
      config,
      JSON.stringify({
        main,
        output: blob,
        disableExperimentalSEAWarning: true,
        useCodeCache: true,
        assets: { 'signet.cjs': CLI_BUNDLE, 'signet.cache': warmCodeCache(work) },
      }),
    );
    run(process.execPath, ['--experimental-sea-config', config]);
    mkdirSync(CLI_DIR, { recursive: true });
    rmSync(CLI_EXECUTABLE, { force: true });
    copyFileSync(process.execPath, CLI_EXECUTABLE);
    chmodSync(CLI_EXECUTABLE, 0o755);
    // macOS: node is signed; the signature goes before injecting and an ad-hoc one after
    // (a release build signs it again with the Developer ID, as electron-builder does the app).
    if (process.platform === 'darwin') run('codesign', ['--remove-signature', CLI_EXECUTABLE]);
    // postject warns "Can't find string offset for section name '.note…'" for every note
    // section of node's ELF file: harmless (ENVIRONMENT.md), so it is not repeated here.
    const warn = console.warn;
    console.warn = (...a) => {
      if (!/^warning: Can't find string offset for section name '\.note/.test(String(a[0])))
        warn(...a);
    };
    try {
      await inject(CLI_EXECUTABLE, 'NODE_SEA_BLOB', readFileSync(blob), {
        sentinelFuse: SEA_FUSE,
        ...(process.platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
      });
    } finally {
      console.warn = warn;
    }
    if (process.platform === 'darwin') run('codesign', ['--sign', '-', CLI_EXECUTABLE]);
    // Windows: node.exe's Authenticode signature is invalid after injecting; a release build
    // signs signet.exe with signtool (as it signs the installer).
    copyFileSync(keytarBinary(), KEYTAR_NODE);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return CLI_EXECUTABLE;
}

/**
 * Builds what is missing or older than its sources; nothing when all is up to date (a few
 * milliseconds of stat calls), so tests can call it on every run.
 */
export async function ensureCli({ executable = true } = {}) {
  const sources = sourcesTime();
  const built = [];
  if (mtime(CLI_BUNDLE) < sources) built.push(await bundleCli());
  if (
    executable &&
    (Math.min(mtime(CLI_EXECUTABLE), mtime(KEYTAR_NODE)) < mtime(CLI_BUNDLE) || built.length)
  )
    built.push(await buildExecutable());
  return built;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const started = Date.now();
  const built = args.includes('--if-stale')
    ? await ensureCli({ executable: !args.includes('--bundle') })
    : args.includes('--bundle')
      ? [await bundleCli()]
      : [await bundleCli(), await buildExecutable()];
  for (const file of built)
    console.log(
      `built ${file.slice(root.length)} (${(statSync(file).size / 1024).toFixed(0)} KiB)`,
    );
  if (!built.length) console.log('signet CLI up to date');
  else console.log(`in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
