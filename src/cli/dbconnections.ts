/**
 * `signet signup` and `signet reset-password`: a database connection's sign-up and "Forgot
 * password" (spec §7) for scripts and machines without a desktop. The new password, like every
 * secret, comes from a no-echo prompt (asked twice) or `--password-stdin`, never a flag.
 */
import type { Settings } from '../shared/settings.js';
import { promptHidden, readStdin } from '../node/prompt.js';
import {
  COMMON,
  UsageError,
  need,
  parse,
  refuseSecretFlag,
  str,
  target,
  withCore,
  type Values,
} from './command.js';
import { EXIT, printJson, say } from './output.js';

/** The new password: stdin with --password-stdin, else typed twice on a terminal. */
async function newPassword(values: Values): Promise<string> {
  refuseSecretFlag(values, 'password', 'the prompt or --password-stdin');
  if (values['password-stdin']) return readStdin();
  if (!process.stdin.isTTY)
    throw new UsageError('no terminal to prompt for the password: use --password-stdin');
  const first = await promptHidden('New password: ');
  if ((await promptHidden('Repeat the password: ')) !== first)
    throw new UsageError('the two passwords differ: nothing was sent');
  return first;
}

/** `signet signup --connection <db> --email <e> [--username <u>] [--password-stdin]`. */
export async function signup(args: string[], settings: Settings): Promise<number> {
  const { values } = parse(args, {
    ...COMMON,
    connection: { type: 'string' },
    email: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  });
  const connection = need(values, 'connection');
  const email = need(values, 'email');
  const t = target(values, settings);
  const password = await newPassword(values);
  return withCore(
    settings,
    async (core) => {
      const username = str(values.username);
      const r = await core.signUp({
        ...t,
        connection,
        email,
        password,
        ...(username !== undefined ? { username } : {}),
      });
      if (values.json) printJson({ ok: true, ...r });
      else
        say(
          `Created ${r.email}${r.username ? ` (username ${r.username})` : ''} on ${connection}. Sign in with: signet login --connection ${connection} --username ${r.username ?? r.email}`,
        );
      return EXIT.ok;
    },
    false,
  );
}

/** `signet reset-password --connection <db> --email <e>`: the tenant emails a reset link. */
export async function resetPassword(args: string[], settings: Settings): Promise<number> {
  const { values } = parse(args, {
    ...COMMON,
    connection: { type: 'string' },
    email: { type: 'string' },
  });
  const connection = need(values, 'connection');
  const email = need(values, 'email');
  const t = target(values, settings);
  return withCore(
    settings,
    async (core) => {
      const r = await core.changePassword({ ...t, connection, email });
      if (values.json) printJson({ ok: true, message: r.message });
      else say(r.message);
      return EXIT.ok;
    },
    false,
  );
}
