/**
 * `signet token`: a valid token of a remembered session on stdout, for another tool — the way
 * `gh auth token` and `gcloud auth print-access-token` do it (spec §10). stdout holds the token
 * (or the one document `--format` asks for) and nothing else; anything for the person goes to
 * stderr as ONE line, because the caller is usually a script or kubectl reading stdout. It
 * never prompts: a session that cannot be renewed is an error to fix with `signet login` or
 * the app.
 */
import { type TokenResult, type TokenType } from '../core/index.js';
import { toSignInError } from '../shared/errors.js';
import { jsonSafe } from '../shared/untrusted-text.js';
import { UsageError, parse, SESSION, sessionTarget, str, withCore } from './command.js';
import { EXIT, exitCodeOf, say, warn } from './output.js';
import type { Settings } from '../shared/settings.js';

const FORMATS = ['token', 'json', 'header', 'kubectl'] as const;
type Format = (typeof FORMATS)[number];

/** The ExecCredential versions kubectl speaks (client.authentication.k8s.io). */
export const KUBECTL_API_VERSIONS = [
  'client.authentication.k8s.io/v1',
  'client.authentication.k8s.io/v1beta1',
] as const;

/**
 * The ExecCredential apiVersion kubectl asks for in `KUBERNETES_EXEC_INFO` (it sets the
 * variable for exec plugins): missing or not JSON → v1 (what kubectl 1.22+ expects); an
 * apiVersion Signet does not speak → a usage error naming the ones it does.
 */
export function kubectlApiVersion(execInfo: string | undefined): string {
  let asked: unknown;
  try {
    asked = execInfo ? (JSON.parse(execInfo) as { apiVersion?: unknown }).apiVersion : undefined;
  } catch {
    asked = undefined;
  }
  if (asked === undefined || asked === null || asked === '') return KUBECTL_API_VERSIONS[0];
  if (typeof asked === 'string' && (KUBECTL_API_VERSIONS as readonly string[]).includes(asked))
    return asked;
  throw new UsageError(
    `kubectl asked for ExecCredential apiVersion ${JSON.stringify(asked)}; Signet speaks ${KUBECTL_API_VERSIONS.join(' and ')}`,
  );
}

/** RFC 3339 without fractional seconds, as Kubernetes writes times. */
const rfc3339 = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');

/** The ExecCredential document kubectl reads from an exec plugin's stdout. */
export function execCredential(r: TokenResult, apiVersion: string) {
  return {
    apiVersion,
    kind: 'ExecCredential',
    status: {
      token: r.token,
      ...(r.expiresAt ? { expirationTimestamp: rfc3339(r.expiresAt) } : {}),
    },
  };
}

/** One JSON document on one line, free of control characters like every CLI output. */
const jsonLine = (doc: unknown) => say(JSON.stringify(jsonSafe(doc)));

function print(r: TokenResult, format: Format, apiVersion: string): void {
  if (format === 'token') say(r.token);
  else if (format === 'header') say(`Authorization: Bearer ${r.token}`);
  else if (format === 'kubectl') jsonLine(execCredential(r, apiVersion));
  else
    jsonLine({
      token: r.token,
      type: r.type,
      expiresAt: r.expiresAt,
      tenant: r.tenant,
      clientId: r.clientId,
      username: r.username,
    });
}

/**
 * What a caller is told when a token is handed out although its renewal failed (the tenant
 * could not be asked): the reason, and how long the token still holds. `signet token` and the
 * credential helpers print it after their own prefix.
 */
export function renewalWarning(r: TokenResult): string {
  return `could not renew the token (${r.warning?.message ?? 'unknown reason'}); it is still valid until ${r.expiresAt ?? 'unknown'}.`;
}

/** `--min-valid <seconds>`: a whole number of seconds, 0 or more. */
function minValidOf(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,9}$/.test(v.trim()))
    throw new UsageError(`--min-valid must be a whole number of seconds (got ${v})`);
  return Number(v.trim());
}

/** `signet token`: see the file comment. Exit codes as every command (src/cli/output.ts). */
export async function token(args: string[], settings: Settings): Promise<number> {
  const { values } = parse(args, {
    ...SESSION,
    type: { type: 'string' },
    'min-valid': { type: 'string' },
    target: { type: 'string' },
    format: { type: 'string' },
  });
  const type = str(values.type) ?? 'id';
  if (type !== 'id' && type !== 'access')
    throw new UsageError(`--type must be id or access (got ${type})`);
  const format = str(values.format) ?? (values.json ? 'json' : 'token');
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got ${format})`);
  const minValid = minValidOf(str(values['min-valid']));
  const target = str(values.target);
  if (target !== undefined && type === 'access')
    throw new UsageError('--target gives an id_token for that client: leave out --type access');
  const apiVersion =
    format === 'kubectl' ? kubectlApiVersion(process.env.KUBERNETES_EXEC_INFO) : '';
  return withCore(settings, async (core) => {
    let r: TokenResult;
    try {
      r = await core.token({
        ...sessionTarget(values, settings),
        type: type as TokenType,
        ...(minValid !== undefined ? { minValid } : {}),
        ...(target !== undefined ? { target } : {}),
      });
    } catch (err) {
      const e = toSignInError(err);
      warn(`error: ${e.message}${e.hint ? ` ${e.hint}` : ''} (${e.code})`);
      return exitCodeOf(e);
    }
    if (r.warning) warn(`warning: ${renewalWarning(r)}`);
    print(r, format as Format, apiVersion);
    return EXIT.ok;
  });
}
