/**
 * A Vite plugin that records which npm packages end up inside a bundle (code Vite inlined from
 * node_modules, e.g. React in the renderer), so the third-party notices credit them although they
 * are devDependencies and never ship as node_modules. Writes `out/.bundled/<name>.json`: a sorted
 * list of `{name, version, dir}`; scripts/notices.ts reads it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

export interface BundledPackage {
  name: string;
  version: string;
  /** The package's folder, relative to the project root. */
  dir: string;
}

/** `…/node_modules/@scope/name/lib/x.js` → `…/node_modules/@scope/name`, else undefined. */
export function packageDirOf(file: string): string | undefined {
  const clean = file.replace(/^\0/, '').split('?')[0] ?? '';
  const marker = `${sep}node_modules${sep}`;
  const at = clean.lastIndexOf(marker);
  if (at < 0) return undefined;
  const rest = clean.slice(at + marker.length).split(sep);
  const depth = rest[0]?.startsWith('@') ? 2 : 1;
  if (rest.length <= depth) return undefined;
  return clean.slice(0, at + marker.length) + rest.slice(0, depth).join(sep);
}

export function bundledPackages(name: string, root = process.cwd()): Plugin {
  return {
    name: 'signet:bundled-packages',
    apply: 'build',
    generateBundle(_options, bundle) {
      const found = new Map<string, BundledPackage>();
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        for (const [id, info] of Object.entries(output.modules)) {
          if (info.renderedLength === 0) continue; // tree-shaken away entirely
          const dir = packageDirOf(resolve(id.replace(/^\0/, '')));
          if (!dir || found.has(dir)) continue;
          const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
            name: string;
            version: string;
          };
          found.set(dir, {
            name: pkg.name,
            version: pkg.version,
            dir: dir
              .slice(root.length + 1)
              .split(sep)
              .join('/'),
          });
        }
      }
      const file = join(root, 'out/.bundled', `${name}.json`);
      mkdirSync(dirname(file), { recursive: true });
      const list = [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
      writeFileSync(file, `${JSON.stringify(list, null, 2)}\n`);
    },
  };
}
