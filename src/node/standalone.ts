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

/** What `nativeModuleProblem` needs to know of a file or folder (a subset of `fs.Stats`). */
export interface OwnerFacts {
  uid: number;
  mode: number;
  isFile: boolean;
  isSymbolicLink: boolean;
}

/**
 * Why a native module beside the executable must not be loaded, or undefined when it may be.
 * Loading it runs its code as the user, with their keychain: so on POSIX it must be a regular
 * file (not a link), owned by the user or root and writable by no one else, in a folder owned
 * by the user or root that no one else may write to (a sticky folder like /tmp keeps others
 * from replacing a file they don't own, so it passes when the file itself does). Otherwise
 * another local user could plant or swap the module where someone runs `signet` from (a shared
 * tools folder, a download folder). Windows folders are protected by their ACLs, which the
 * installer sets; this check is POSIX only.
 */
export function nativeModuleProblem(
  file: OwnerFacts,
  folder: OwnerFacts,
  uid: number,
): string | undefined {
  const trusted = (o: OwnerFacts) => o.uid === uid || o.uid === 0;
  if (file.isSymbolicLink || !file.isFile) return 'it is not a regular file';
  if (!trusted(file)) return 'it belongs to another user';
  if (file.mode & 0o022) return 'others may write to it';
  if (!trusted(folder)) return 'its folder belongs to another user';
  if (folder.mode & 0o022 && !(folder.mode & 0o1000)) return 'others may write to its folder';
  return undefined;
}
