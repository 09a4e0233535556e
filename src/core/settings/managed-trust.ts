/**
 * Whether the managed configuration may be trusted: it locks what users can change, so only a
 * file that only administrators can write counts. Anything else is ignored, with the reason
 * shown (`signet settings`, the Settings screen), never silently.
 *
 * - Linux/macOS: the file, the directories above it (and, through symlinks, above its real
 *   path) are owned by root (uid 0). The file itself is writable by root only (no group or
 *   other write, whatever its group: a group-writable file could be changed, and stay root's,
 *   by any member's process without a password — on macOS that is every admin user). A
 *   directory may also be group-writable when its group is an administrators' group (gid 0
 *   root/wheel; on macOS also gid 80 admin, as `/Library` is on older systems and pkg
 *   installers often leave vendor folders), and may have any write bits with the sticky bit
 *   (like /tmp): either way nobody else can put their own entry in place of root's, and an entry
 *   a member replaces is that member's, which fails the owner check.
 * - Windows: the file and its folder are owned by Administrators or SYSTEM, and no one else
 *   (Users, Authenticated Users, Everyone, a user's own SID…) is granted a right that writes,
 *   deletes, or changes permissions or owner; a null or missing DACL is Everyone. Read from each
 *   object's security descriptor (SDDL, locale-independent SIDs) through the system's
 *   PowerShell `Get-Acl`: Node has no ACL API and `fs.stat` says nothing about ACLs on Windows.
 *   That costs a PowerShell start, so the decision is kept for the process until the file or
 *   its folder changes (`managedTrustAt`). The installer (build/installer.nsh) creates
 *   `%ProgramData%\Signet` with exactly that ACL.
 *
 * The same rule applies to a file named by `SIGNET_CONFIG`: an environment variable is easier
 * to plant than a file in a protected folder. (The tests run as root, so their scratch files
 * are root's.)
 */
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';

/** One object on the way to the file (POSIX): the file itself or a directory above it. */
export interface PosixEntry {
  path: string;
  isDirectory: boolean;
  /** A symlink: its own mode bits mean nothing (its target is checked as a separate entry). */
  isSymlink?: boolean;
  /** Owner uid. */
  uid: number;
  /** Group gid (group write is accepted on a directory whose group is administrators'). */
  gid: number;
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
  | {
      platform: 'posix';
      /** The POSIX system (`process.platform`): which gids are administrators' depends on it. */
      os?: NodeJS.Platform;
      entries: PosixEntry[];
    }
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

/** Groups whose members are administrators: root/wheel everywhere, admin on macOS. */
const adminGids = (os: NodeJS.Platform | undefined) => (os === 'darwin' ? [0, 80] : [0]);

const RULE = {
  posix:
    "a managed configuration must be owned by root and writable by root only, in folders owned by root that only root or an administrators' group may write (or that have the sticky bit)",
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
    const admins = adminGids(facts.os);
    for (const e of facts.entries) {
      const what = e.isDirectory ? `the folder ${e.path}` : e.path;
      if (e.uid !== 0) return no(`${what} is owned by uid ${e.uid}, not root`);
      if (e.isSymlink) continue;
      const perm = `mode ${(e.mode & 0o7777).toString(8).padStart(4, '0')}`;
      if (!e.isDirectory) {
        if (e.mode & 0o022) return no(`${what} is writable by its group or by everyone (${perm})`);
        continue;
      }
      if (e.mode & 0o1000) continue; // sticky: others cannot replace root's entries
      if (e.mode & 0o002) return no(`${what} is writable by everyone (${perm})`);
      if (e.mode & 0o020 && !admins.includes(e.gid))
        return no(`${what} is writable by group ${e.gid}, not an administrators' group (${perm})`);
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

/** ACE types that grant (plain, callback/conditional, object, callback object) or deny. */
const ALLOW_ACES = new Set(['A', 'XA', 'ZA', 'OA']);
const DENY_ACES = new Set(['D', 'XD', 'OD']);
/** SDDL ACE flags (two letters each); `IO` (inherit-only) means the ACE is not this object's. */
const ACE_FLAGS = new Set(['CI', 'OI', 'NP', 'IO', 'ID', 'SA', 'FA', 'TP', 'CR']);

/**
 * Splits `text` before each position `at` accepts outside parentheses and double quotes (so a
 * conditional ACE's nested `(…)` or a quoted `)` cannot end an entry early); throws on
 * unbalanced parentheses or quotes (a descriptor that cannot be read whole is not trusted).
 */
function topLevel(text: string, at: (i: number) => boolean, fail: () => Error): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') quoted = false;
      continue;
    }
    if (depth === 0 && i > from && at(i)) {
      parts.push(text.slice(from, i));
      from = i;
    }
    if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) throw fail();
  }
  if (depth !== 0 || quoted) throw fail();
  parts.push(text.slice(from));
  return parts;
}

/**
 * Owner and writers from an SDDL string (`O:BAG:SYD:PAI(A;OICI;FA;;;SY)…`): Allow ACEs (of every
 * allow type, a condition notwithstanding) that are not inherit-only and grant a writing right.
 * A null DACL (`NO_ACCESS_CONTROL`) or none at all lets Everyone write. Fails closed: throws
 * when the text is not accounted for ACE by ACE (unbalanced parentheses, text between ACEs, an
 * ACE with fewer than 6 fields, an unknown type or flag); unknown right codes count as writing.
 * Deny ACEs are not subtracted, which can only make a file look less trusted.
 */
