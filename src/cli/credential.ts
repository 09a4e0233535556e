/**
 * `signet credential git|docker …`: credential helpers that hand the remembered session's token
 * to git and Docker (spec §10), for the hosts listed in the `credentialHosts` setting only
 * (src/shared/credential-hosts.ts). They never prompt: they run under git or Docker, whose
 * stdin is the protocol, not the user.
 *
 * git (`credential.helper = !signet credential git`): git writes `key=value` lines ended by a
 * blank line or EOF. `get` answers `username=` and `password=` (the id_token) for a listed host
 * over https, and nothing for any other host, so git asks its other helpers. Plain `http` gets
 * nothing either: the token is a bearer credential, and on http anyone on the path may read and
 * replay it. When the host is listed but no token can be had (not signed in, refused refresh),
 * the helper prints nothing on stdout, one line on stderr (git shows it to the user) and exits
 * non-zero: git ignores a helper's exit code and goes on with its other helpers, then its prompt
 * (or fails when prompting is off), so the line is what tells the user why. `store` and `erase`
 * read their input and do nothing: the token lives in the keychain, renewed by Signet.
 *
 * Docker (`docker-credential-signet`, a one-line wrapper running `signet credential docker`):
 * `get` reads the server URL and answers `{"ServerURL","Username","Secret"}`; for a host that is
 * not listed (or no session) it prints Docker's own `credentials not found in native keychain`
 * on stdout and exits 1, which Docker reads as "no credentials here" (anonymous access).
 */
import { SignInFailure, signInAgain, type SignetCore, type TokenResult } from '../core/index.js';
import { askedHost, isCredentialHost } from '../shared/credential-hosts.js';
import { invalidInput, toSignInError, type SignInError } from '../shared/errors.js';
import type { Settings } from '../shared/settings.js';
import { terminalLine } from '../shared/untrusted-text.js';
import { SESSION, UsageError, parse, sessionTarget, withCore, type Values } from './command.js';
import { EXIT, exitCodeOf, printJson, say, warn } from './output.js';
import { renewalWarning } from './token.js';

/**
 * The most a helper reads from stdin (bytes). git's request is a few hundred bytes and Docker's a
 * URL; anything past this is not a credential request, and reading it all would let a runaway
 * writer fill memory.
 */
export const CREDENTIAL_INPUT_LIMIT = 64 * 1024;

/** The message Docker's client recognises as "this helper has no credentials for the server". */
export const DOCKER_NOT_FOUND = 'credentials not found in native keychain';

/** A request the helper will not read further (too long, malformed). */
class BadRequest extends Error {}

/**
 * Reads stdin up to `limit` bytes; with `untilBlankLine`, stops at the first empty line (git's
 * end of request) without waiting for EOF. Past the limit it stops reading and throws.
 */
async function readBounded(
  limit: number,
  untilBlankLine: boolean,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stdin) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      chunks.push(buf);
      size += buf.length;
      if (size > limit)
        throw new BadRequest(`the request is longer than ${limit} bytes; not read further`);
      if (untilBlankLine) {
        const text = Buffer.concat(chunks).toString('utf8');
        if (/(^|\n)\r?\n/.test(text)) break;
      }
    }
  } finally {
    (stdin as NodeJS.ReadStream).destroy?.();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * git's request as a map: `key=value` lines up to the first blank line; a line may end in CRLF,
 * as git's own reader allows (the CR is not part of the value). Keys git sends once
 * (`protocol`, `host`, `path`, `username`) may not repeat: git never does, and a second `host=`
 * is someone trying to make one line checked and another used. Array keys (`capability[]`,
 * `wwwauth[]`) are ignored. A line without `=` makes the request malformed, as it does for git.
 */
export function parseGitRequest(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n').map((l) => l.replace(/\r$/, ''))) {
    if (line === '') break;
    const at = line.indexOf('=');
    if (at <= 0) throw new BadRequest('a request line is not key=value');
    const key = line.slice(0, at);
    if (key.endsWith('[]')) continue;
    if (fields.has(key)) throw new BadRequest(`the request names ${key} twice`);
    fields.set(key, line.slice(at + 1));
  }
  return fields;
}

/**
 * A value fit for one line of git's protocol or Docker's JSON: not empty, and nothing
 * `terminalLine` would change (no line break that would start a forged `password=` line, no
 * control or bidi character). Refused, not cleaned: a changed user name names someone else.
 */
function protocolSafe(value: string): boolean {
  return value.length > 0 && terminalLine(value) === value && !value.includes('\t');
}

/** One line on stderr for the user who runs git or Docker, naming what to do. */
function tell(e: SignInError): void {
  warn(`signet: ${e.message}${e.hint ? ` (${e.hint})` : ''}`);
}

/**
 * The token for a helper, or the error to report: a token and user name that cannot travel in
 * the protocol are refused (`invalid_input`), never cut.
 */
