/**
 * `signet` — Signet's sign-in core on the command line, for IT scripts and machines without a
 * desktop. Run as `npm run --silent signet -- <command>` (sources through tsx) or as the
 * package's `bin` (bin/signet.mjs). `signet help` lists the commands; the README documents
 * the `--json` shapes and exit codes (src/cli/output.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AccountsFileError,
  DEFAULT_MIN_VALID_SECONDS,
  SignInFailure,
  decodeToken,
  loadSettings,
  managedConfigPath,
  parseAccountsFile,
  reportMarkdown,
  reportText,
  runConnectionReport,
  tenantBaseUrl,
  type AccountEntry,
  type ReportAccount,
  type SessionResult,
} from '../core/index.js';
import { invalidInput, notSignedIn, toSignInError, type SignInError } from '../shared/errors.js';
import {
  ProtocolSchema,
  type ConnectionKind,
  type LoadedSettings,
  type Settings,
} from '../shared/settings.js';
import {
  COMMON,
  UsageError,
  keepOf,
  need,
  parse,
  refuseSecretFlag,
  sessionCommand,
  str,
  target,
  withCore,
  type Values,
} from './command.js';
import { credential } from './credential.js';
import { resetPassword, signup } from './dbconnections.js';
import { setup } from './setup.js';
import { EXIT, errorDocument, errorText, exitCodeOf, printJson, say, warn } from './output.js';
import { promptHidden, readStdin } from '../node/prompt.js';
import { isBuilt, isVersionCommand, versionLine } from './version.js';
import { token } from './token.js';
import { accounts, use } from './accounts.js';

const USAGE = `Usage: signet <command> [options]

  login   --tenant <domain|url> --client-id <id> --connection <name> --username <u>
          [--password-stdin] [--mfa-code-stdin] [--kind database|ad] [--scope <s>]
          [--device <d>] [--protocol legacy|modern|auto] [--no-store] [--json]
  sms start --tenant … --client-id … --phone <E.164> [--json]
  sms login --tenant … --client-id … --phone <E.164> [--code-stdin] [--scope <s>] [--no-store] [--json]
  signup  --tenant … --client-id … --connection <database> --email <e> [--username <u>]
          [--password-stdin] [--json]   create a database user (the new password is asked twice)
  reset-password --tenant … --client-id … --connection <database> --email <e> [--json]
          the tenant emails a password-reset link (same answer whether or not the account exists)
  whoami  [--tenant …] [--client-id …] [--username …] [--json]
  refresh [--reauth] [--tenant …] [--client-id …] [--username …] [--json]
          renew the remembered session (--reauth: with its id_token, no refresh token)
  userinfo [--tokeninfo] [--tenant …] [--client-id …] [--username …] [--json]
          the tenant's profile of the remembered session (--tokeninfo: its id_token's)
  logout  [--tenant …] [--client-id …] [--username …] [--json]
  token   [--tenant …] [--client-id …] [--username …] [--type id|access] [--min-valid <s>]
          [--target <client-id>] [--format token|json|header|kubectl]
          a valid token of the remembered session on stdout, renewed first when it expires within --min-valid (${DEFAULT_MIN_VALID_SECONDS})
  accounts [--json]   the remembered sessions (* the default)
  use     <username> [--tenant …] [--client-id …]   make that session the default
  decode  [- | <jwt>] [--json]   (the token from stdin: … | signet decode -)
  check   --tenant <domain|url> [--json]
  test-connection --tenant … --client-id … --connection <name> --accounts <file.csv|json>
          [--kind ad|database] [--json | --markdown]
  settings [--json]   the effective settings, which fields IT's managed configuration locks, and the files
  credential git get|store|erase   git's credential helper (credentialHosts only, https only)
  credential docker get|store|erase|list   Docker's (run as docker-credential-signet)
  setup   git [--host <h>] [--apply] [--tenant …] [--client-id …] [--username …] [--command <path>]
          the git config lines for a credentialHosts host (a named session pins the helper to it;
          --apply: lists the host and runs them)
  setup   kubectl [--tenant …] [--client-id …] [--username …] [--name <user>] [--command <path>]
          the kubeconfig users: entry whose exec plugin runs signet token (nothing is changed)
  --version, -v       Signet's version and the Node it runs on
  tenant  … (the local tenant: see \`signet tenant --help\`)

--tenant and --client-id default to the settings (user file and managed configuration).
Secrets never go on the command line (other users see it in ps; shells and npm log it):
the password, an SMS code and an authenticator code are read with a no-echo prompt, or from
stdin with --password-stdin / --code-stdin / --mfa-code-stdin (with --password-stdin too,
stdin's last line is the authenticator code and the lines before it the password).
Exit codes: 0 ok · 1 refused by the tenant · 2 usage/configuration · 3 network/server · 4 token verification failed.
test-connection: 0 every account with an expect did so · 1 some did not · 2 usage/file · 3 tenant unreachable.`;

const SIGN_IN = {
  ...COMMON,
  scope: { type: 'string' },
  device: { type: 'string' },
  protocol: { type: 'string' },
  'no-store': { type: 'boolean' },
} as const;

/** `--connection` and `--kind` of a password connection (database or AD). */
const PASSWORD_CONNECTION = {
  connection: { type: 'string' },
  kind: { type: 'string' },
} as const;

