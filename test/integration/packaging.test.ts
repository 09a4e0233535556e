/**
 * The installer's contents. electron-builder's installers (NSIS, dmg, AppImage, deb) download
 * their tools from GitHub, and no Electron binary can be downloaded here either; what does run
 * is `electron-builder --linux dir` with `electronDist` pointing at a folder that holds an
 * executable named `electron` (docs: ENVIRONMENT.md). That writes the real
 * resources/app.asar every installer wraps, so this suite builds it from a stub Electron (a
 * shell script carrying Electron's fuse wire, so the release fuses are flipped for real) and
 * inspects the archive. The second half checks electron-builder.yml against electron-builder's
 * own configuration schema.
 */
import * as asar from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_DIR } from '../../scripts/build-cli.mjs';
import { NOTICES_FILE, runtimePackageDirs, writeNotices } from '../../scripts/notices';
import { loadSettings } from '../../src/core/settings/store';

const root = join(import.meta.dirname, '../..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);

/** app.asar may not grow past this (4.2 MiB with Signet 0.1.0: the bundles + 5 runtime modules). */
const ASAR_BUDGET_BYTES = 6 * 1024 * 1024;
/** Nor hold more files than this (451 with Signet 0.1.0, zod being most of them). */
const ASAR_FILE_BUDGET = 600;

/** Packages of the local tenant (and the toolchain) that must never ship. */
const NEVER_SHIPPED = [
  'fastify',
  '@fastify/formbody',
  'better-sqlite3',
  'ldapjs',
  'ldapts',
  '@node-rs/bcrypt',
  'bcryptjs',
  'otplib',
  'tsx',
  'electron',
  'electron-vite',
  'vite',
  'typescript',
  'vitest',
  'react',
  'react-dom',
];

interface Packed {
  path: string;
  size: number;
  unpacked: boolean;
}

type Header = { files?: Record<string, Header>; size?: number; unpacked?: boolean; link?: string };

/** Every file in the archive, from its header: path (no leading slash), size, unpacked. */
function archiveFiles(archive: string): Packed[] {
  const out: Packed[] = [];
  const walk = (node: Header, prefix: string) => {
    for (const [name, entry] of Object.entries(node.files ?? {})) {
      const path = prefix ? `${prefix}/${name}` : name;
      if (entry.files) walk(entry, path);
      else if (entry.link === undefined)
        out.push({ path, size: entry.size ?? 0, unpacked: entry.unpacked === true });
    }
  };
  walk(asar.getRawHeader(archive).header as Header, '');
  return out;
}

/** `node_modules/@scope/name/…` → `@scope/name`; every package folder in a file list. */
function packagesIn(paths: string[]): Set<string> {
  const names = new Set<string>();
  for (const p of paths) {
    const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p);
    if (m?.[1]) names.add(m[1]);
  }
  return names;
}

