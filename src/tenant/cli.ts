/**
 * `npm run tenant` — the local tenant on the command line.
 *
 *   tenant [--port 4455] [--host 127.0.0.1] [--data-dir .tenant-data] [--config tenant.json]
 *          [--tls-cert cert.pem --tls-key key.pem] [--public-url https://lab.example/]
 *   tenant users add --email <e> [--username <u>] [--name <n>] [--blocked]   (password on stdin or prompted; see password-limit.ts)
 *   tenant users list [--json]
 *   tenant users import <auth0-export.json|.ndjson>
 *   tenant users block|unblock|delete|set-password <email|username|user_id>
 *   tenant users mfa <email|username|user_id> [--disable]                   (prints the TOTP secret)
 *   tenant keys rotate | keys list
 * The `users` commands take `--connection <name>` (default: the config's first database
 * connection) and work on the same `--data-dir`/`--config` as the server, running or not.
 *
 * With no arguments it serves the demo tenant on http://127.0.0.1:4455 with its state in
 * `.tenant-data/`, prints `Local tenant listening on <url>` once it accepts requests (then the
 * SMS outbox's and the reset emails' URLs with this start's key, when an outbox is on; or the
 * reset emails' webhook), and stops cleanly on
 * SIGINT/SIGTERM. A host other than loopback is refused unless TLS is given.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSecret, generateURI } from 'otplib';
import { demoConfig, loadTenantConfigFile, TenantConfigError, type TenantConfig } from './config';
import { DATABASE_FILE, parseUserExport, TenantDatabase } from './database';
import { KeyStore } from './keys';
import { isLocalHostName, isLoopbackHost } from '../node/loopback';
import { promptHidden, readStdin } from '../node/prompt';
import { PasswordTooLongError } from './password-limit';
import { MAX_PASSWORD_BYTES } from '../shared/signup-rules';
import { createTenant } from './server';

const USAGE = `Usage:
  npm run tenant -- [--port <p>] [--host <h>] [--data-dir <dir>] [--config <file>]
                    [--tls-cert <pem> --tls-key <pem>] [--public-url <url>]
  npm run tenant -- users add --email <e> [--username <u>] [--name <n>] [--blocked] [--connection <c>]
                    (the password is read from stdin, or prompted for; at most ${MAX_PASSWORD_BYTES} bytes, bcrypt's limit)
  npm run tenant -- users list [--json] [--connection <c>]
  npm run tenant -- users import <file> [--connection <c>]
  npm run tenant -- users block|unblock|delete|set-password <email|username|user_id> [--connection <c>]
  npm run tenant -- users mfa <email|username|user_id> [--disable]
  npm run tenant -- keys rotate|list
Common: --data-dir <dir> (default .tenant-data), --config <file> (default: the demo tenant)`;

class UsageError extends Error {}

const options = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'public-url': { type: 'string' },
  connection: { type: 'string' },
  email: { type: 'string' },
  username: { type: 'string' },
  name: { type: 'string' },
  blocked: { type: 'boolean' },
  disable: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof options; allowPositionals: true }>
>['values'];

function loadConfig(values: Values): TenantConfig {
  const config = values.config ? loadTenantConfigFile(resolve(values.config)) : demoConfig();
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port: not a port number: ${values.port}`);
    config.port = port;
  }
  if (values.host !== undefined) config.host = values.host;
  if (values['public-url'] !== undefined) {
    try {
      const u = new URL(values['public-url']);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    } catch {
      throw new UsageError(`--public-url: not an http(s) URL: ${values['public-url']}`);
    }
    config.publicUrl = values['public-url'];
  }
  return config;
}

async function serve(values: Values): Promise<void> {
  const config = loadConfig(values);
  const dataDir = resolve(values['data-dir'] ?? '.tenant-data');
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if (Boolean(certFile) !== Boolean(keyFile))
    throw new UsageError('--tls-cert and --tls-key go together');
  if (!certFile && !isLoopbackHost(config.host)) {
    throw new UsageError(
      `refusing to serve plain HTTP on ${config.host}: a tenant beyond loopback must use HTTPS (--tls-cert and --tls-key)`,
    );
  }
  const tls =
    certFile && keyFile ? { cert: readFileSync(certFile), key: readFileSync(keyFile) } : undefined;
  const tenant = await createTenant(config, {
    dataDir,
    log: (line) => console.log(line),
    ...(tls ? { tls } : {}),
  });
  console.log(`Local tenant listening on ${tenant.url}`);
  if (tenant.issuer !== `${tenant.url}/`) console.log(`Issuer: ${tenant.issuer}`);
  // The outbox's key is for the person at this console (see routes/outbox.ts), as the codes are.
  const outboxServed = !config.publicUrl || isLocalHostName(new URL(config.publicUrl).hostname);
  const smsOutbox = config.sms.provider.kind === 'outbox' && outboxServed;
  const emailOutbox = config.email.provider.kind === 'outbox' && outboxServed;
  if (smsOutbox) console.log(`SMS outbox (this machine only): ${tenant.url}/__outbox`);
  if (emailOutbox)
    console.log(`Reset emails (this machine only): ${tenant.url}/__outbox?email=<address>`);
  if (config.email.provider.kind === 'webhook')
    console.log(`Reset emails go to the webhook at ${new URL(config.email.provider.url).origin}`);
  // The key goes in a header read from stdin: in a URL or argv (`curl '…?key=…'`) it would show
  // in `ps` to every local user, and the key is what keeps the codes on this machine.
  if (smsOutbox || emailOutbox) {
    console.log(
      `Outbox key (send as Authorization: Bearer <key>, not in the URL): ${tenant.outboxKey}`,
    );
    console.log(
      `  e.g. curl -H @- ${tenant.url}/__outbox  then type Authorization: Bearer <key> and Ctrl+D`,
    );
  }
  console.log(`State in ${dataDir}. Ctrl+C stops it.`);

  let stopping = false;
  const stop = (signal: string) => {
    // A second signal (a process group's SIGTERM relayed again by tsx/npm) changes nothing.
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the local tenant`);
    // close() is bounded (LDAP timeouts, open sockets are cut); this is the last resort.
    setTimeout(() => {
      console.error('the local tenant did not stop within 10 s: exiting');
      process.exit(1);
    }, 10_000).unref();
    tenant.close().then(
      () => {
        console.log('Local tenant stopped');
        process.exit(0);
      },
      (err: unknown) => {
        console.error(`error while stopping: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Reads a password: the whole of stdin when piped, else a prompt (on stderr) that does not echo. */