/** `--kind`: database or ad (SMS has its own command); `refusal` when it is anything else. */
function passwordKind(values: Values, refusal: string): ConnectionKind | undefined {
  const kind = str(values.kind);
  if (kind !== undefined && kind !== 'database' && kind !== 'ad') throw new UsageError(refusal);
  return kind;
}

function protocolOf(v: string | boolean | undefined) {
  if (v === undefined) return undefined;
  const r = ProtocolSchema.safeParse(v);
  if (!r.success)
    throw new UsageError(`--protocol must be legacy, modern or auto (got ${String(v)})`);
  return r.data;
}

function sessionDocument(r: SessionResult) {
  return {
    ok: true,
    tenant: r.tenant,
    clientId: r.clientId,
    connection: r.connection,
    username: r.username,
    protocol: r.protocol,
    profile: r.profile,
    claims: r.claims,
    verification: r.verification,
    expiresAt: r.expiresAt,
    stored: r.stored,
    ...(r.storeError ? { storeError: r.storeError } : {}),
    refreshable: r.refreshable,
    scope: r.scope,
    obtainedAt: r.obtainedAt,
    timings: r.timings,
  };
}

function printSession(r: SessionResult, json: boolean, verb: string): void {
  if (json) return printJson(sessionDocument(r));
  const who = r.profile.name ?? r.profile.email ?? r.username;
  const lines = [
    `${verb} ${who} (${r.profile.sub}) at ${r.tenant} via ${r.connection.name} [${r.protocol}]`,
    `verification: ${r.verification.status}${r.verification.alg ? ` ${r.verification.alg}` : ''}${r.verification.kid ? ` kid=${r.verification.kid}` : ''}${r.verification.reason ? ` — ${r.verification.reason}` : ''}`,
    `expires: ${r.expiresAt ?? 'unknown'}`,
    `stored: ${r.stored}${r.storeError ? ` (${r.storeError.message})` : ''}`,
    'claims:',
    ...r.claims.map((c) => `  ${c.label.padEnd(22)} ${c.formatted}`),
    `time: ${r.timings.totalMs} ms`,
  ];
  say(...lines);
}

/**
 * The password and, with --mfa-code-stdin, the authenticator code. Both on stdin: the last
 * line is the code (digits, never a newline) and everything before it the password.
 */
async function readPasswordAndCode(
  values: Record<string, string | boolean | undefined>,
): Promise<{ password: string; mfaCode?: string }> {
  const codeStdin = Boolean(values['mfa-code-stdin']);
  if (values['password-stdin'] && codeStdin) {
    const text = await readStdin();
    const cut = text.lastIndexOf('\n');
    if (cut < 0)
      throw new UsageError(
        'with --password-stdin and --mfa-code-stdin, stdin holds the password, a newline, then the code',
      );
    return { password: text.slice(0, cut).replace(/\r$/, ''), mfaCode: text.slice(cut + 1) };
  }
  if (codeStdin)
    throw new UsageError('--mfa-code-stdin needs --password-stdin (or leave both out to be asked)');
  if (values['password-stdin']) return { password: await readStdin() };
  if (!process.stdin.isTTY)
    throw new UsageError('no terminal to prompt for the password: use --password-stdin');
  return { password: await promptHidden('Password: ') };
}

