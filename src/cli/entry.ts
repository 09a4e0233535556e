/**
 * The built CLI's entry (scripts/build-cli.mjs bundles from here; from the sources index.ts
 * runs itself). In the bundle, `import()` defers evaluating index.ts and everything behind it
 * (zod, the settings schema, core) until it is called, so:
 * - `signet --version` loads nothing else;
 * - `signet token` first starts listing the keychain (core/early.ts), whose round trips (D-Bus
 *   on Linux) then overlap loading the rest — what a tool waiting for its token notices.
 */
import { keychainService, prefetchListing } from '../core/early.js';
import { say } from './output.js';
import { isVersionCommand, versionLine } from './version.js';

const argv = process.argv.slice(2);
if (isVersionCommand(argv[0])) say(versionLine());
else {
  // Only when the session is not named: a named one is read by its key, without a listing.
  // (A listing is also the one keychain call that can crash: keytar's findCredentials
  // dereferences a null secret when another process deletes an entry mid-listing.)
  if (argv[0] === 'token' && !argv.some((a) => a === '--username' || a.startsWith('--username=')))
    prefetchListing(keychainService());
  void import('./index.js').then(async ({ main }) => {
    process.exitCode = await main(argv);
  });
}
