/**
 * Whether the managed configuration may be trusted: it locks what users can change, so only a
 * file that only administrators can write counts. Anything else is ignored, with the reason
 * shown (`signet settings`, the Settings screen), never silently.
 *
 * - Linux/macOS: the file, the directories above it (and, through symlinks, above its real
 *   path) are owned by root (uid 0) and not writable by group or others. A directory writable
 *   by others is accepted only with the sticky bit (like /tmp: nobody else can rename or
 *   delete root's entries in it).
 * - Windows: the file and its folder are owned by Administrators or SYSTEM, and no one else
 *   (Users, Authenticated Users, Everyone, a user's own SID…) is granted a right that writes,
 *   deletes, or changes permissions or owner. Read from each object's security descriptor
 *   (SDDL, locale-independent SIDs) through the system's PowerShell `Get-Acl`: Node has no ACL
 *   API and `fs.stat` says nothing about ACLs on Windows. The installer (build/installer.nsh)
 *   creates `%ProgramData%\Signet` with exactly that ACL.
 *
 * The same rule applies to a file named by `SIGNET_CONFIG`: an environment variable is easier
 * to plant than a file in a protected folder. (The tests run as root, so their scratch files
 * are root's.)
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';

/** One object on the way to the file (POSIX): the file itself or a directory above it. */
export interface PosixEntry {
  path: string;
  isDirectory: boolean;
  /** A symlink: its own mode bits mean nothing (its target is checked as a separate entry). */
  isSymlink?: boolean;
  /** Owner uid. */
  uid: number;
  /** `st_mode` (permission and sticky bits are what count). */
  mode: number;
}

/** One object's owner and who may write it (Windows), as SIDs (`S-1-5-32-544`). */
export interface WindowsEntry {
  path: string;
  owner: string;
  /** SIDs granted (Allow, not inherit-only) a right that can change or replace the object. */
  writers: string[];
}

/** What the platform says about the managed file; `error` when it could not be asked. */
export type ManagedFacts =
  | { platform: 'posix'; entries: PosixEntry[] }
  | { platform: 'win32'; entries: WindowsEntry[] }
  | { platform: 'posix' | 'win32'; error: string };

export type ManagedTrust = { trusted: true } | { trusted: false; reason: string };

const SID = {
  administrators: 'S-1-5-32-544',
  system: 'S-1-5-18',
  trustedInstaller: 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464',
} as const;
const ADMIN_OWNERS = new Set<string>([SID.administrators, SID.system]);
const ADMIN_WRITERS = new Set<string>([SID.administrators, SID.system, SID.trustedInstaller]);

/** SDDL's two-letter names of well-known SIDs (those that appear on files). */
const SDDL_ALIASES: Record<string, string> = {
  BA: SID.administrators,
  SY: SID.system,
  BU: 'S-1-5-32-545',
  AU: 'S-1-5-11',
  WD: 'S-1-1-0',
  IU: 'S-1-5-4',
  CO: 'S-1-3-0',
  OW: 'S-1-3-4',
  BG: 'S-1-5-32-546',
  PU: 'S-1-5-32-547',
  AN: 'S-1-5-7',
  NU: 'S-1-5-2',
  AC: 'S-1-15-2-1',
};
const SID_NAMES: Record<string, string> = {
  [SID.administrators]: 'Administrators',
  [SID.system]: 'SYSTEM',
  [SID.trustedInstaller]: 'TrustedInstaller',
  'S-1-5-32-545': 'Users',
  'S-1-5-11': 'Authenticated Users',
  'S-1-1-0': 'Everyone',
  'S-1-5-4': 'INTERACTIVE',
  'S-1-3-0': 'CREATOR OWNER',
  'S-1-3-4': 'OWNER RIGHTS',
  'S-1-5-32-546': 'Guests',
  'S-1-5-32-547': 'Power Users',
  'S-1-5-7': 'ANONYMOUS LOGON',
  'S-1-5-2': 'NETWORK',
  'S-1-15-2-1': 'ALL APPLICATION PACKAGES',
};
const sidName = (sid: string) => SID_NAMES[sid] ?? sid;

const RULE = {
  posix: 'a managed configuration must be owned by root and writable by root only',
  win32:
    'a managed configuration must be owned by Administrators or SYSTEM and writable by them only',
};

/**
 * The decision, from the platform's facts alone (pure, so every case is tested on any OS):
 * trusted, or not with the first reason found, in words IT can act on.
 */
export function managedConfigTrust(facts: ManagedFacts): ManagedTrust {
  const no = (why: string): ManagedTrust => ({
    trusted: false,
    reason: `${why}; ${RULE[facts.platform]}.`,
  });
  if ('error' in facts) return no(`its owner and permissions could not be read (${facts.error})`);
  if (facts.platform === 'posix') {
    for (const e of facts.entries) {
      const what = e.isDirectory ? `the folder ${e.path}` : e.path;
      if (e.uid !== 0) return no(`${what} is owned by uid ${e.uid}, not root`);
      const perm = (e.mode & 0o7777).toString(8).padStart(4, '0');
      const sticky = (e.mode & 0o1000) !== 0;
      if (e.isSymlink) continue;
      if (e.mode & 0o022 && !(e.isDirectory && sticky && (e.mode & 0o002) !== 0))
        return no(`${what} is writable by its group or by everyone (mode ${perm})`);
    }
    return { trusted: true };
  }
  for (const e of facts.entries) {
    if (!ADMIN_OWNERS.has(e.owner))
      return no(`${e.path} is owned by ${sidName(e.owner)}, not Administrators or SYSTEM`);
    const other = e.writers.find((w) => !ADMIN_WRITERS.has(w));
    if (other) return no(`${e.path} can be changed by ${sidName(other)}`);
  }
  return { trusted: true };
}

