/** The bundle bin/signet.mjs and the standalone executable run (out/cli/signet.cjs). */
export const CLI_BUNDLE: string;
/** The folder of the standalone executable and its keytar.node (dist/cli). */
export const CLI_DIR: string;
/** The standalone executable (dist/cli/signet, signet.exe on Windows). */
export const CLI_EXECUTABLE: string;
/** Builds the bundle (out/cli/signet.cjs); resolves with its path. */
export function bundleCli(): Promise<string>;
/** Builds the standalone executable from the bundle; resolves with its path. */
export function buildExecutable(): Promise<string>;
/** Builds what is missing or older than its sources; resolves with the files it built. */
export function ensureCli(opts?: { executable?: boolean }): Promise<string[]>;
