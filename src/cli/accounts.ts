/**
 * `signet accounts` lists the remembered sessions; `signet use <username>` makes one of them
 * the default that `token`, `whoami` and the credential helpers use when told no user.
 */
import type { Account } from '../core/index.js';
import type { Settings } from '../shared/settings.js';
import { COMMON, UsageError, parse, target, withCore } from './command.js';
import { EXIT, printJson, say } from './output.js';

function accountDocument(a: Account) {
  return {
    tenant: a.tenant,
    clientId: a.clientId,
    username: a.username,
    connection: a.connection,
    kind: a.kind,
    obtainedAt: a.obtainedAt,
    expiresAt: a.expiresAt ?? null,
    stored: a.stored,
    default: Boolean(a.isDefault),
  };
}

/** `signet accounts [--json]`: tenant, user, connection, expiry; `*` marks the default. */
export async function accounts(args: string[], settings: Settings): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' }, help: { type: 'boolean' } });
  return withCore(settings, async (core) => {
    const list = await core.accounts();
    if (values.json) {
      printJson({ ok: true, accounts: list.map(accountDocument) });
      return EXIT.ok;
    }
    if (!list.length) {
      say('No remembered sessions. Sign in with signet login (or open Signet).');
      return EXIT.ok;
    }
    for (const a of list)
      say(
        `${a.isDefault ? '*' : ' '} ${a.username}  ${a.tenant}  ${a.clientId}  ${a.connection}  expires ${a.expiresAt ?? 'unknown'}${a.stored === 'memory' ? '  (memory only)' : ''}`,
      );
    if (list.some((a) => a.isDefault)) say('(* the default: signet use <username> changes it)');
    return EXIT.ok;
  });
}

/** `signet use <username> [--tenant …] [--client-id …] [--json]`: the default session. */
export async function use(args: string[], settings: Settings): Promise<number> {
  const { values, positionals } = parse(args, COMMON, 1);
  const username = positionals[0] ?? '';
  if (!username.trim())
    throw new UsageError('use <username>: name the account to make the default');
  return withCore(settings, async (core) => {
    const a = await core.useAccount({ ...target(values, settings, false), username });
    if (values.json) printJson({ ok: true, account: accountDocument(a) });
    else say(`${a.username} at ${a.tenant} (${a.clientId}) is now the default session.`);
    return EXIT.ok;
  });
}
