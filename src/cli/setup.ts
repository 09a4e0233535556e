/**
 * `signet setup git|kubectl`: prints exactly what to add to git's config or a kubeconfig so the
 * tool asks Signet for the token (texts: src/shared/tool-setup.ts, shared with the desktop's
 * "Use from other tools"). Changes nothing, except `setup git --apply`, which runs those
 * `git config` lines (execFile, no shell) and adds the host to the user's `credentialHosts`.
 */
import { promisify } from 'node:util';
import {
  SignInFailure,
  loadSettings,
  saveSettings,
  tenantBaseUrl,
  type Account,
  type SignetCore,
} from '../core/index.js';
import {
  formatHostPattern,
  hostMatches,
  parseHostPattern,
  type HostPattern,
} from '../shared/credential-hosts.js';
import { englishText } from '../shared/error-text.js';
import { configInvalid, notSignedIn } from '../shared/errors.js';
import type { Settings } from '../shared/settings.js';
import {
  SIGNET_COMMAND,
  gitConfigCommands,
  kubeconfigYaml,
  shellQuote,
  type ToolAccount,
} from '../shared/tool-setup.js';
import {
  SESSION,
  UsageError,
  parse,
  sessionTarget,
  str,
  withCore,
  type Values,
} from './command.js';
import { EXIT, say, warn } from './output.js';

const SETUP = {
  ...SESSION,
  host: { type: 'string' },
  apply: { type: 'boolean' },
  /** The command the tool runs, when `signet` is not on PATH (a full path). */
  command: { type: 'string' },
  /** The kubeconfig user's name (default `signet`). */
  name: { type: 'string' },
} as const;

/** `--host`, or every `credentialHosts` entry; each as a parsed pattern. */
function hostsOf(values: Values, settings: Settings): HostPattern[] {
  const given = str(values.host);
  const entries = given !== undefined ? [given] : settings.credentialHosts;
  if (!entries.length)
    throw new UsageError('--host is required (or list hosts in the credentialHosts setting)');
  return entries.map((e) => {
    const p = parseHostPattern(e);
    if (typeof p === 'string')
      throw new UsageError(`--host ${englishText(p, { entry: JSON.stringify(e) })}`);
    return p;
  });
}

/** Whether `credentialHosts` already covers `p`: the same entry, or a wildcard over the name. */
const listed = (settings: Settings, p: HostPattern) =>
  settings.credentialHosts.includes(formatHostPattern(p)) ||
  (!p.wildcard &&
    settings.credentialHosts.some((e) => {
      const q = parseHostPattern(e);
      return typeof q !== 'string' && hostMatches(q, p);
    }));

/** `signet setup git`: the git config lines per host; with `--apply`, runs them. */
async function setupGit(values: Values, settings: Settings): Promise<number> {
  const command = str(values.command) ?? SIGNET_COMMAND;
  const hosts = hostsOf(values, settings);
  // Naming a session pins the helper to it; otherwise git gets the default session's token.
  const pinned = ['tenant', 'client-id', 'username'].some((k) => values[k] !== undefined);
  const account = pinned
    ? await withCore(settings, (core) => accountFor(core, values, settings))
    : undefined;
  if (!values.apply) {
    for (const p of hosts) {
      const host = formatHostPattern(p);
      for (const args of gitConfigCommands(host, command, account))
        say(['git', ...args].map(shellQuote).join(' '));
      if (!listed(settings, p))
        warn(
          `note: Signet answers git only for hosts in credentialHosts; add ${host} (signet setup git --host ${host} --apply does both)`,
        );
    }
    return EXIT.ok;
  }
  const loaded = loadSettings();
  const missing = hosts.filter((p) => !listed(loaded.settings, p)).map(formatHostPattern);
  if (missing.length) {
    const lock = loaded.locked.find((l) => l.field === 'credentialHosts');
    // Pointing git at Signet for a host Signet will not answer would only break git's sign-in.
    if (lock)
      throw new SignInFailure(
        configInvalid(
          'credentialHosts',
          `credentialHosts is set by your organisation (${lock.source}) and does not list ${missing.join(', ')}; nothing was changed.`,
          { hint: 'ask IT to add the host to the managed configuration' },
        ),
      );
    saveSettings({ credentialHosts: [...loaded.settings.credentialHosts, ...missing] });
    say(`Added ${missing.join(', ')} to credentialHosts (${loaded.userFile}).`);
  }
  // node:child_process on use only: loading it costs every `signet` start a few ms.
  const run = promisify(process.getBuiltinModule('node:child_process').execFile);
  for (const p of hosts)
    for (const args of gitConfigCommands(formatHostPattern(p), command, account)) {
      try {
        await run('git', args, { timeout: 30_000 });
      } catch (err) {
        const e = err as { code?: unknown; stderr?: string };
        throw new SignInFailure(
          configInvalid(
            'git',
            e.code === 'ENOENT'
              ? 'git is not installed (or not on PATH).'
              : `git ${args.join(' ')} failed: ${(e.stderr ?? String(err)).trim()}`,
          ),
        );
      }
      say(`Ran: ${['git', ...args].map(shellQuote).join(' ')}`);
    }
  return EXIT.ok;
}

/**
 * The account a kubeconfig names: the remembered session that matches the flags and settings
 * (the default session if it matches, else the newest); `not_signed_in` when there is none.
 */
async function accountFor(core: SignetCore, values: Values, settings: Settings) {
  const t = sessionTarget(values, settings);
  const base = (tenant: string) => tenantBaseUrl(tenant).href;
  const matches = (a: Account) =>
    (!t.tenant || base(t.tenant) === base(a.tenant)) &&
    (!t.clientId || t.clientId === a.clientId) &&
    (!t.username || t.username === a.username);
  const list = (await core.accounts()).filter(matches);
  const found = list.find((a) => a.isDefault) ?? list[0];
  if (!found)
    throw new SignInFailure(
      notSignedIn('No remembered session to set kubectl up with.', {
        ...(t.tenant ? { tenant: t.tenant } : {}),
      }),
    );
  return { tenant: found.tenant, clientId: found.clientId, username: found.username };
}

/** `signet setup kubectl`: the kubeconfig `users[]` entry whose exec plugin runs `signet token`. */
async function setupKubectl(values: Values, settings: Settings): Promise<number> {
  if (values.apply)
    throw new UsageError(
      '--apply is for git only: add the printed user to your kubeconfig yourself',
    );
  if (values.host !== undefined) throw new UsageError('--host is for `signet setup git`');
  const name = str(values.name) ?? 'signet';
  const command = str(values.command) ?? SIGNET_COMMAND;
  const account: ToolAccount = await withCore(settings, (core) =>
    accountFor(core, values, settings),
  );
  say(...kubeconfigYaml(account, name, command).replace(/\n$/, '').split('\n'));
  warn(
    `note: add this under users: in your kubeconfig, and set user: ${JSON.stringify(name)} in the context of each cluster that accepts your Signet sign-in`,
  );
  return EXIT.ok;
}

/** `signet setup git|kubectl [options]`. */
export async function setup(args: string[], settings: Settings): Promise<number> {
  const { values, positionals } = parse(args, SETUP, 1);
  if (positionals[0] === 'git') return setupGit(values, settings);
  if (positionals[0] === 'kubectl') return setupKubectl(values, settings);
  throw new UsageError('setup git [--host <h>] [--apply] | setup kubectl');
}
