/**
 * Whether this process is Signet's standalone executable (a Node single executable
 * application, built by scripts/build-cli.mjs). There, `require` knows only Node's built-in
 * modules, so native modules are loaded from files beside the executable instead.
 */
export function isStandaloneExecutable(): boolean {
  try {
    // node:sea exists from Node 20.12 / 21.7; anything older is never a Signet executable.
    const sea = process.getBuiltinModule('node:sea') as { isSea(): boolean } | undefined;
    return sea?.isSea() ?? false;
  } catch {
    return false;
  }
}