function readPassword(prompt: string): Promise<string> {
  return process.stdin.isTTY ? promptHidden(prompt) : readStdin();
}

function databaseConnection(config: TenantConfig, name: string | undefined) {
  const dbs = config.connections.filter((c) => c.type === 'database');
  const conn = name ? dbs.find((c) => c.name === name) : dbs[0];
  if (!conn || conn.type !== 'database') {
    throw new UsageError(
      name
        ? `no database connection named "${name}" in the config`
        : 'the config has no database connection',
    );
  }
  return conn;
}

async function users(values: Values, args: string[]): Promise<void> {
  const config = loadConfig(values);
  const dataDir = resolve(values['data-dir'] ?? '.tenant-data');
  const [command, ref] = args;
  const db = new TenantDatabase(resolve(dataDir, DATABASE_FILE));
  try {
    const conn = databaseConnection(config, values.connection);
    const find = () => {
      if (!ref) throw new UsageError(`users ${command}: which user? (email, username or user_id)`);
      const user = db.resolve(ref, values.connection ? conn.name : undefined);
      if (!user) throw new UsageError(`no user ${ref}`);
      return user;
    };
    switch (command) {
      case 'add': {
        if (!values.email) throw new UsageError('users add needs --email');
        if (db.findByLogin(conn.name, values.email))
          throw new UsageError(`${values.email} exists already in ${conn.name}`);
        const password = await readPassword(`Password for ${values.email}: `);
        if (!password) throw new UsageError('empty password');
        const user = await db.createUser(
          {
            connection: conn.name,
            email: values.email,
            password,
            email_verified: true,
            ...(values.username ? { username: values.username } : {}),
            ...(values.name ? { name: values.name } : {}),
            blocked: values.blocked ?? false,
          },
          conn.bcryptCost,
        );
        console.log(`added ${user.user_id} ${values.email} to ${conn.name}`);
        return;
      }
      case 'list': {
        const list = db.listUsers(values.connection);
        if (values.json) {
          console.log(JSON.stringify(list, null, 2));
          return;
        }
        for (const u of list) {
          const who = u.email ?? u.username ?? u.phone_number ?? '';
          const flags = [u.blocked ? 'blocked' : '', u.mfa ? 'mfa' : ''].filter(Boolean).join(',');
          console.log(
            [u.user_id, u.connection, who, u.name ?? '', flags, `logins=${u.logins_count}`].join(
              '\t',
            ),
          );
        }
        console.log(`${list.length} user(s)`);
        return;
      }
      case 'import': {
        if (!ref) throw new UsageError('users import <file>');
        const records = parseUserExport(readFileSync(resolve(ref), 'utf8'));
        const result = db.importUsers(conn.name, records);
        for (const s of result.skipped)
          console.log(`skipped #${s.index}${s.email ? ` ${s.email}` : ''}: ${s.reason}`);
        console.log(
          `imported ${result.imported} user(s) into ${conn.name}, skipped ${result.skipped.length}`,
        );
        return;
      }
      case 'block':
      case 'unblock': {
        const user = find();
        db.setBlocked(user.user_id, command === 'block');
        console.log(
          `${command}ed ${user.user_id}${command === 'unblock' ? ' (brute-force blocks lifted)' : ''}`,
        );
        return;
      }
      case 'delete': {
        const user = find();
        db.deleteUser(user.user_id);
        console.log(`deleted ${user.user_id}`);
        return;
      }
      case 'set-password': {
        const user = find();
        const password = await readPassword(`New password for ${user.email ?? user.user_id}: `);
        if (!password) throw new UsageError('empty password');
        await db.setPassword(user.user_id, password, conn.bcryptCost);
        console.log(`password changed for ${user.user_id} (brute-force blocks lifted)`);
        return;
      }
      case 'mfa': {
        const user = find();
        if (values.disable) {
          db.setMfaSecret(user.user_id, null);
          console.log(`MFA disabled for ${user.user_id}`);
          return;
        }
        const secret = generateSecret();
        db.setMfaSecret(user.user_id, secret);
        console.log(`TOTP secret for ${user.email ?? user.user_id}: ${secret}`);
        console.log(
          generateURI({ issuer: 'Signet local tenant', label: user.email ?? user.user_id, secret }),
        );
        return;
      }
      default:
        throw new UsageError(`unknown users command: ${command ?? '(none)'}`);
    }
  } finally {
    db.close();
  }
}

