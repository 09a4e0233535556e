/**
 * "Use from other tools": the git, kubectl and curl setup of the shown session, built from
 * the texts of src/shared/tool-setup.ts (the ones `signet setup` prints) with this account
 * filled in. Main builds them, so the page neither composes nor chooses what is copied; none
 * holds a secret (each asks `signet token` for the token when the tool runs).
 */
import type { ToolCommand, ToolName } from '../shared/ipc';
import type { SessionResult } from '../shared/session';
import {
  SIGNET_COMMAND,
  curlCommand,
  gitConfigLine,
  kubeconfigYaml,
  type ToolAccount,
} from '../shared/tool-setup';

/** Stand-ins for what Signet cannot know: the user's git server and the API they call. */
export const PLACEHOLDER_GIT_HOST = 'git.example.com';
export const PLACEHOLDER_API_URL = 'https://api.example.com/';
/** Where kubectl reads its configuration by default. */
const KUBECONFIG_FILE = '~/.kube/config';

/**
 * The account as `signet token` is told it: a tenant at the root of an https host is named by
 * its host (`acme.eu.auth0.com`, as users type it), any other by its URL without the slash.
 */
export function toolAccount(session: SessionResult): ToolAccount {
  let tenant = session.tenant.replace(/\/+$/, '');
  try {
    const url = new URL(session.tenant);
    if (url.protocol === 'https:' && url.pathname === '/') tenant = url.host;
  } catch {
    // Not a URL: pass it on as it is (core names the problem when the tool runs).
  }
  return { tenant, clientId: session.clientId, username: session.username };
}

/** The first exact host (not a `*.` pattern) of the `credentialHosts` setting, if any. */
export function gitHost(credentialHosts: readonly string[] | undefined): string | undefined {
  return credentialHosts?.find((h) => h && !h.includes('*'));
}

/** The three setups, in the order the view shows them. */
export function toolCommands(account: ToolAccount, host?: string): ToolCommand[] {
  const gitServer = host ?? PLACEHOLDER_GIT_HOST;
  return [
    {
      tool: 'git',
      label: 'git credential helper',
      text: gitConfigLine(gitServer, SIGNET_COMMAND, account),
      note: host
        ? `Run it once in a terminal: git then asks Signet for your token on ${host}.`
        : `Run it once in a terminal, with your git server in place of ${PLACEHOLDER_GIT_HOST} (IT lists it in credentialHosts).`,
      noteValues: host ? { host } : { placeholder: PLACEHOLDER_GIT_HOST },
    },
    {
      tool: 'kubectl',
      label: 'kubeconfig user',
      text: kubeconfigYaml(account),
      note: `Add this user to your kubeconfig (${KUBECONFIG_FILE}) and name it in your context: kubectl then asks Signet for the token.`,
      noteValues: { file: KUBECONFIG_FILE },
    },
    {
      tool: 'curl',
      label: 'curl with your token',
      text: curlCommand(account, PLACEHOLDER_API_URL),
      note: `Put the API you call in place of ${PLACEHOLDER_API_URL}; the token travels through a pipe, never on the command line.`,
      noteValues: { url: PLACEHOLDER_API_URL },
    },
  ];
}

/** The text of `tool` among `commands` (what `copyToolCommand` copies). */
export function commandText(commands: ToolCommand[], tool: ToolName): string | undefined {
  return commands.find((c) => c.tool === tool)?.text;
}
