// Finds an Electron executable without triggering electron's own download (which cannot
// succeed on machines without GitHub access). Used by `npm start` and the _electron e2e test.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const pkg = new URL('../node_modules/electron/', import.meta.url).pathname;

/** @returns {{ path: string } | { missing: string }} */
export function findElectronBinary() {
  const pathFile = join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override ? join(override, relative) : join(pkg, 'dist', relative);
  if (existsSync(candidate)) return { path: candidate };
  return {
    missing: override
      ? `ELECTRON_OVERRIDE_DIST_PATH is set, but ${candidate} does not exist`
      : `no Electron binary at ${candidate} (it downloads from GitHub, which this machine cannot reach; set ELECTRON_OVERRIDE_DIST_PATH to a folder holding one)`,
  };
}
