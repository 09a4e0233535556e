/**
 * The plumbing every `signet` command shares: flag parsing, usage errors, the core a command
 * runs with, and which tenant, client and session a command is about. Each command lives in
 * the file named for it (index.ts holds the sign-in commands and the dispatcher).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SignetCore, Vault, keychainService, type KeepPolicy } from '../core/index.js';
import type { Settings } from '../shared/settings.js';
import { warn } from './output.js';

/** A command line that cannot run: printed with the usage, exit 2. */
export class UsageError extends Error {}

export const COMMON = {
  tenant: { type: 'string' },
  'client-id': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type Opts = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Opts>(args: string[], options: O, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (parsed.positionals.length > positionals)
    throw new UsageError(`unexpected argument: ${parsed.positionals[positionals]}`);
  return parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] };
}

export type Values = Record<string, string | boolean | undefined>;

export const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

export function need(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || !v.trim()) throw new UsageError(`--${name} is required`);
  return v;
}

/**
 * Runs `fn` with a core built from the settings files, and closes it after, whatever happens.
 * `vault` false: a core that never touches the keychain (the connection test keeps nothing);
 * otherwise `SIGNET_KEYCHAIN_SERVICE` isolates test runs.
 */
export async function withCore<T>(
  settings: Settings,
  fn: (core: SignetCore) => Promise<T>,
  vault = true,
): Promise<T> {
  const core = new SignetCore({
    settings,
    // One line on stderr: stdout may be what a tool reads (a token).
    onWarning: (w) => warn(`warning: ${w.message}${w.hint ? ` ${w.hint}` : ''}`),
    vault: vault ? new Vault(keychainService()) : null,
  });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

/** `--no-store`: this run's memory only; otherwise the keychain. */
export const keepOf = (values: Record<string, unknown>): KeepPolicy =>
  values['no-store'] ? 'memory' : 'keychain';

/** Fills --tenant / --client-id from settings; errors name the flag. */
export function target(
  values: Record<string, string | boolean | undefined>,
  settings: Settings,
  needTenant = true,
) {
  const tenant = str(values.tenant) ?? settings.tenant;
  const clientId = str(values['client-id']) ?? settings.clientId;
  if (needTenant && !tenant && !settings.useLocalTenant)
    throw new UsageError('--tenant is required (or set the tenant in settings)');
  return { ...(tenant ? { tenant } : {}), ...(clientId ? { clientId } : {}) };
}

/** The options of a command about the remembered session: which tenant, client and user. */
export const SESSION = { ...COMMON, username: { type: 'string' } } as const;

/** A remembered-session command's target, from its flags and the settings. */
export function sessionTarget(
  values: Record<string, string | boolean | undefined>,
  settings: Settings,
) {
  return {
    ...target(values, settings, false),
    ...(str(values.username) ? { username: str(values.username) } : {}),
  };
}

/**
 * A command about the remembered session: parses its flags (`SESSION` plus `extra`), then
 * runs `run` with a core and the session's target; the core is closed after.
 */
export function sessionCommand(
  extra: Opts,
  run: (core: SignetCore, t: ReturnType<typeof sessionTarget>, values: Values) => Promise<number>,
) {
  return (args: string[], settings: Settings): Promise<number> => {
    const { values } = parse(args, { ...SESSION, ...extra });
    return withCore(settings, (core) => run(core, sessionTarget(values, settings), values));
  };
}

/**
 * A secret given as a flag is refused, not used: argv is visible to every user of the machine
 * (`ps`, /proc) and kept in shell history and npm's debug log. Refusing (rather than warning)
 * means a script that still passes it fails once, loudly, instead of leaking every run.
 */
export function refuseSecretFlag(values: Values, flag: string, instead: string): void {
  if (values[flag] !== undefined)
    throw new UsageError(
      `--${flag} is not accepted: a secret on the command line is visible to other users (ps) and kept in shell history; use ${instead}`,
    );
}
