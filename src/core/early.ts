/**
 * The one thing of core the built CLI's entry (src/cli/entry.ts) calls before it loads the
 * rest: starting `signet token`'s keychain read. Apart from core/index.ts on purpose — loading
 * that barrel (zod, the settings schema, every core module) is most of a start-up, and the
 * read is started first so that its round trips overlap it. Only light modules behind this
 * file; the lint rule lets cli/ import it besides core/index.ts (eslint.config.js).
 */
export { keychainService, prefetchListing } from './vault/keychain.js';
