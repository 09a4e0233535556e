#!/usr/bin/env node
// The package's `signet` bin: the built CLI (out/cli/signet.cjs, made by `npm run build` and
// `npm pack`; it runs itself and sets the exit code), or, in a checkout nobody has built, the
// TypeScript sources through tsx (a devDependency) as `npm run signet` does.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../out/cli/signet.cjs', import.meta.url));
if (existsSync(bundle)) {
  createRequire(import.meta.url)(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/index.ts');
  process.exitCode = await main(process.argv.slice(2));
}