/** The SMS code: from stdin with --code-stdin, else a no-echo prompt on a terminal. */
async function readCode(values: Record<string, string | boolean | undefined>): Promise<string> {
  if (values['code-stdin']) return readStdin();
  if (!process.stdin.isTTY)
    throw new UsageError('no terminal to prompt for the code: use --code-stdin');
  return promptHidden('Code from the text message: ');
}

async function login(args: string[], settings: Settings): Promise<number> {
  const { values } = parse(args, {
    ...SIGN_IN,
    ...PASSWORD_CONNECTION,
    username: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    'mfa-code-stdin': { type: 'boolean' },
    'mfa-code': { type: 'string' },
    password: { type: 'string' },
  });
  refuseSecretFlag(values, 'password', 'the prompt or --password-stdin');
  refuseSecretFlag(values, 'mfa-code', 'the prompt or --mfa-code-stdin');
  const connection = need(values, 'connection');
  const username = need(values, 'username');
  const kind = passwordKind(values, '--kind must be database or ad (SMS: use `signet sms`)');
  const t = target(values, settings);
  if (t.tenant) tenantBaseUrl(t.tenant); // refuse a bad or plain-http tenant before asking for the password
  const protocol = protocolOf(values.protocol);
  const { password, mfaCode } = await readPasswordAndCode(values);
  return withCore(settings, async (core) => {
    const request = {
      ...t,
      connection,
      username,
      password,
      ...(kind ? { kind } : {}),
      ...(str(values.scope) ? { scope: str(values.scope) } : {}),
      ...(str(values.device) ? { device: str(values.device) } : {}),
      ...(protocol ? { protocol } : {}),
      ...(mfaCode ? { mfaCode } : {}),
      keep: keepOf(values),
    };
    let result: SessionResult;
    try {
      result = await core.signIn(request);
    } catch (err) {
      const e = toSignInError(err);
      // Interactive MFA: ask for the code and send it along, once.
      if (
        /mfa_required$/.test(e.code) &&
        !request.mfaCode &&
        process.stdin.isTTY &&
        !values['password-stdin'] &&
        !values['mfa-code-stdin']
      ) {
        const code = await promptHidden('Authenticator code: ');
        result = await core.signIn({ ...request, mfaCode: code });
      } else throw err;
    }
    printSession(result, Boolean(values.json), 'Signed in as');
    return EXIT.ok;
  });
}

async function sms(args: string[], settings: Settings): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'start') {
    const { values } = parse(rest, {
      ...COMMON,
      phone: { type: 'string' },
      connection: { type: 'string' },
    });
    const phone = need(values, 'phone');
    return withCore(settings, async (core) => {
      const r = await core.startSms({
        ...target(values, settings),
        phone,
        ...(str(values.connection) ? { connection: str(values.connection) } : {}),
      });
      if (values.json) printJson({ ok: true, phone: r.phone, sentAt: r.sentAt });
      else
        say(
          `A code was sent to ${r.phone}. Then: signet sms login --phone ${r.phone} (the code is asked for, or read from stdin with --code-stdin)`,
        );
      return EXIT.ok;
    });
  }
  if (sub === 'login') {
    const { values } = parse(rest, {
      ...SIGN_IN,
      phone: { type: 'string' },
      code: { type: 'string' },
      'code-stdin': { type: 'boolean' },
      connection: { type: 'string' },
    });
    refuseSecretFlag(values, 'code', 'the prompt or --code-stdin');
    const phone = need(values, 'phone');
    const t = target(values, settings);
    if (t.tenant) tenantBaseUrl(t.tenant); // refuse a bad tenant before asking for the code
    const protocol = protocolOf(values.protocol);
    const code = await readCode(values);
    return withCore(settings, async (core) => {
      const r = await core.signInWithSms({
        ...t,
        phone,
        code,
        ...(str(values.connection) ? { connection: str(values.connection) } : {}),
        ...(str(values.scope) ? { scope: str(values.scope) } : {}),
        ...(str(values.device) ? { device: str(values.device) } : {}),
        ...(protocol ? { protocol } : {}),
        keep: keepOf(values),
      });
      printSession(r, Boolean(values.json), 'Signed in as');
      return EXIT.ok;
    });
  }
  throw new UsageError('sms start|login');
}

