/**
 * `signet --version`: Signet's version and the Node that runs it (the one embedded in the
 * standalone executable). The version is package.json's, the one place it is kept: the build
 * (scripts/build-cli.mjs) writes it into the bundle as `SIGNET_BUILD`; from the sources it is
 * read from package.json.
 */
import { readFileSync } from 'node:fs';
import { isStandaloneExecutable } from '../node/standalone.js';

/** Set by scripts/build-cli.mjs (esbuild `define`); absent when running from the sources. */
declare const SIGNET_BUILD: { version: string } | undefined;

/** The package version, from the build or from package.json beside the sources. */
export function signetVersion(): string {
  if (typeof SIGNET_BUILD !== 'undefined') return SIGNET_BUILD.version;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** `signet 0.1.0 (node v20.20.2, linux-x64, standalone)`: what IT asks for in a support call. */
export function versionLine(): string {
  const how =
    typeof SIGNET_BUILD === 'undefined'
      ? 'from source'
      : isStandaloneExecutable()
        ? 'standalone'
        : 'bundle';
  return `signet ${signetVersion()} (node ${process.version}, ${process.platform}-${process.arch}, ${how})`;
}

/** The commands that print the version: `signet --version`, `-v` and `version`. */
export const isVersionCommand = (command: string | undefined): boolean =>
  command === '--version' || command === '-v' || command === 'version';

/** True in the built bundle (and the executable made from it), false from the sources. */
export const isBuilt = (): boolean => typeof SIGNET_BUILD !== 'undefined';
