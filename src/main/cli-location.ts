/**
 * Where the `signet` executable is, for "Use from other tools": on PATH (as the app's own
 * process sees it: the PATH a desktop session starts apps with, which may lack what a shell's
 * profile adds), and beside the app (the installers' `resources/cli`, or `dist/cli` in a
 * checkout after `npm run build:cli`). When it is not on PATH, the hint says how to put it
 * there on this OS.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CliStatus } from '../shared/ipc';
import { SIGNET_COMMAND, shellQuote } from '../shared/tool-setup';

export interface CliLookup {
  /** Folders the app ships the executable in, most likely first (main/index.ts names them). */
  bundledDirs: string[];
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/** The executable's file names on `platform` (Windows: one per PATHEXT extension). */
function fileNames(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform !== 'win32') return [SIGNET_COMMAND];
  const exts = (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean);
  return exts.map((e) => SIGNET_COMMAND + e.toLowerCase());
}

/** Whether `path` is a file this process may run. */
async function runnable(path: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    if (platform !== 'win32') await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first runnable `signet` in `dirs`, or null. */
async function findIn(
  dirs: string[],
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
): Promise<string | null> {
  for (const dir of dirs) {
    if (!dir) continue;
    for (const name of fileNames(platform, env)) {
      const path = join(dir, name);
      if (await runnable(path, platform)) return path;
    }
  }
  return null;
}

/** PowerShell single quoting: `'` doubles. */
const psQuote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** How to put the bundled executable on PATH on `platform` (null when nothing is bundled). */
export function pathHint(
  bundled: string | null,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
): NonNullable<CliStatus['hint']> {
  if (!bundled)
    return {
      kind: 'unbundled',
      text:
        'This copy of Signet carries no signet executable. Install Signet’s package (it puts signet on PATH), ' +
        'or in a development checkout run npm run build:cli and add dist/cli to PATH.',
    };
  const dir = dirname(bundled);
  if (platform === 'win32')
    return {
      kind: 'windows',
      folder: dir,
      text: `Add ${dir} to your user PATH (Settings → System → About → Advanced system settings → Environment Variables), or run this in PowerShell, then open a new terminal:`,
      command: `[Environment]::SetEnvironmentVariable('Path', [Environment]::GetEnvironmentVariable('Path', 'User') + ';' + ${psQuote(dir)}, 'User')`,
    };
  // An AppImage's resources live in a mount that changes at every start: copy the folder out.
  if (platform === 'linux' && env.APPIMAGE)
    return {
      kind: 'appimage',
      text: 'Signet runs as an AppImage, whose files move at every start. Copy the executable’s folder out and link it into ~/.local/bin (on PATH in most desktops):',
      command: `mkdir -p ~/.local/lib/signet ~/.local/bin && cp -r ${shellQuote(dir)}/. ~/.local/lib/signet/ && ln -sf ~/.local/lib/signet/${SIGNET_COMMAND} ~/.local/bin/${SIGNET_COMMAND}`,
    };
  return {
    kind: 'link',
    text: 'Link the executable Signet carries into a folder on PATH:',
    command: `sudo ln -sf ${shellQuote(bundled)} /usr/local/bin/${SIGNET_COMMAND}`,
  };
}

/** Where `signet` is on PATH and beside the app, and a hint when it is not on PATH. */
export async function cliStatus(lookup: CliLookup): Promise<CliStatus> {
  const env = lookup.env ?? process.env;
  const platform = lookup.platform ?? process.platform;
  const pathDirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':');
  const [onPath, bundled] = await Promise.all([
    findIn(pathDirs, platform, env),
    findIn(lookup.bundledDirs, platform, env),
  ]);
  return { onPath, bundled, hint: onPath ? null : pathHint(bundled, platform, env) };
}