const whoami = sessionCommand({}, async (core, t, values) => {
  const r = await core.restore(t);
  if (!r) {
    const e = notSignedIn('Not signed in (no remembered session).');
    if (values.json) printJson(errorDocument(e));
    else warn(...errorText(e));
    return EXIT.refused;
  }
  printSession(r, Boolean(values.json), 'Signed in as');
  return EXIT.ok;
});

/**
 * `signet refresh`: renews the remembered session without the password — with its refresh
 * token (`/delegation` or the modern refresh grant), or with `--reauth` by the jwt-bearer
 * grant (the stored id_token and device), for tenants that issue no refresh token.
 */
const refresh = sessionCommand({ reauth: { type: 'boolean' } }, async (core, t, values) => {
  const r = values.reauth ? await core.reauthenticate(t) : await core.refresh(t);
  printSession(r, Boolean(values.json), 'Renewed the session of');
  return EXIT.ok;
});

/**
 * `signet userinfo`: the remembered session's profile as the tenant holds it (`/userinfo`
 * with the access token), or with `--tokeninfo` the tenant's own reading of the id_token
 * (`/tokeninfo`, legacy) — how IT sees what the tenant, not the token, says about a user.
 */
const userinfo = sessionCommand({ tokeninfo: { type: 'boolean' } }, async (core, t, values) => {
  const profile = values.tokeninfo ? await core.tokeninfo(t) : await core.userinfo(t);
  if (values.json) printJson({ ok: true, profile });
  else
    say(
      ...Object.entries(profile).map(
        ([k, v]) => `${k.padEnd(22)} ${typeof v === 'string' ? v : JSON.stringify(v)}`,
      ),
    );
  return EXIT.ok;
});

const logout = sessionCommand({}, async (core, t, values) => {
  const r = await core.signOut(t);
  if (values.json) printJson({ ok: true, ...r });
  else if (r.deleted === 0 && !r.revoked) say('No remembered session.');
  else
    say(
      `Signed out: ${r.deleted} keychain entr${r.deleted === 1 ? 'y' : 'ies'} deleted; refresh token ${r.revoked ? 'revoked' : r.revokeError ? `not revoked (${r.revokeError.message})` : 'none'}.`,
    );
  return EXIT.ok;
});

async function decode(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { json: { type: 'boolean' }, help: { type: 'boolean' } },
    1,
  );
  let jwt = positionals[0];
  if (!jwt && process.stdin.isTTY) throw new UsageError('decode -  (the token on stdin)');
  if (!jwt || jwt === '-') jwt = (await readStdin()).trim();
  // Kept for pasted test tokens, but a live token in argv is readable by every user (ps).
  else
    warn(
      'warning: a token on the command line is visible to other users (ps) and kept in shell history; pipe it: … | signet decode -',
    );
  const d = decodeToken(jwt);
  if (values.json)
    printJson({
      ok: true,
      header: d.header,
      payload: d.payload,
      claims: d.claims,
      expiresAt: d.expiresAt,
    });
  else {
    say(
      `header: ${JSON.stringify(d.header)}`,
      ...d.claims.map((c) => `  ${c.label.padEnd(22)} ${c.formatted}`),
      '(decoded only: the signature was not checked)',
    );
  }
  return EXIT.ok;
}

async function check(args: string[], settings: Settings): Promise<number> {
  const { values } = parse(args, COMMON);
  return withCore(settings, async (core) => {
    const report = await core.check(target(values, settings));
    if (values.json) printJson({ ...report, ok: report.ok });
    else {
      say(`Checking ${report.tenant}`);
      for (const s of report.steps)
        say(
          `  ${s.ok ? (s.skipped ? '–' : '✓') : '✗'} ${s.name.padEnd(21)} ${String(s.ms).padStart(8)} ms  ${s.summary}`,
        );
      const chain = report.steps.find((s) => s.name === 'tls')?.detail?.chain as
        Array<{ subject: string; issuer: string; validTo: string }> | undefined;
      for (const [i, c] of (chain ?? []).entries())
        say(`    cert[${i}] ${c.subject} ← ${c.issuer} (until ${c.validTo})`);
      say(report.ok ? 'All checks passed.' : 'Some checks failed.');
    }
    return report.ok ? EXIT.ok : EXIT.network;
  });
}