export function parseSddl(path: string, sddl: string): WindowsEntry {
  const bad = (why: string) => new Error(`cannot read the security descriptor of ${path}: ${why}`);
  // Components O:, G:, D:, S: start with their letter and a colon outside any ACE.
  const text = sddl.trim();
  const parts = topLevel(
    text,
    (i) => text[i + 1] === ':' && 'OGDS'.includes(text[i]!),
    () => bad('unbalanced parentheses'),
  );
  const components = new Map<string, string>();
  for (const part of parts) {
    if (part === '') continue;
    const key = part.slice(0, 2);
    if (!/^[OGDS]:$/.test(key) || components.has(key)) throw bad(`unexpected "${part}"`);
    components.set(key, part.slice(2));
  }
  const owner = components.get('O:');
  if (!owner || !/^(?:S-1(?:-\d+)+|[A-Z]{2})$/.test(owner)) throw bad('no owner');
  const dacl = components.get('D:');
  const everyone = { path, owner: toSid(owner), writers: [SDDL_ALIASES.WD!] };
  if (dacl === undefined) return everyone; // no DACL: no access control at all
  const flags = /^(?:P|AI|AR|NO_ACCESS_CONTROL)*/.exec(dacl)![0];
  if (flags.includes('NO_ACCESS_CONTROL')) return everyone;
  const writers = new Set<string>();
  const aces = dacl.slice(flags.length);
  for (const ace of topLevel(
    aces,
    (i) => aces[i] === '(',
    () => bad('unbalanced parentheses'),
  )) {
    if (ace === '') continue;
    if (!ace.startsWith('(') || !ace.endsWith(')')) throw bad(`unexpected "${ace}" in the DACL`);
    const body = ace.slice(1, -1);
    const fields = topLevel(
      body,
      (i) => body[i] === ';',
      () => bad(ace),
    ).map((f, i) => (i === 0 ? f : f.slice(1)));
    const [type = '', aceFlags = '', rights = '', , , trustee = ''] = fields;
    if (fields.length < 6 || !trustee) throw bad(`an entry has too few fields: ${ace}`);
    const flagList: string[] = aceFlags.match(/../g) ?? [];
    if (flagList.join('') !== aceFlags || flagList.some((f) => !ACE_FLAGS.has(f)))
      throw bad(`unknown entry flags: ${ace}`);
    if (DENY_ACES.has(type)) continue;
    if (!ALLOW_ACES.has(type)) throw bad(`unknown entry type: ${ace}`);
    if (flagList.includes('IO')) continue;
    let mask = 0;
    if (/^0x[0-9a-f]+$/i.test(rights)) mask = Number.parseInt(rights, 16);
    else if (/^\d+$/.test(rights)) mask = Number.parseInt(rights, 10);
    else if (/^(?:[A-Z]{2})+$/.test(rights))
      for (const code of rights.match(/../g)!) mask |= RIGHTS[code] ?? WRITE_BITS;
    else throw bad(`unknown rights: ${ace}`);
    if (mask & WRITE_BITS) writers.add(toSid(trustee));
  }
  return { path, owner: toSid(owner), writers: [...writers] };
}

/** The SDDL of the managed file and of its folder; throws when they cannot be read. */
export type AclReader = (path: string) => { file: string; folder: string };

/** How `managedTrustAt` asks this machine (the tests inject a Windows ACL reader). */
export interface TrustOptions {
  platform?: NodeJS.Platform;
  readAcl?: AclReader;
}

/** Windows decisions, per path, with the file's and folder's stat they were made for. */
const windowsDecisions = new Map<string, { stamp: string; trust: ManagedTrust }>();

/**
 * The decision for the managed file at `path` on this machine (what the settings store asks on
 * every load). On Windows reading the ACLs starts PowerShell (~0.5–1 s, blocking), so the
 * decision is kept for the process, per path, until the file or its folder changes (inode,
 * size, mtime or ctime); an ACL that cannot be read is a decision too (ignored, with why).
 * POSIX facts are a few lstat calls and are read every time.
 */
export function managedTrustAt(path: string, options: TrustOptions = {}): ManagedTrust {
  const platform = options.platform ?? process.platform;
  if (platform !== 'win32') return managedConfigTrust(readManagedFacts(path, platform));
  const stamp = statStamp(path);
  const known = windowsDecisions.get(path);
  if (stamp && known?.stamp === stamp) return known.trust;
  const trust = managedConfigTrust(windowsFacts(path, options.readAcl ?? powershellAcl));
  if (stamp) windowsDecisions.set(path, { stamp, trust });
  return trust;
}

/** What identifies this version of the file and its folder; undefined when stat fails. */
function statStamp(path: string): string | undefined {
  try {
    return [path, dirname(path)]
      .map((p) => {
        const st = statSync(p, { bigint: true });
        return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
      })
      .join('|');
  } catch {
    return undefined;
  }
}

/** Reads the facts the decision needs for `path` on this machine. Never throws. */
export function readManagedFacts(path: string, platform = process.platform): ManagedFacts {
  if (platform === 'win32') return windowsFacts(path, powershellAcl);
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
        gid: st.gid,
        mode: st.mode,
      };
    });
    return { platform: 'posix', os: platform, entries };
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

function windowsFacts(path: string, readAcl: AclReader): ManagedFacts {
  try {
    const { file, folder } = readAcl(path);
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

/** The file's and its folder's SDDL from the system PowerShell's `Get-Acl`. */
function powershellAcl(path: string): { file: string; folder: string } {
  // The path travels in the environment, not in the command: nothing in it is ever parsed as
  // PowerShell. Two lines come back: the file's SDDL, then its folder's.
  const shell = join(
    process.env.SystemRoot ?? 'C:\\Windows',
    'System32',
    'WindowsPowerShell',
    'v1.0',
    'powershell.exe',
  );
  // node:child_process on use only (Windows): loading it costs every `signet` start.
  const { execFileSync } = process.getBuiltinModule('node:child_process');
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
  return { file, folder };
}