/** Access-mask bits that let a principal change, replace or re-permission a file or folder. */
const WRITE_BITS =
  0x2 | // FILE_WRITE_DATA / FILE_ADD_FILE
  0x4 | // FILE_APPEND_DATA / FILE_ADD_SUBDIRECTORY
  0x40 | // FILE_DELETE_CHILD
  0x10000 | // DELETE
  0x40000 | // WRITE_DAC
  0x80000 | // WRITE_OWNER
  0x10000000 | // GENERIC_ALL
  0x40000000; // GENERIC_WRITE

/** SDDL access-right codes (two letters each) as mask bits. */
const RIGHTS: Record<string, number> = {
  GA: 0x10000000,
  GX: 0x20000000,
  GW: 0x40000000,
  GR: 0x80000000,
  SD: 0x10000,
  RC: 0x20000,
  WD: 0x40000,
  WO: 0x80000,
  FA: 0x1f01ff,
  FR: 0x120089,
  FW: 0x120116,
  FX: 0x1200a0,
  CC: 0x1,
  DC: 0x2,
  LC: 0x4,
  SW: 0x8,
  RP: 0x10,
  WP: 0x20,
  DT: 0x40,
  LO: 0x80,
  CR: 0x100,
};

const toSid = (s: string) => SDDL_ALIASES[s] ?? s;

/**
 * Owner and writers from an SDDL string (`O:BAG:SYD:PAI(A;OICI;FA;;;SY)…`): Allow ACEs that are
 * not inherit-only and grant a writing right. Unknown right codes count as writing (fail
 * closed). Deny ACEs are not subtracted, which can only make a file look less trusted.
 */
export function parseSddl(path: string, sddl: string): WindowsEntry {
  const owner = /O:(S-[\d-]+|[A-Z]{2})/.exec(sddl)?.[1];
  if (!owner) throw new Error(`no owner in the security descriptor of ${path}`);
  const dacl = /D:[A-Z]*((?:\([^)]*\))*)/.exec(sddl)?.[1] ?? '';
  const writers = new Set<string>();
  for (const [, ace = ''] of dacl.matchAll(/\(([^)]*)\)/g)) {
    const [type, flags = '', rights = '', , , trustee = ''] = ace.split(';');
    if (type !== 'A' || flags.includes('IO')) continue;
    let mask = 0;
    if (/^0x[0-9a-f]+$/i.test(rights)) mask = Number.parseInt(rights, 16);
    else for (const code of rights.match(/../g) ?? []) mask |= RIGHTS[code] ?? WRITE_BITS;
    if (mask & WRITE_BITS) writers.add(toSid(trustee));
  }
  return { path, owner: toSid(owner), writers: [...writers] };
}

/** Reads the facts the decision needs for `path` on this machine. Never throws. */
export function readManagedFacts(path: string, platform = process.platform): ManagedFacts {
  if (platform === 'win32') return windowsFacts(path);
  try {
    const full = resolve(path);
    const paths = new Set<string>([...chain(full), ...chain(realpathSync(full))]);
    const entries = [...paths].map((p) => {
      const st = lstatSync(p);
      return {
        path: p,
        isDirectory: st.isDirectory(),
        ...(st.isSymbolicLink() ? { isSymlink: true } : {}),
        uid: st.uid,
        mode: st.mode,
      };
    });
    return { platform: 'posix', entries };
  } catch (err) {
    return { platform: 'posix', error: err instanceof Error ? err.message : String(err) };
  }
}

/** The path and every directory above it, up to the root. */
function chain(path: string): string[] {
  const out = [path];
  const root = parse(path).root;
  for (let d = dirname(path); d !== out.at(-1) && d !== ''; d = dirname(d)) {
    out.push(d);
    if (d === root) break;
  }
  return out;
}

function windowsFacts(path: string): ManagedFacts {
  // The path travels in the environment, not in the command: nothing in it is ever parsed as
  // PowerShell. Two lines come back: the file's SDDL, then its folder's.
  const shell = join(
    process.env.SystemRoot ?? 'C:\\Windows',
    'System32',
    'WindowsPowerShell',
    'v1.0',
    'powershell.exe',
  );
  try {
    const out = execFileSync(
      shell,
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        '$p = $env:SIGNET_ACL_PATH; (Get-Acl -LiteralPath $p).Sddl; (Get-Acl -LiteralPath (Split-Path -Parent $p)).Sddl',
      ],
      {
        env: { ...process.env, SIGNET_ACL_PATH: path },
        encoding: 'utf8',
        timeout: 15_000,
        windowsHide: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const [file, folder] = out.split(/\r?\n/).filter(Boolean);
    if (!file || !folder) throw new Error('Get-Acl returned no security descriptor');
    return {
      platform: 'win32',
      entries: [parseSddl(path, file), parseSddl(dirname(path), folder)],
    };
  } catch (err) {
    return {
      platform: 'win32',
      error: err instanceof Error ? err.message.split('\n')[0]! : String(err),
    };
  }
}