async function keys(values: Values, args: string[]): Promise<void> {
  const config = loadConfig(values);
  const dataDir = resolve(values['data-dir'] ?? '.tenant-data');
  const store = await KeyStore.open(dataDir, { lifetimeSeconds: config.idTokenLifetime });
  switch (args[0]) {
    case 'rotate': {
      const kid = await store.rotate();
      console.log(
        `new signing key ${kid}; the previous key stays published for ${config.idTokenLifetime} s`,
      );
      return;
    }
    case 'list':
      for (const k of store.list()) {
        console.log(
          `${k.kid}\tcreated ${k.createdAt}${k.retiredAt ? `\tretired ${k.retiredAt}` : '\tcurrent'}${k.published ? '' : '\t(unpublished)'}`,
        );
      }
      return;
    default:
      throw new UsageError(`unknown keys command: ${args[0] ?? '(none)'}`);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options, allowPositionals: true, strict: true });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [command, ...rest] = positionals;
  if (command === undefined) return serve(values);
  if (command === 'users') return users(values, rest);
  if (command === 'keys') return keys(values, rest);
  throw new UsageError(`unknown command: ${command}`);
}

main().catch((err: unknown) => {
  if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`tenant: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (err instanceof TenantConfigError || err instanceof PasswordTooLongError) {
    console.error(`tenant: ${err.message}`);
    process.exit(2);
  }
  const code = (err as { code?: string }).code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    console.error(`tenant: cannot listen: ${(err as Error).message}`);
    process.exit(1);
  }
  console.error(`tenant: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