const fileError = (file: string, message: string): SignInFailure =>
  new SignInFailure(
    invalidInput('accounts', `${basename(file)}: ${message}`, {
      hint: 'The accounts file is CSV with the header username,password,expect,note, or a JSON array.',
      detail: { file },
    }),
  );

/** Reads and parses the accounts file; every problem is an `invalid_input` naming the file. */
function readAccounts(file: string): AccountEntry[] {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw fileError(
      file,
      code === 'ENOENT'
        ? 'no such file'
        : `cannot be read (${code ?? (err instanceof Error ? err.message : String(err))})`,
    );
  }
  try {
    return parseAccountsFile(file, text);
  } catch (err) {
    if (err instanceof AccountsFileError) throw fileError(file, err.message);
    throw err;
  }
}

/** Passwords missing from the file, asked for one by one on a terminal (no echo). */
async function fillPasswords(entries: AccountEntry[], file: string): Promise<ReportAccount[]> {
  const missing = entries.filter((e) => !e.password);
  const where = (e: AccountEntry) => `${/\.json$/i.test(file) ? 'item' : 'line'} ${e.line}`;
  if (missing.length && !process.stdin.isTTY)
    throw new UsageError(
      `${basename(file)}: no password for ${missing.length === 1 ? 'the account' : 'the accounts'} at ${missing
        .map((e) => `${where(e)} (${e.username})`)
        .join(', ')}, and no terminal to ask on: put the passwords in the file`,
    );
  const out: ReportAccount[] = [];
  for (const e of entries) {
    const password =
      e.password ?? (await promptHidden(`Password for ${e.username} (${where(e)}): `));
    out.push({
      username: e.username,
      password,
      ...(e.expect ? { expect: e.expect } : {}),
      ...(e.note ? { note: e.note } : {}),
    });
  }
  return out;
}

/** `signet test-connection`: the connection report (src/core/connection-report.ts). */
async function testConnection(args: string[], settings: Settings): Promise<number> {
  const { values } = parse(args, {
    ...COMMON,
    ...PASSWORD_CONNECTION,
    accounts: { type: 'string' },
    markdown: { type: 'boolean' },
    password: { type: 'string' },
  });
  if (values.password !== undefined)
    throw new UsageError(
      'a password is never accepted as a flag: put it in the accounts file or leave it out to be asked',
    );
  if (values.json && values.markdown) throw new UsageError('choose one of --json and --markdown');
  const connection = need(values, 'connection');
  const file = need(values, 'accounts');
  const kind = passwordKind(values, '--kind must be ad or database');
  const t = target(values, settings);
  if (t.tenant) tenantBaseUrl(t.tenant); // refuse a bad tenant before asking for passwords
  const entries = readAccounts(file);
  warnIfReadable(file, entries);
  const accounts = await fillPasswords(entries, file);
  // The report keeps nothing, so it never needs the keychain.
  const progress = process.stderr.isTTY && !values.json;
  return withCore(
    settings,
    async (core) => {
      const report = await runConnectionReport(core, {
        ...t,
        connection,
        ...(kind ? { kind } : {}),
        accounts,
        ...(progress
          ? {
              onAccount: (_row, done, total) =>
                process.stderr.write(done < total ? `\r  tested ${done}/${total}…` : '\r\x1b[K'),
            }
          : {}),
      });
      const ok = report.summary.mismatched === 0;
      if (values.json) printJson({ ok, ...report });
      // Both formatters flatten every value to one line, so splitting on \n splits only theirs.
      else if (values.markdown) say(...reportMarkdown(report).replace(/\n$/, '').split('\n'));
      else say(...reportText(report).split('\n'));
      return ok ? EXIT.ok : EXIT.refused;
    },
    false,
  );
}

