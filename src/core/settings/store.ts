/**
 * Loading and saving settings: the user's file, overridden and locked field by field by the
 * machine-wide managed configuration IT deploys. Both are validated against the shared zod
 * schema; an invalid file fails with the field named, never silently ignored.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import {
  SettingsSchema,
  issueLine,
  issuePath,
  refusalText,
  type LoadedSettings,
  type LockedField,
  type ManagedIgnored,
  type Settings,
  type SettingsField,
  type SettingsPatch,
} from '../../shared/settings.js';
import { fail } from '../errors.js';
import type { SignInError } from '../../shared/errors.js';
import { readCaFile } from './ca-file.js';
import { managedTrustAt, type TrustOptions } from './managed-trust.js';
import { errorText, type ErrorText } from '../../shared/error-text.js';

/** Where the managed (IT) configuration lives on this OS, unless `SIGNET_CONFIG` names a file. */
export function managedConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.SIGNET_CONFIG ?? env.SIGNET_MANAGED_CONFIG;
  if (fromEnv) return fromEnv;
  switch (process.platform) {
    case 'win32':
      return join(env.ProgramData ?? 'C:\\ProgramData', 'Signet', 'config.json');
    case 'darwin':
      return '/Library/Application Support/Signet/config.json';
    default:
      return '/etc/signet/config.json';
  }
}

/** The user's settings file (`SIGNET_SETTINGS` overrides, for tests and portable installs). */
export function userSettingsPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SIGNET_SETTINGS) return env.SIGNET_SETTINGS;
  switch (process.platform) {
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Signet', 'settings.json');
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Signet', 'settings.json');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'signet', 'settings.json');
  }
}

const FileSchema = SettingsSchema.partial();

function readFile(path: string, which: 'user' | 'managed'): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail(fileError(path, errorText('errors.config.fileUnreadable', { which, path }), err));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    fail(fileError(path, errorText('errors.config.fileNotJson', { which, path }), err));
  }
  const r = FileSchema.safeParse(json);
  if (!r.success) throw invalid(path, which, r.error);
  // Keep only the keys the file actually holds (partial() + defaults would add the rest).
  const raw = json as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(raw)) out[k] = (r.data as Record<string, unknown>)[k];
  return out;
}

/** A settings file that cannot be used: names the file and, when there was one, the cause. */
function fileError(path: string, text: ErrorText, cause?: unknown): SignInError {
  return {
    code: 'config_invalid',
    ...text,
    detail: {
      file: path,
      ...(cause !== undefined
        ? { cause: cause instanceof Error ? cause.message : String(cause) }
        : {}),
    },
  };
}

/** A settings file's values refused: the first problem in the sentence, all of them in detail. */
function invalid(path: string, which: string, error: z.ZodError) {
  return fail({
    code: 'config_invalid',
    ...refusalText('errors.config.fileInvalid', error.issues, { which, path }),
    detail: {
      file: path,
      field: error.issues[0] ? issuePath(error.issues[0].path) : '(root)',
      issues: error.issues.map(issueLine),
    },
  });
}

/**
 * The managed configuration if there is one that only administrators can write
 * (managed-trust.ts); one anybody else could write is ignored, with the reason, before it is
 * even parsed.
 */
function readManaged(
  path: string,
  options?: TrustOptions,
): {
  managed?: Record<string, unknown>;
  ignored?: ManagedIgnored;
} {
  if (!existsSync(path)) return {};
  const trust = managedTrustAt(path, options);
  if (!trust.trusted) return { ignored: { path, reason: `Ignored: ${trust.reason}` } };
  const managed = readFile(path, 'managed');
  return managed ? { managed } : {};
}

/**
 * Loads the effective settings and the list of locked fields. `trust` says how the managed
 * file's owner and permissions are read (this machine's, unless a test injects another OS's).
 */
export function loadSettings(
  env: NodeJS.ProcessEnv = process.env,
  trust?: TrustOptions,
): LoadedSettings {
  const userFile = userSettingsPath(env);
  const managedPath = managedConfigPath(env);
  const user = readFile(userFile, 'user') ?? {};
  const { managed, ignored } = readManaged(managedPath, trust);
  const merged = { ...user, ...managed };
  const parsed = SettingsSchema.safeParse(merged);
  if (!parsed.success)
    throw invalid(managed ? managedPath : userFile, managed ? 'managed' : 'user', parsed.error);
  const settings: Settings = parsed.data;
  settings.device ??= hostname();
  const locked: LockedField[] = Object.keys(managed ?? {}).map((field) => ({
    field: field as SettingsField,
    source: managedPath,
    reason: `Set by your organisation's managed configuration (${managedPath}).`,
  }));
  return {
    settings,
    locked,
    userFile,
    managedFile: managed ? managedPath : undefined,
    connectionsNamed: 'connections' in user || (managed !== undefined && 'connections' in managed),
    ...(ignored ? { managedIgnored: ignored } : {}),
  };
}

/**
 * Saves a change to the user's file (a field set to `null` is removed, back to its default).
 * A field locked by the managed configuration is refused (`config_invalid` naming it). Nothing
 * is written unless the result is valid, a new CA file included (read, parsed and tried as a
 * TLS context first: a file that would stop the next launch never reaches the settings). The
 * user's file need not be valid beforehand: a save that clears or fixes the broken field is
 * how a user gets out of the error. The write is atomic (temp file + rename).
 */
export function saveSettings(
  patch: SettingsPatch,
  env: NodeJS.ProcessEnv = process.env,
): LoadedSettings {
  const userFile = userSettingsPath(env);
  const managedPath = managedConfigPath(env);
  const managed = readManaged(managedPath).managed ?? {};
  const refused = Object.keys(patch).filter((k) => k in managed);
  if (refused.length) {
    fail({
      code: 'config_invalid',
      ...errorText('errors.config.locked', {
        fields: refused.join(', '),
        count: refused.length,
      }),
      detail: { locked: refused, source: managedPath },
    });
  }
  const existing = readRawObject(userFile);
  const next: Record<string, unknown> = { ...existing, ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === null) delete next[key];
  const r = FileSchema.safeParse(next);
  if (!r.success) throw invalid(userFile, 'user', r.error);
  const parsed = r.data as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(next)) out[k] = parsed[k];
  if (typeof patch.caFile === 'string' && typeof out.caFile === 'string') readCaFile(out.caFile);
  mkdirSync(dirname(userFile), { recursive: true });
  const tmp = `${userFile}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(out, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, userFile);
  return loadSettings(env);
}

/**
 * The user's file as a plain JSON object, not checked against the schema (a save may be
 * fixing it); `{}` when there is none. Not JSON at all is still an error naming the file.
 */
function readRawObject(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    fail(fileError(path, errorText('errors.config.userFileNotJson', { path }), err));
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    fail(fileError(path, errorText('errors.config.userFileNotObject', { path })));
  return json as Record<string, unknown>;
}
