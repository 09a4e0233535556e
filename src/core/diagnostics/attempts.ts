/**
 * The attempts log for IT: every request core sent this run, with what was asked and what came
 * back. Redacted by construction: a request body is copied through an allowlist of harmless
 * fields (everything else becomes "[redacted]"), and an answer keeps only its error fields and
 * the *names* and lengths of its tokens. A password or token can therefore never reach the
 * log, the diagnostics export, or the renderer through here.
 */
import type { SignInError } from '../../shared/errors.js';
import type { Attempt } from '../../shared/session.js';
export type { Attempt };

/** Request fields safe to show (no password, code, token, secret). */
const SAFE_REQUEST_FIELDS = new Set([
  'client_id',
  'connection',
  'realm',
  'grant_type',
  'username',
  'email',
  'scope',
  'device',
  'phone_number',
  'send',
  'api_type',
  'target',
  'audience',
]);

/** Answer fields safe to show as they are, in any answer. */
const SAFE_RESPONSE_FIELDS = new Set([
  'error',
  'error_description',
  'ldap_status',
  'ldap_result',
  'token_type',
  'expires_in',
  'scope',
  'phone_number',
  'phone_verified',
  'request_language',
  'country_code',
]);

/** Copies a request body through the allowlist; secret fields show only that they were sent. */
export function redactRequest(body: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!body) return out;
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined) continue;
    out[k] = SAFE_REQUEST_FIELDS.has(k) && typeof v === 'string' ? v : '[redacted]';
  }
  return out;
}

/**
 * §7's error shape (/dbconnections): `{name, code, description, statusCode}`, and a weak
 * password's `policy` (its rules object shows only as "[redacted object]"). Kept only from an
 * error answer: in a success (`/userinfo`, `/tokeninfo`) `name` is the user's full name.
 */
const ERROR_RESPONSE_FIELDS = new Set([
  'name',
  'code',
  'description',
  'policy',
  'message',
  'statusCode',
]);

/**
 * The longest text kept from a tenant's answer, in the log and in an error's `description`:
 * Auth0's descriptions are one sentence, the longest (a password policy's `policy`) a few
 * hundred characters. A hostile tenant's megabyte is cut here, then marked with `…`.
 */
export const MAX_KEPT_CHARS = 2000;

/** `text` cut to {@link MAX_KEPT_CHARS}, with `…` when it was cut. */
export const capText = (text: string): string =>
  text.length > MAX_KEPT_CHARS ? `${text.slice(0, MAX_KEPT_CHARS)}…` : text;

/**
 * Keeps error fields and metadata; anything else shows as its type and length only. `status`
 * is the answer's HTTP status: §7's error fields are kept only when it is not a 2xx.
 */
export function redactResponse(json: unknown, status: number): Record<string, unknown> | undefined {
  if (json === undefined || json === null) return undefined;
  if (typeof json !== 'object' || Array.isArray(json)) return { body: '[not an object]' };
  const error = status < 200 || status >= 300;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    if (
      (SAFE_RESPONSE_FIELDS.has(k) || (error && ERROR_RESPONSE_FIELDS.has(k))) &&
      (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null)
    )
      out[k] = typeof v === 'string' ? capText(v) : v;
    else if (typeof v === 'string') out[k] = `[redacted: ${v.length} chars]`;
    else out[k] = `[redacted ${Array.isArray(v) ? 'array' : typeof v}]`;
  }
  return out;
}

/** A bounded, in-memory log (newest last). */
export class AttemptLog {
  private readonly entries: Attempt[] = [];
  constructor(private readonly limit = 200) {}

  /** Adds one attempt; the oldest falls off past the limit. */
  add(entry: Attempt): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.shift();
  }

  /** A copy of every attempt of this run, oldest first. */
  list(): Attempt[] {
    return this.entries.map((e) => structuredClone(e));
  }
}

/** Fills an attempt's error fields from a `SignInError`. */
export function attemptError(err: SignInError): Partial<Attempt> {
  const d = err.detail ?? {};
  const out: Partial<Attempt> = { errorCode: err.code };
  if (err.status !== undefined) out.status = err.status;
  if (err.description !== undefined) out.errorDescription = err.description;
  if (typeof d.ldapStatus === 'string') out.ldapStatus = d.ldapStatus;
  if (typeof d.ldapMeaning === 'string') out.ldapMeaning = d.ldapMeaning;
  return out;
}