/** A file holding passwords that other users can read gets a warning (POSIX modes only). */
function warnIfReadable(file: string, entries: AccountEntry[]): void {
  if (process.platform === 'win32' || !entries.some((e) => e.password)) return;
  try {
    if (statSync(file).mode & 0o044)
      warn(
        `warning: ${basename(file)} holds passwords and other users can read it (chmod 600 ${file})`,
      );
  } catch {
    // Already read once; a race here is not worth failing for.
  }
}

/** Hands `signet tenant …` to the local tenant's own CLI (src/tenant/cli.ts), run from source. */
function tenant(args: string[]): Promise<number> {
  const cli = fileURLToPath(new URL('../tenant/cli.ts', import.meta.url));
  if (!existsSync(cli)) {
    warn(
      'error: the local tenant is not part of this installation (it ships with the source only).',
    );
    return Promise.resolve(EXIT.usage);
  }
  let loader: string;
  try {
    loader = import.meta.resolve('tsx');
  } catch {
    warn('error: running the local tenant needs the dev dependency tsx (npm ci).');
    return Promise.resolve(EXIT.usage);
  }
  // node:child_process on use only: loading it costs every `signet` start a few ms.
  const { spawn } = process.getBuiltinModule('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', loader, cli, ...args], { stdio: 'inherit' });
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + 2 : 1)));
  });
}

/** `signet settings`: what is in force and what IT locked — how IT checks a deployment. */
function showSettings(args: string[], loaded: LoadedSettings): number {
  const { values } = parse(args, { json: { type: 'boolean' } });
  if (values.json) {
    printJson({ ok: true, ...loaded });
    return EXIT.ok;
  }
  const lockedBy = new Map(loaded.locked.map((l) => [l.field, l]));
  say(`User settings:          ${loaded.userFile}`);
  say(
    `Managed configuration:  ${loaded.managedFile ?? (loaded.managedIgnored ? `${loaded.managedIgnored.path} (${loaded.managedIgnored.reason})` : `none (${managedConfigPath()} absent)`)}`,
  );
  for (const [field, value] of Object.entries(loaded.settings)) {
    const lock = lockedBy.get(field as keyof Settings);
    say(
      `${lock ? '🔒' : '  '} ${field.padEnd(15)} ${JSON.stringify(value) ?? '(not set)'}${lock ? '  (locked by the managed configuration)' : ''}`,
    );
  }
  return EXIT.ok;
}

/** The commands that run on the effective settings, by name. */
const COMMANDS: Record<string, (args: string[], settings: Settings) => Promise<number>> = {
  login,
  sms,
  signup,
  'reset-password': resetPassword,
  whoami,
  refresh,
  userinfo,
  logout,
  check,
  'test-connection': testConnection,
  token,
  accounts,
  use,
  credential,
  setup,
};

/** Runs one command line; resolves with the exit code. Exported for tests and bin/. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const [command, ...args] = argv;
  const json = argv.includes('--json');
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      say(...USAGE.split('\n'));
      return command ? EXIT.ok : EXIT.usage;
    }
    if (isVersionCommand(command)) {
      say(versionLine());
      return EXIT.ok;
    }
    if (command === 'tenant') return await tenant(args);
    if (command === 'decode') return await decode(args);
    if (args.includes('--help') || args.includes('-h')) {
      say(...USAGE.split('\n'));
      return EXIT.ok;
    }
    const loaded = loadSettings();
    if (command === 'settings') return showSettings(args, loaded);
    // Own keys only: `signet toString` is an unknown command, not Object.prototype's.
    if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command: ${command}`);
    return await COMMANDS[command]!(args, loaded.settings);
  } catch (err) {
    const e: SignInError =
      err instanceof UsageError
        ? { code: 'usage', message: err.message, hint: 'signet help' }
        : toSignInError(err);
    if (json) printJson(errorDocument(e));
    else {
      warn(...errorText(e));
      if (err instanceof UsageError) warn('', ...USAGE.split('\n'));
    }
    return exitCodeOf(e);
  }
}

// From the sources only: the built bundle has its own entry that runs main (scripts/build-cli.mjs).
const invokedDirectly = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (!isBuilt() && (invokedDirectly || process.env.SIGNET_CLI_MAIN === '1')) {
  main().then((code) => {
    process.exitCode = code;
  });
}
