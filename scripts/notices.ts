/**
 * `npm run notices`: writes out/third-party-notices.txt, the third-party notices the About
 * menu shows and the installer ships (inside app.asar). It credits every npm package whose code
 * ships: the runtime dependencies (package.json `dependencies` and what they depend on, copied
 * into the app as node_modules) and the packages Vite inlined into the bundles (recorded by
 * scripts/bundled-packages.ts in out/.bundled/ during `electron-vite build`, so run the build
 * first). Each entry carries the package's own license file(s), verbatim.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

export const NOTICES_FILE = 'out/third-party-notices.txt';

interface PackageJson {
  name: string;
  version: string;
  license?: string | { type?: string };
  licenses?: Array<{ type?: string }>;
  repository?: string | { url?: string };
  homepage?: string;
  author?: string | { name?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export interface NoticeEntry {
  name: string;
  version: string;
  license: string;
  /** `module`: copied into the app's node_modules; `bundled`: inlined into out/ by Vite. */
  shipped: Set<'module' | 'bundled'>;
  source: string | undefined;
  /** The package's license/notice files, verbatim. */
  texts: Array<{ file: string; text: string }>;
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

function licenseOf(pkg: PackageJson): string {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license?.type) return pkg.license.type;
  const old = pkg.licenses?.map((l) => l.type).filter(Boolean);
  return old?.length ? old.join(' OR ') : 'UNKNOWN';
}

function sourceOf(pkg: PackageJson): string | undefined {
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (repo) {
    return repo
      .replace(/^git\+/, '')
      .replace(/^git:\/\//, 'https://')
      .replace(/^github:/, 'https://github.com/')
      .replace(/\.git$/, '');
  }
  return pkg.homepage;
}

const LICENSE_FILE = /^(licen[cs]e|copying|notice)([-._].*)?$/i;

function licenseTexts(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && LICENSE_FILE.test(e.name))
    .map((e) => e.name)
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8').trim() }));
}

/** Node's lookup: `<from>/node_modules/<name>`, then each parent's, up to the project root. */
function resolvePackageDir(name: string, from: string, root: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root) return undefined;
    const up = dirname(dir);
    if (up === dir || relative(root, up).startsWith('..')) return undefined;
    dir = up;
  }
}

/**
 * The packages copied into the app: the project's `dependencies` and, transitively, theirs
 * (optional ones only when installed). Returns package folders.
 */
export function runtimePackageDirs(root: string): string[] {
  const seen = new Set<string>();
  const visit = (names: string[], from: string, optional: Set<string>) => {
    for (const name of names) {
      const dir = resolvePackageDir(name, from, root);
      if (!dir) {
        if (optional.has(name)) continue;
        throw new Error(`${name} is a runtime dependency but is not installed (run npm ci)`);
      }
      if (seen.has(dir)) continue;
      seen.add(dir);
      const pkg = readPackage(dir);
      const opt = new Set(Object.keys(pkg.optionalDependencies ?? {}));
      visit([...Object.keys(pkg.dependencies ?? {}), ...opt], dir, opt);
    }
  };
  const top = readPackage(root);
  const opt = new Set(Object.keys(top.optionalDependencies ?? {}));
  visit([...Object.keys(top.dependencies ?? {}), ...opt], root, opt);
  return [...seen];
}

/** The packages Vite inlined, as recorded in out/.bundled/*.json by the last build. */
export function bundledPackageDirs(root: string): string[] {
  const dir = join(root, 'out/.bundled');
  if (!existsSync(dir)) {
    throw new Error('out/.bundled is missing: run `electron-vite build` before the notices');
  }
  const dirs = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const list = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Array<{ dir: string }>;
    for (const p of list) dirs.add(join(root, p.dir));
  }
  return [...dirs];
}

/** Collects the entries, one per package name and version, sorted by name. */
export function collectNotices(root: string): NoticeEntry[] {
  const entries = new Map<string, NoticeEntry>();
  const add = (dir: string, how: 'module' | 'bundled') => {
    const pkg = readPackage(dir);
    const key = `${pkg.name}@${pkg.version}`;
    const existing = entries.get(key);
    if (existing) {
      existing.shipped.add(how);
      return;
    }
    entries.set(key, {
      name: pkg.name,
      version: pkg.version,
      license: licenseOf(pkg),
      shipped: new Set([how]),
      source: sourceOf(pkg),
      texts: licenseTexts(dir),
    });
  };
  for (const dir of runtimePackageDirs(root)) add(dir, 'module');
  for (const dir of bundledPackageDirs(root)) add(dir, 'bundled');
  return [...entries.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
  );
}

const RULE = '='.repeat(78);

/** The notices file's text. */
export function renderNotices(root: string, entries: NoticeEntry[]): string {
  const app = readPackage(root);
  const how = (e: NoticeEntry) =>
    [...e.shipped].map((s) => (s === 'module' ? 'runtime module' : 'bundled')).join(', ');
  const lines = [
    `Signet ${app.version}: third-party notices`,
    '',
    `Signet is released under the ${licenseOf(app)} License. It contains the following`,
    'third-party software, each under its own license, reproduced below.',
    '',
    ...entries.map((e) => `  ${e.name} ${e.version} (${e.license}; ${how(e)})`),
    '',
    'Electron (MIT), with Chromium and Node.js inside it: their licenses ship with the app as',
    'LICENSE.electron.txt and LICENSES.chromium.html (beside the executable on Windows and',
    'Linux, in Signet.app/Contents/Resources on macOS).',
    '',
  ];
  for (const e of entries) {
    lines.push(RULE, `${e.name} ${e.version}`, `License: ${e.license}`);
    if (e.source) lines.push(`Source: ${e.source}`);
    lines.push('');
    if (e.texts.length === 0) {
      lines.push(`(The package holds no license file; its package.json declares ${e.license}.)`);
    }
    for (const t of e.texts) lines.push(`--- ${t.file}`, '', t.text, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Writes out/third-party-notices.txt; returns the entries it holds. */
export function writeNotices(root: string): NoticeEntry[] {
  const entries = collectNotices(root);
  writeFileSync(join(root, NOTICES_FILE), renderNotices(root, entries));
  return entries;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(import.meta.dirname, '..');
  const entries = writeNotices(root);
  console.log(`${NOTICES_FILE}: ${entries.length} packages`);
}
