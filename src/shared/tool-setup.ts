/**
 * What an employee adds to their other tools to use their Signet sign-in: the git config line,
 * the kubeconfig user, the curl command. One place for these texts: `signet setup` prints them
 * and the desktop's "Use from other tools" shows them with copy buttons.
 */

/** Which remembered session a tool asks for (what `signet token` is told). */
export interface ToolAccount {
  /** The tenant as the user knows it (`acme.eu.auth0.com` or a URL). */
  tenant: string;
  clientId: string;
  username: string;
}

/** The command other tools run (the name on PATH; the installers put it there). */
export const SIGNET_COMMAND = 'signet';

/** POSIX-shell single quoting, so a username with spaces or quotes stays one argument. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `signet token`'s flags naming one session. */
export function accountArgs(a: ToolAccount): string[] {
  return ['--tenant', a.tenant, '--client-id', a.clientId, '--username', a.username];
}

/**
 * The helper command git runs (`!` = through the shell; git appends `get`, `store`, `erase`):
 * the default session, or `account`'s when given.
 */
export function gitHelperValue(command = SIGNET_COMMAND, account?: ToolAccount): string {
  const pin = account ? accountArgs(account).map(shellQuote) : [];
  return [`!${shellQuote(command)}`, 'credential', 'git', ...pin].join(' ');
}

/**
 * The `git config` calls (arguments after `git`) that make git ask Signet, and only Signet, for
 * credentials to `https://<host>` (`host` as in `credentialHosts`: a name, `*.corp.example`,
 * `:port`; git matches `*` to one label, as Signet does). git keys helpers by URL, so other hosts
 * keep their own helpers. The empty value first clears the helpers configured before it for
 * this URL (a global `credential.helper=store`, the OS keychain's): otherwise git would keep
 * Signet's token in those after each use (in plain text for `store`) and replay it once expired.
 */
export function gitConfigCommands(
  host: string,
  command = SIGNET_COMMAND,
  account?: ToolAccount,
): string[][] {
  const key = `credential.https://${host}.helper`;
  return [
    ['config', '--global', '--replace-all', key, ''],
    ['config', '--global', '--add', key, gitHelperValue(command, account)],
  ];
}

/**
 * The `git config` line for `host`, for a shell (one line, to copy): `gitConfigCommands`
 * quoted and joined with `&&`.
 */
export function gitConfigLine(
  host: string,
  command = SIGNET_COMMAND,
  account?: ToolAccount,
): string {
  return gitConfigCommands(host, command, account)
    .map((args) => ['git', ...args].map(shellQuote).join(' '))
    .join(' && ');
}

/** The kubeconfig `users[]` entry whose exec plugin asks Signet for the token. */
export function kubeconfigUser(a: ToolAccount, name = 'signet', command = SIGNET_COMMAND) {
  return {
    name,
    user: {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command,
        args: ['token', '--format', 'kubectl', ...accountArgs(a)],
        interactiveMode: 'Never',
        provideClusterInfo: false,
      },
    },
  };
}

/** The kubeconfig user as YAML lines (what `signet setup kubectl` prints). */
export function kubeconfigYaml(a: ToolAccount, name = 'signet', command = SIGNET_COMMAND): string {
  const u = kubeconfigUser(a, name, command);
  const q = (s: string) => JSON.stringify(s); // JSON strings are valid YAML scalars
  return [
    'users:',
    `- name: ${q(u.name)}`,
    '  user:',
    '    exec:',
    `      apiVersion: ${q(u.user.exec.apiVersion)}`,
    `      command: ${q(u.user.exec.command)}`,
    '      args:',
    ...u.user.exec.args.map((arg) => `      - ${q(arg)}`),
    `      interactiveMode: ${u.user.exec.interactiveMode}`,
    `      provideClusterInfo: false`,
    '',
  ].join('\n');
}

/** A curl call with the session's token in the Authorization header (read from stdin, not argv). */
export function curlCommand(a: ToolAccount, url: string, command = SIGNET_COMMAND): string {
  return `${[command, 'token', '--format', 'header', ...accountArgs(a)].map(shellQuote).join(' ')} | curl -H @- ${shellQuote(url)}`;
}
