#!/usr/bin/env node
// The package's `signet` bin: the built CLI (out/cli/signet.cjs, made by `npm run build` and
// `npm pack`; it runs itself and sets the exit code), or the TypeScript sources through tsx (a
// devDependency) as `npm run signet` does — in a checkout nobody has built, and in a checkout
// whose sources changed since the build (a stale bundle would run yesterday's code).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../out/cli/signet.cjs', import.meta.url));
const sources = fileURLToPath(new URL('../src', import.meta.url));

/** The newest modification time under `dir` (ms). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const fresh =
  existsSync(bundle) && (!existsSync(sources) || statSync(bundle).mtimeMs >= newest(sources));
if (fresh) {
  createRequire(import.meta.url)(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/index.ts');
  process.exitCode = await main(process.argv.slice(2));
}