/** The bare module specifiers a built bundle still imports or requires at run time. */
function bareImports(file: string): Set<string> {
  const code = readFileSync(file, 'utf8');
  const found = new Set<string>();
  const patterns = [
    /\bimport\s[^;'"]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) {
    for (const m of code.matchAll(re)) {
      const spec = m[1]!;
      if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
      const parts = spec.split('/');
      found.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
    }
  }
  return found;
}

/** True when out/ is missing or older than a source it is built from. */
function buildIsStale(): boolean {
  const outputs = [
    'out/main/index.js',
    'out/preload/index.cjs',
    'out/renderer/index.html',
    'out/.bundled/renderer.json',
  ].map((f) => join(root, f));
  if (!outputs.every(existsSync)) return true;
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const p = join(dir, e.name);
      return Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  const sources = ['main', 'preload', 'renderer', 'shared', 'core'].map((d) =>
    newest(join(root, 'src', d)),
  );
  const configs = ['electron.vite.config.ts', 'package.json'].map(
    (f) => statSync(join(root, f)).mtimeMs,
  );
  return Math.max(...sources, ...configs) > built;
}

/**
 * A stand-in for Electron's dist folder: an executable named `electron` that carries
 * Electron's fuse wire (sentinel, wire version 1, 8 fuses at Electron 45's defaults), and the
 * license files a real dist ships.
 */
function stubElectronDist(dir: string): void {
  const wire = Buffer.concat([
    Buffer.from('#!/bin/sh\n# dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
    Buffer.from([1, 8]),
    Buffer.from('10110001\necho "stub Electron: no binary can be downloaded here" >&2\nexit 1\n'),
  ]);
  writeFileSync(join(dir, 'electron'), wire, { mode: 0o755 });
  writeFileSync(join(dir, 'LICENSE'), 'The MIT License (stub for the packaging test)\n');
  writeFileSync(join(dir, 'LICENSES.chromium.html'), '<p>Chromium licenses (stub)</p>\n');
}

describe('the packaged app (electron-builder --linux dir)', () => {
  let work: string;
  let appDir: string;
  let archive: string;
  let files: Packed[];
  let paths: string[];

  beforeAll(() => {
    if (buildIsStale()) {
      const b = spawnSync(bin('electron-vite'), ['build', '--logLevel', 'warn'], {
        cwd: root,
        encoding: 'utf8',
      });
      if (b.status !== 0) throw new Error(`electron-vite build failed:\n${b.stdout}${b.stderr}`);
    }
    writeNotices(root);
    work = mkdtempSync(join(tmpdir(), 'signet-packaging-'));
    const dist = join(work, 'electron-dist');
    mkdirSync(dist);
    stubElectronDist(dist);
    const out = join(work, 'dist');
    const r = spawnSync(
      bin('electron-builder'),
      [
        '--linux',
        'dir',
        '--publish',
        'never',
        `-c.electronDist=${dist}`,
        `-c.directories.output=${out}`,
      ],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, CI: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
      },
    );
    if (r.status !== 0) throw new Error(`electron-builder failed:\n${r.stdout}${r.stderr}`);
    const unpackedDir = readdirSync(out).find((d) => /^linux(-[a-z0-9]+)?-unpacked$/.test(d));
    if (!unpackedDir) throw new Error(`no linux-unpacked folder in ${out}`);
    appDir = join(out, unpackedDir);
    archive = join(appDir, 'resources/app.asar');
    files = archiveFiles(archive);
    paths = files.map((f) => f.path);
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds the main, preload and renderer bundles, package.json and the notices', () => {
    for (const f of [
      'package.json',
      'out/main/index.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/third-party-notices.txt',
    ]) {
      expect(paths, f).toContain(f);
    }
    expect(paths.some((p) => /^out\/renderer\/assets\/.+\.js$/.test(p))).toBe(true);
    const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as {
      main: string;
      version: string;
    };
    expect(paths).toContain(pkg.main);
    expect(pkg.version).toBe(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version,
    );
  });

  it('unpacks the keychain module with its Linux prebuild beside the archive', () => {
    const keytar = 'node_modules/@github/keytar';
    expect(paths).toContain(`${keytar}/lib/keytar.js`);
    const prebuild = `${keytar}/prebuilds/linux-${process.arch}/keytar.node`;
    const entry = files.find((f) => f.path === prebuild);
    expect(entry, prebuild).toBeDefined();
    expect(entry!.unpacked).toBe(true);
    const onDisk = join(appDir, 'resources/app.asar.unpacked', prebuild);
    expect(existsSync(onDisk)).toBe(true);
    // A real ELF shared object, the one npm installed.
    expect(readFileSync(onDisk).subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(statSync(onDisk).size).toBe(statSync(join(root, prebuild)).size);
    // Every native module is unpacked: none can load from inside the archive.
    for (const f of files.filter((x) => x.path.endsWith('.node'))) {
      expect(f.unpacked, f.path).toBe(true);
    }
  });

  it('ships no test, source, source map or tenant-only package', () => {
    expect(paths.filter((p) => /(^|\/)(test|tests|__tests__|e2e)\//.test(p))).toEqual([]);
    expect(paths.filter((p) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(p))).toEqual([]);
    expect(paths.filter((p) => /\.map$/.test(p))).toEqual([]);
    expect(paths.filter((p) => /\.(ts|tsx|cts|mts)$/.test(p))).toEqual([]);
    expect(
      paths.filter((p) => /^(src|test|scripts|bench|bin|assets|build|dist)\//.test(p)),
    ).toEqual([]);
    expect(paths.filter((p) => /^out\/\.bundled\//.test(p))).toEqual([]);
    const shipped = packagesIn(paths);
    const unpackedDir = join(appDir, 'resources/app.asar.unpacked/node_modules');
    const unpacked = existsSync(unpackedDir)
      ? packagesIn(
          readdirSync(unpackedDir, { recursive: true }).map((p) => `node_modules/${String(p)}/`),
        )
      : new Set<string>();
    for (const name of NEVER_SHIPPED) {
      expect(shipped.has(name), `${name} in app.asar`).toBe(false);
      expect(unpacked.has(name), `${name} in app.asar.unpacked`).toBe(false);
    }
  });

  it('ships exactly the runtime dependencies, each credited in the third-party notices', () => {
    const expected = new Set(
      runtimePackageDirs(root).map(
        (dir) =>
          (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }).name,
      ),
    );
    expect([...packagesIn(paths)].sort()).toEqual([...expected].sort());
    const notices = asar.extractFile(archive, 'out/third-party-notices.txt').toString('utf8');
    for (const name of [...expected, 'react', 'react-dom']) {
      expect(notices, name).toMatch(new RegExp(`^  ${name.replace('/', '\\/')} \\d`, 'm'));
    }
    expect(notices).toContain('Permission is hereby granted'); // license texts, verbatim
    expect(notices).toEqual(readFileSync(join(root, NOTICES_FILE), 'utf8'));
  });

  it('stays under its size budget', () => {
    const bytes = statSync(archive).size;
    const packedFiles = files.filter((f) => !f.unpacked).length;
    console.log(
      `[packaging] app.asar: ${(bytes / 1024 / 1024).toFixed(2)} MiB, ${files.length} files ` +
        `(${packedFiles} packed, ${files.length - packedFiles} unpacked)`,
    );
    expect(bytes).toBeLessThan(ASAR_BUDGET_BYTES);
    expect(files.length).toBeLessThan(ASAR_FILE_BUDGET);
  });

  it("flips the release fuses in the app's executable", async () => {
    const exe = join(appDir, 'signet');
    expect(existsSync(exe)).toBe(true);
    const wire = await getCurrentFuseWire(exe);
    // A fuse's state is one byte in the binary: ASCII '0' (disabled) or '1' (enabled).
    const FuseState = { DISABLE: 0x30, ENABLE: 0x31 };
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
  });

  it('carries the `signet` command in resources/cli, which runs from there on its own', () => {
    const cli = join(appDir, 'resources/cli');
    expect(readdirSync(cli).sort()).toEqual(['keytar.node', 'signet']);
    const exe = join(cli, 'signet');
    expect(statSync(exe).mode & 0o111).not.toBe(0);
    expect(statSync(exe).size).toBe(statSync(join(CLI_DIR, 'signet')).size);
    const r = spawnSync(exe, ['--version'], {
      encoding: 'utf8',
      env: { PATH: join(work, 'empty-path'), HOME: work },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^signet \d+\.\d+\.\d+ \(node v[\d.]+, linux-\w+, standalone\)\n$/);
  });

  it('the deb links /usr/bin/signet to the command on install and removes it on removal', () => {
    // The deb's scripts as electron-builder fills them in, run against a scratch root (every
    // /usr and /opt path moved below it) with only ln, rm, readlink and chmod on PATH: no
    // update-alternatives, so the plain-link branch.
    const fakeRoot = join(work, 'root');
    mkdirSync(join(fakeRoot, 'usr/bin'), { recursive: true });
    mkdirSync(join(fakeRoot, 'opt'), { recursive: true });
    symlinkSync(appDir, join(fakeRoot, 'opt/Signet'));
    const tools = join(work, 'tools');
    mkdirSync(tools);
    for (const tool of ['ln', 'rm', 'readlink', 'chmod'])
      symlinkSync(
        spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(),
        join(tools, tool),
      );
    const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
      deb: { afterInstall: string; afterRemove: string };
    };
    const render = (file: string) =>
      readFileSync(join(root, file), 'utf8')
        .replace(/\$\{executable\}/g, 'signet')
        .replace(/\$\{sanitizedProductName\}/g, 'Signet')
        .replace(/(['"])\/(usr|opt)\//g, `$1${fakeRoot}/$2/`);
    const run = (file: string) =>
      spawnSync('/bin/bash', ['-c', render(file)], { encoding: 'utf8', env: { PATH: tools } });

    const install = run(config.deb.afterInstall);
    expect(install.status, install.stderr).toBe(0);
    const link = join(fakeRoot, 'usr/bin/signet');
    expect(realpathSync(link)).toBe(realpathSync(join(appDir, 'resources/cli/signet')));
    const r = spawnSync(link, ['--version'], { encoding: 'utf8', env: { HOME: work } });
    expect(r.stdout).toMatch(/^signet .*standalone\)\n$/);

    const remove = run(config.deb.afterRemove);
    expect(remove.status, remove.stderr).toBe(0);
    expect(existsSync(link)).toBe(false);
  });

  it("keeps Electron's and Chromium's license files beside the executable", () => {
    expect(existsSync(join(appDir, 'LICENSE.electron.txt'))).toBe(true);
    expect(existsSync(join(appDir, 'LICENSES.chromium.html'))).toBe(true);
  });
});

describe('package.json: runtime dependencies', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  it('are exactly what the built main process imports and does not bundle', () => {
    if (!existsSync(join(root, 'out/main/index.js'))) {
      spawnSync(bin('electron-vite'), ['build', '--logLevel', 'warn'], { cwd: root });
    }
    const main = bareImports(join(root, 'out/main/index.js'));
    main.delete('electron'); // provided by the runtime itself
    expect([...main].sort()).toEqual(Object.keys(pkg.dependencies).sort());
    // The sandboxed preload is one self-contained file: electron only.
    expect([...bareImports(join(root, 'out/preload/index.cjs'))]).toEqual(['electron']);
  });

  it('keep the tenant, the toolchain and Electron itself in devDependencies', () => {
    for (const name of NEVER_SHIPPED) {
      expect(pkg.dependencies[name], name).toBeUndefined();
    }
    // electron-builder refuses to build with electron in dependencies.
    expect(pkg.devDependencies.electron).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('electron-builder.yml', () => {
  const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<
    string,
    unknown
  > & {
    nsis: { include: string; perMachine: boolean; oneClick: boolean; allowElevation: boolean };
    deb: { depends: string[] };
    mac: { hardenedRuntime: boolean; icon: string };
    win: { icon: string };
    linux: { icon: string; target: string[] };
    publish: unknown[];
  };
  const schema = JSON.parse(
    readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
  ) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);

  it("is valid against electron-builder's own configuration schema", () => {
    const ok = validate(config);
    expect(validate.errors ?? [], ajv.errorsText(validate.errors)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('is checked by a schema that rejects what electron-builder would reject', () => {
    expect(validate({ ...config, nsis: { ...config.nsis, perMachin: true } })).toBe(false);
    expect(validate({ ...config, asar: 'yes' })).toBe(false);
    expect(validate({ ...config, electronFuses: { runAsNode: false, noSuchFuse: true } })).toBe(
      false,
    );
  });

  it('builds per-user NSIS (per-machine allowed), hardened dmg, AppImage and deb', () => {
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: true });
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.deb.depends).toContain('libsecret-1-0');
    expect(config.publish).toEqual([]);
    expect(config).toMatchObject({ asar: true, npmRebuild: false, asarUnpack: ['**/*.node'] });
  });

  it('points at files that exist: the NSIS include and the one 1024×1024 icon source', () => {
    const nsh = readFileSync(join(root, config.nsis.include), 'utf8');
    expect(nsh).toMatch(/!macro customInstall/);
    expect(nsh).toContain('/CONFIG=');
    // The `signet` command's PATH offer, from the include's own folder (buildResources).
    const included = /^!include "([^"]+)"/m.exec(nsh)?.[1];
    expect(included).toBeDefined();
    const pathNsh = readFileSync(join(root, 'build', included!), 'utf8');
    expect(pathNsh).toMatch(/!macro signetCliPathInstall[\s\S]*HKCU "Environment" "Path"/);
    // NSIS can't run here; the rules that keep the user's PATH whole are checked in the text:
    // each read of PATH clears the error flag first and is followed by a check of it (an
    // absent or too-long value reads as ""), and PATH is only ever written as itself plus
    // Signet's folder, never replaced by the folder alone.
    const reads = pathNsh.split('ReadRegStr $0 HKCU "Environment" "Path"');
    expect(reads).toHaveLength(3);
    for (const [before, after] of [reads.slice(0, 2), reads.slice(1, 3)] as [string, string][]) {
      expect(before.trimEnd().endsWith('ClearErrors')).toBe(true);
      expect(after).toMatch(
        /^\s*(StrLen[^\n]*\n\s*IntOp[^\n]*\n\s*StrCpy[^\n]*\n\s*)?\$\{If\} \$\{Errors\}/,
      );
    }
    expect(pathNsh).not.toMatch(
      /WriteRegExpandStr HKCU "Environment" "Path" "\$\{SIGNET_CLI_DIR\}"/,
    );
    expect(nsh).toMatch(/!insertmacro signetCliPathInstall/);
    expect(nsh).toMatch(/!macro customUnInstall[\s\S]*!insertmacro signetCliPathUninstall/);
    for (const icon of new Set([config.mac.icon, config.win.icon, config.linux.icon])) {
      const png = readFileSync(join(root, icon));
      expect(png.subarray(1, 4).toString('latin1'), icon).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], icon).toEqual([1024, 1024]);
    }
  });
});

describe("README: the IT section's managed configuration example", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## For IT: installers and managed configuration'));
  const example = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];

  it('presets tenant, client and connections, and each field it sets is locked', () => {
    expect(example).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'signet-managed-'));
    try {
      const managed = join(dir, 'config.json');
      writeFileSync(managed, example!);
      const loaded = loadSettings({ SIGNET_CONFIG: managed, SIGNET_SETTINGS: join(dir, 'u.json') });
      const json = JSON.parse(example!) as Record<string, unknown>;
      expect(loaded.managedFile).toBe(managed);
      expect(loaded.settings.tenant).toBe(json.tenant);
      expect(loaded.settings.clientId).toBe(json.clientId);
      expect(loaded.settings.connections).toEqual(json.connections);
      expect(loaded.locked.map((l) => l.field).sort()).toEqual(Object.keys(json).sort());
      expect(loaded.locked.map((l) => l.field)).toEqual(
        expect.arrayContaining(['tenant', 'clientId', 'connections']),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