async function tokenFor(
  core: SignetCore,
  values: Values,
  settings: Settings,
  username: string | undefined,
): Promise<TokenResult> {
  const r = await core.token({
    ...sessionTarget(values, settings),
    ...(username !== undefined ? { username } : {}),
  });
  if (!protocolSafe(r.username) || !/^[\x21-\x7e]+$/.test(r.token))
    throw new SignInFailure(
      invalidInput(
        'username',
        'the session’s user name or token holds a line break or control character, which the credential protocol cannot carry; not answered',
      ),
    );
  if (r.warning) warn(`signet: warning: ${renewalWarning(r)}`);
  return r;
}

/** Runs `fn` for a host the helper will answer; an error becomes one stderr line and its code. */
async function answering(
  settings: Settings,
  fn: (core: SignetCore) => Promise<void>,
  onError: () => void = () => {},
): Promise<number> {
  try {
    await withCore(settings, fn);
    return EXIT.ok;
  } catch (err) {
    const e = toSignInError(err);
    tell(e.code === 'not_signed_in' && !e.hint ? { ...e, hint: signInAgain({}) } : e);
    onError();
    return exitCodeOf(e);
  }
}

/** `signet credential git get|store|erase`. */
async function git(action: string, values: Values, settings: Settings): Promise<number> {
  let request: Map<string, string>;
  try {
    request = parseGitRequest(await readBounded(CREDENTIAL_INPUT_LIMIT, true));
  } catch (err) {
    if (!(err instanceof BadRequest)) throw err;
    warn(`signet: credential request refused: ${err.message}`);
    return EXIT.usage;
  }
  if (action !== 'get') return EXIT.ok; // store, erase: the keychain holds the session
  const host = request.get('host') ?? '';
  if (!isCredentialHost(settings.credentialHosts, host)) return EXIT.ok;
  const protocol = request.get('protocol');
  if (protocol !== 'https') {
    warn(
      `signet: no token for ${terminalLine(host)} over ${terminalLine(protocol ?? 'an unnamed protocol')}: only https keeps it private`,
    );
    return EXIT.ok;
  }
  return answering(settings, async (core) => {
    const r = await tokenFor(core, values, settings, request.get('username'));
    const expiry = r.expiresAt ? Math.floor(Date.parse(r.expiresAt) / 1000) : undefined;
    say(
      `username=${r.username}`,
      `password=${r.token}`,
      // git ≥ 2.41 drops it once expired instead of replaying it from a caching helper.
      ...(expiry !== undefined ? [`password_expiry_utc=${expiry}`] : []),
    );
  });
}

/**
 * Docker's server URL (`https://registry.corp.example/v1/`, `registry.corp.example:5000`) as the
 * `host[:port]` to match, or undefined for anything but https or a bare host (then: not found).
 */
export function dockerServerHost(serverUrl: string): string | undefined {
  const text = serverUrl.trim();
  if (!protocolSafe(text)) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return undefined;
  // The host as Docker wrote it (the URL parser has already folded other spellings onto one).
  const written = withScheme.slice(withScheme.indexOf('//') + 2).split(/[/?#]/)[0]!;
  return askedHost(written) ? written : undefined;
}

/** `signet credential docker get|store|erase|list`. */
async function docker(action: string, values: Values, settings: Settings): Promise<number> {
  let input: string;
  try {
    input = await readBounded(CREDENTIAL_INPUT_LIMIT, false);
  } catch (err) {
    if (!(err instanceof BadRequest)) throw err;
    warn(`signet: credential request refused: ${err.message}`);
    return EXIT.usage;
  }
  if (action === 'list') {
    printJson({});
    return EXIT.ok;
  }
  if (action !== 'get') return EXIT.ok; // store, erase: the keychain holds the session
  const serverUrl = input.trim();
  const host = dockerServerHost(serverUrl);
  const notFound = () => say(DOCKER_NOT_FOUND);
  if (host === undefined || !isCredentialHost(settings.credentialHosts, host)) {
    notFound();
    return EXIT.refused;
  }
  return answering(
    settings,
    async (core) => {
      const r = await tokenFor(core, values, settings, undefined);
      printJson({ ServerURL: serverUrl, Username: r.username, Secret: r.token });
    },
    notFound,
  );
}

const HELPERS = { git, docker } as const;
const ACTIONS: Record<keyof typeof HELPERS, readonly string[]> = {
  git: ['get', 'store', 'erase'],
  docker: ['get', 'store', 'erase', 'list'],
};

/**
 * `signet credential git|docker <action>` (the action last, as git and Docker append it).
 * `--tenant`, `--client-id` and `--username` pin the session; otherwise the default one.
 */
export async function credential(args: string[], settings: Settings): Promise<number> {
  const { values, positionals } = parse(args, SESSION, 2);
  const [tool, action] = positionals;
  if (tool !== 'git' && tool !== 'docker')
    throw new UsageError(
      'credential git get|store|erase, or credential docker get|store|erase|list',
    );
  // git: "if the helper receives any other operation, it should silently ignore the request".
  if (tool === 'git' && action && !ACTIONS.git.includes(action)) return EXIT.ok;
  if (!action || !ACTIONS[tool].includes(action))
    throw new UsageError(`credential ${tool} ${ACTIONS[tool].join('|')}`);
  return HELPERS[tool](action, values, settings);
}
