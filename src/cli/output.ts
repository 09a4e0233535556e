/**
 * What the CLI prints and how it exits. `--json` prints exactly one JSON document on stdout;
 * the exit code says what kind of failure it was, so scripts need not parse messages:
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | the tenant refused (any 4xx sign-in error, 429 included), or not signed in |
 * | 2 | usage or configuration error (bad flags, invalid settings, keychain unusable for whoami/logout) |
 * | 3 | network, timeout, TLS, server error or bad response |
 * | 4 | token verification failed |
 *
 * Everything the CLI prints goes through `say`, `warn` or `printJson`, the one choke point
 * for text that a tenant supplied (a name, a claim, an error description): in text output
 * each line loses its control characters and line breaks (so no escape sequence reaches the
 * terminal and no value starts a forged line); in `--json` every string, keys included, loses
 * its control characters except tab and line feed. JSON.stringify's own `\u001b` escaping is
 * not enough: it passes C1 (U+009B, an 8-bit CSI) and DEL raw, and a script that prints a
 * value (`jq -r`) would hand ESC to its terminal. See src/shared/untrusted-text.ts.
 */
import { UNREACHABLE_CODES, type SignInError } from '../shared/errors.js';
import { jsonSafe, terminalLine } from '../shared/untrusted-text.js';

export const EXIT = { ok: 0, refused: 1, usage: 2, network: 3, token: 4 } as const;

/** Exit 3: the tenant could not be asked (the shared `UNREACHABLE_CODES`), or Signet failed. */
const NETWORK = new Set([...UNREACHABLE_CODES, 'internal_error']);
const USAGE = new Set(['invalid_input', 'config_invalid', 'usage', 'keychain_unavailable']);

/** The exit code for an error. */
export function exitCodeOf(err: SignInError): number {
  if (err.code === 'token_invalid') return EXIT.token;
  if (NETWORK.has(err.code)) return EXIT.network;
  if (USAGE.has(err.code)) return EXIT.usage;
  return EXIT.refused;
}

/** The `--json` failure document. */
export function errorDocument(err: SignInError): { ok: false; error: Record<string, unknown> } {
  return {
    ok: false,
    error: {
      code: err.code,
      message: err.message,
      status: err.status ?? null,
      description: err.description ?? null,
      ...(err.hint ? { hint: err.hint } : {}),
      detail: err.detail ?? {},
    },
  };
}

/** Human form of an error, for stderr: one string per line. */
export function errorText(err: SignInError): string[] {
  const lines = [`error: ${err.message}`];
  const tech = [
    err.code,
    err.status !== undefined ? `HTTP ${err.status}` : '',
    err.description ?? '',
  ]
    .filter(Boolean)
    .join(' · ');
  lines.push(`  (${tech})`);
  if (err.hint) lines.push(`  hint: ${err.hint}`);
  const d = err.detail ?? {};
  if (d.ldapStatus)
    lines.push(
      `  AD sub-code: ${String(d.ldapStatus)}${d.ldapMeaning ? ` (${String(d.ldapMeaning)})` : ''}`,
    );
  if (d.retryAfterSeconds !== undefined)
    lines.push(`  retry after: ${String(d.retryAfterSeconds)} s`);
  if (d.firstBytes) lines.push(`  first bytes: ${String(d.firstBytes).slice(0, 120)}`);
  // The answer's JSON, tokens already redacted by core.
  if (d.response) lines.push(`  answer: ${JSON.stringify(d.response).slice(0, 200)}`);
  if (d.certificateProblem) lines.push(`  certificate: ${String(d.certificateProblem)}`);
  const v = d.verification as { reason?: string } | undefined;
  if (v?.reason) lines.push(`  verification: ${v.reason}`);
  return lines;
}

const write = (stream: NodeJS.WriteStream, lines: readonly string[]) =>
  stream.write(`${lines.map(terminalLine).join('\n')}\n`);

/** Prints lines on stdout; each one is a single line of plain text whatever it holds. */
export function say(...lines: string[]): void {
  write(process.stdout, lines);
}

/** Prints lines on stderr (errors, warnings), made safe as `say` does. */
export function warn(...lines: string[]): void {
  write(process.stderr, lines);
}

/** Prints the one `--json` document, every string in it free of control characters. */
export function printJson(doc: unknown): void {
  process.stdout.write(`${JSON.stringify(jsonSafe(doc), null, 2)}\n`);
}
