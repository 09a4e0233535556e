#!/usr/bin/env node
// The package's `signet` bin. It runs the CLI from its TypeScript sources through tsx (a
// dependency of this repository's development install), exactly as `npm run signet` does, so
// there is no build step to forget. The exit code is the CLI's (see src/cli/output.ts).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
