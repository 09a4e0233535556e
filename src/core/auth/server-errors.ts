/**
 * Every answer of a tenant that is not a success becomes one `SignInError`: Auth0's code kept,
 * a sentence that fits the connection (a wrong SMS code reads differently from a wrong AD
 * password), the server's status/description and any AD sub-code kept for IT.
 */
import * as z from 'zod';
import { adSubcode, adSubcodeMeaning } from '../../shared/ad-subcodes.js';
import type { SignInError } from '../../shared/errors.js';
import { errorText, type ErrorText, type ErrorTextKey } from '../../shared/error-text.js';
import { ruleText, type PasswordRule } from '../../shared/password-policy.js';
import { jsonSafeString, terminalLine } from '../../shared/untrusted-text.js';
import type { ConnectionKind } from '../../shared/settings.js';
import { capText, redactResponse } from '../diagnostics/attempts.js';
import { looksLikeHtml, safeExcerpt } from '../diagnostics/excerpt.js';
import type { HttpResponse } from './http.js';

/** What the request was for: decides the wording when the code alone is ambiguous. */
export type Operation =
  | 'signin'
  | 'sms_start'
  | 'mfa'
  | 'refresh'
  | 'reauth'
  | 'userinfo'
  | 'tokeninfo'
  | 'revoke'
  | 'discovery'
  | 'signup'
  | 'reset';

export interface ErrorContext {
  kind: ConnectionKind;
  operation: Operation;
  /** The tenant's address, for sentences. */
  tenant: string;
  connection?: string;
}

/** Parses `Retry-After` (seconds or HTTP date) or `X-RateLimit-Reset` (epoch seconds). */
export function retryAfterSeconds(
  headers: Record<string, string>,
  nowMs = Date.now(),
): number | undefined {
  const ra = headers['retry-after'];
  if (ra !== undefined) {
    if (/^\d+$/.test(ra.trim())) return Number(ra.trim());
    const at = Date.parse(ra);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - nowMs) / 1000));
  }
  const reset = headers['x-ratelimit-reset'];
  if (reset !== undefined && /^\d+$/.test(reset.trim())) {
    return Math.max(0, Math.ceil(Number(reset) - nowMs / 1000));
  }
  return undefined;
}

/**
 * A "wait and try again" sentence: `base` when the tenant gave no time, else the variant
 * with seconds (under 90) or about so many minutes, each a whole sentence to translate.
 */
function waitText(base: 'errors.rate.busy' | 'errors.rate.smsGuard', seconds: number | undefined) {
  if (seconds === undefined) return errorText(base);
  if (seconds < 90) return errorText(`${base}Seconds`, { seconds });
  return errorText(`${base}Minutes`, { minutes: Math.round(seconds / 60) });
}

/** Parses a body that should be JSON; undefined when it is not. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * What IT may see of a body: a JSON body as its redacted view (field names, error fields,
 * token lengths), anything else as its first bytes with every secret masked. Never raw bytes:
 * the body may be a token answer (a 200 with the wrong type, or cut off).
 */
function bodyForIt(
  res: Pick<HttpResponse, 'status' | 'headers' | 'body'>,
): { response: Record<string, unknown> | undefined } | { firstBytes: string | undefined } {
  const json = parseJson(res.body);
  if (json !== undefined) return { response: redactResponse(json, res.status) };
  return { firstBytes: safeExcerpt(res.body, res.headers['content-type']) || undefined };
}

/** A body that is not what a tenant sends: an HTML proxy page, truncated JSON, wrong type. */
export function badResponse(
  res: Pick<HttpResponse, 'status' | 'headers' | 'body'>,
  problem: string,
  ctx: Pick<ErrorContext, 'tenant'>,
): SignInError {
  const type = res.headers['content-type'] ?? '';
  const html = looksLikeHtml(type, res.body);
  return {
    code: 'bad_response',
    ...(html
      ? errorText('errors.response.foreign', { tenant: ctx.tenant, status: res.status })
      : errorText('errors.response.unreadable', { status: res.status })),
    status: res.status,
    detail: {
      problem,
      contentType: type || undefined,
      bytes: res.body.length,
      ...bodyForIt(res),
    },
  };
}

const isGrantNotAllowed = (description: string) => /grant type .* not allowed/i.test(description);

/** True when a 403 says the tenant refuses the legacy grant (→ `auto` switches to modern). */
export function isLegacyGrantRefused(err: SignInError): boolean {
  return (
    err.status === 403 &&
    err.code === 'unauthorized_client' &&
    isGrantNotAllowed(err.description ?? '')
  );
}

function wrongCredentials(kind: ConnectionKind): ErrorText {
  switch (kind) {
    case 'sms':
      return errorText('errors.tenant.wrongCode');
    case 'ad':
      return errorText('errors.tenant.wrongDirectoryPassword');
    default:
      return errorText('errors.tenant.wrongPassword');
  }
}

/** The longest tenant description shown as the user's sentence (Auth0's are one short line). */
const MAX_SENTENCE_CHARS = 300;

/**
 * A tenant's description fit to be the user's sentence: one line of at most
 * `MAX_SENTENCE_CHARS`, control characters removed, first letter upper case; else undefined.
 */
function tenantSentence(description: string): string | undefined {
  const line = terminalLine(description).trim();
  if (!line || description.includes('\n') || line.length > MAX_SENTENCE_CHARS) return undefined;
  return line.charAt(0).toUpperCase() + line.slice(1);
}

/**
 * A sentence the tenant wrote for the user (a rule's message, a refusal's description): shown
 * as sent, in the tenant's language, with no key to translate.
 */
type Told = { message: string; hint?: undefined; i18n?: undefined };
const told = (message: string): Told => ({ message });

/** The connection a sentence names (data: as the settings and the tenant name it). */
const on = (ctx: ErrorContext) => ({ connection: ctx.connection ?? '' });

/** The user's sentence for one Auth0 error code. */
function sentence(
  code: string,
  description: string,
  ctx: ErrorContext,
  ldapStatus: string | undefined,
  retryAfter: number | undefined,
  rules?: PasswordRule[],
): ErrorText | Told {
  const { kind, operation } = ctx;
  switch (code) {
    // §7 sign-up and reset
    case 'user_exists':
      return errorText('errors.tenant.userExists');
    case 'username_exists':
      return errorText('errors.tenant.usernameExists');
    case 'invalid_signup':
      return errorText('errors.tenant.invalidSignup');
    case 'invalid_password': {
      const unmet = rules ? unmetRulesText(rules) : '';
      // The CLI's sentence lists the unmet rules (the tenant's English words); the window
      // lists them itself, translated, under the password (SignUpForm's PasswordRules, from
      // `detail.rules`), so its sentence names none.
      if (unmet)
        return {
          ...errorText('errors.tenant.passwordRules', { rules: unmet }),
          i18n: { key: 'errors.tenant.passwordPolicy' },
        };
      // Without rules the description says why (the 72-byte limit, a dictionary or history
      // check); a multi-line one is the policy text, which reads as "too weak".
      const why = tenantSentence(description);
      return why ? told(why) : errorText('errors.tenant.passwordPolicy');
    }
    case 'invalid_body': {
      // §7's refusal of a field (the username rule, the email), written for users.
      const why =
        operation === 'signup' || operation === 'reset' ? tenantSentence(description) : undefined;
      if (why) return told(why);
      break;
    }
    case 'operation_not_allowed':
      return operation === 'reset'
        ? errorText('errors.tenant.resetNotAllowed', on(ctx))
        : errorText('errors.tenant.signupNotAllowed', on(ctx));
    case 'invalid_user_password':
      return wrongCredentials(kind);
    case 'invalid_grant':
      if (/wrong (email|phone|username)|password|verification code/i.test(description))
        return wrongCredentials(kind);
      if (/mfa|otp/i.test(description)) return errorText('errors.tenant.wrongOtp');
      return operation === 'refresh' || operation === 'reauth'
        ? errorText('errors.tenant.sessionInvalid')
        : errorText('errors.tenant.refused');
    case 'unauthorized':
      if (operation === 'refresh' || operation === 'reauth')
        return errorText('errors.tenant.sessionInvalid');
      if (/user is blocked/i.test(description)) {
        const account = kind === 'ad' && ldapStatus ? adSubcode(ldapStatus)?.account : undefined;
        if (account === 'disabled') return errorText('errors.tenant.directoryDisabled');
        if (account === 'expired') return errorText('errors.tenant.directoryExpired');
        return errorText('errors.tenant.blocked');
      }
      // Any other text is a rule's message, written for the user: shown as is.
      return description ? told(description) : errorText('errors.tenant.refused');
    case 'password_leaked':
      return errorText('errors.tenant.passwordLeaked');
    case 'password_change_required':
      return kind === 'ad'
        ? errorText('errors.tenant.directoryPasswordChange')
        : errorText('errors.tenant.passwordChange');
    case 'a0.mfa_required':
    case 'mfa_required':
      return errorText('errors.tenant.mfaRequired');
    case 'a0.mfa_registration_required':
      return errorText('errors.tenant.mfaEnrolment');
    case 'a0.mfa_invalid_code':
      return errorText('errors.tenant.wrongOtp');
    case 'unauthorized_client':
      if (isGrantNotAllowed(description))
        return errorText('errors.tenant.legacyRefused', {}, 'errors.hint.protocol');
      return errorText('errors.tenant.unknownClient', {}, 'errors.hint.clientId');
    case 'access_denied':
      return description ? told(description) : errorText('errors.tenant.denied');
    case 'too_many_attempts':
      if (kind === 'ad' && ldapStatus && adSubcode(ldapStatus)?.account === 'locked')
        return errorText('errors.tenant.directoryLocked');
      // The tenant's SMS guard blocks guessing for a while (Retry-After); no email is involved.
      if (kind === 'sms') return waitText('errors.rate.smsGuard', retryAfter);
      return errorText('errors.tenant.tooManyAttempts');
    case 'too_many_requests':
      return waitText('errors.rate.busy', retryAfter);
    case 'invalid_request':
      if (/connection was not found/i.test(description))
        return errorText('errors.tenant.connectionMissing', on(ctx), 'errors.hint.connections');
      if (/connection was disabled/i.test(description))
        return errorText('errors.tenant.connectionDisabled', on(ctx));
      if (/OIDC conformant/i.test(description))
        return errorText('errors.tenant.oidcConformant', {}, 'errors.hint.protocol');
      if (/does not support requested operation/i.test(description))
        return errorText('errors.tenant.connectionWrongKind', on(ctx));
      return errorText('errors.tenant.malformed', { description });
    case 'bad.phone_number':
      return errorText('errors.tenant.badPhone');
    case 'bad.connection':
      return errorText('errors.tenant.smsConnectionMissing', { description });
    case 'bad.client_id':
      return errorText('errors.tenant.unknownClient');
    case 'sms_provider_error':
      return errorText('errors.tenant.smsNotSent', { description });
  }
  if (code.startsWith('bad.'))
    return errorText('errors.tenant.refusedRequest', { reason: description || code });
  const failed: Partial<Record<Operation, ErrorTextKey>> = {
    sms_start: 'errors.tenant.codeNotSent',
    signup: 'errors.tenant.signupFailed',
    reset: 'errors.tenant.resetFailed',
  };
  return errorText(failed[operation] ?? 'errors.tenant.signInFailed');
}

/** The first of `keys` that holds a string in `obj`. */
function firstString(
  obj: Record<string, unknown> | undefined,
  ...keys: string[]
): string | undefined {
  for (const k of keys) if (typeof obj?.[k] === 'string') return obj[k] as string;
  return undefined;
}

/**
 * The most password rules, and items per rule, kept from an `invalid_password` answer:
 * password-sheriff's policies have at most 3 rules and 4 items.
 */
export const MAX_PASSWORD_RULES = 16;

/** A description as kept: control characters but tab and line feed removed, length capped. */
function keptDescription(s: string): string {
  const clean = jsonSafeString(s);
  return capText(clean);
}

const RuleFields = {
  message: z.string().max(300),
  format: z
    .array(z.union([z.string().max(100), z.number()]))
    .max(8)
    .optional(),
  code: z.string().max(100),
  verified: z.boolean(),
};
/** One rule of password-sheriff's `missing()` (spec §7), items one level deep. */
const PasswordRulesSchema = z
  .array(
    z.object({
      ...RuleFields,
      items: z.array(z.object(RuleFields)).max(MAX_PASSWORD_RULES).optional(),
    }),
  )
  .max(MAX_PASSWORD_RULES);

/** A rule's texts on one line each, no control character (they are shown to the user). */
function cleanRule<R extends PasswordRule>(r: R): R {
  const out = { ...r, message: terminalLine(r.message), code: terminalLine(r.code) };
  if (r.format) out.format = r.format.map((f) => (typeof f === 'string' ? terminalLine(f) : f));
  if (r.items) out.items = r.items.map(cleanRule);
  return out;
}

/**
 * The rules of a `PasswordStrengthError` (`description.rules`, password-sheriff's `missing()`),
 * when they have that shape and a sane size; undefined otherwise (the sentence then says only
 * that the password is too weak, and the `policy` text stays in `description`).
 */
export function passwordRules(
  obj: Record<string, unknown> | undefined,
): PasswordRule[] | undefined {
  const d = obj?.description;
  if (!d || typeof d !== 'object' || Array.isArray(d)) return undefined;
  const r = PasswordRulesSchema.safeParse((d as { rules?: unknown }).rules);
  return r.success ? r.data.map(cleanRule) : undefined;
}

/** The unmet rules in a sentence: `at least 8 characters in length; contain at least …`. */
export function unmetRulesText(rules: PasswordRule[]): string {
  return rules
    .filter((r) => !r.verified)
    .map((r) => {
      const text = ruleText(r);
      const items = (r.items ?? []).map(ruleText).join(', ');
      const both = items ? `${text} ${items}` : text;
      return both.charAt(0).toLowerCase() + both.slice(1);
    })
    .join('; ');
}

/**
 * Maps a non-2xx answer to a `SignInError`. `body` is the parsed JSON when it parsed.
 */
export function serverError(res: HttpResponse, ctx: ErrorContext): SignInError {
  const json = parseJson(res.body);
  const retryAfter = retryAfterSeconds(res.headers);
  const obj =
    json && typeof json === 'object' && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  // Auth0's own fields first, then what other servers (and proxies) call them.
  const rawCode = firstString(obj, 'error', 'code');
  // §7's `{name, code, description, statusCode}`: a weak password's `description` is the
  // rules object, and its `policy` the sentence IT reads.
  const rawDescription = firstString(obj, 'error_description', 'description', 'policy', 'message');
  const description = rawDescription === undefined ? undefined : keptDescription(rawDescription);

  if (!rawCode) {
    if (res.status >= 300 && res.status < 400) {
      const e = badResponse(res, 'redirect', ctx);
      return {
        ...e,
        ...errorText('errors.response.redirect', { status: res.status }),
        detail: { ...e.detail, location: res.headers.location },
      };
    }
    if (res.status === 429) {
      return {
        code: 'rate_limited',
        ...waitText('errors.rate.busy', retryAfter),
        status: 429,
        detail: { retryAfterSeconds: retryAfter },
      };
    }
    if (res.body.length > 0 && json === undefined) return badResponse(res, 'not_json', ctx);
    if (res.status >= 500)
      return {
        code: 'server_error',
        ...errorText('errors.response.serverError', { status: res.status }),
        status: res.status,
        detail: bodyForIt(res),
      };
    return badResponse(res, 'no_error_code', ctx);
  }

  const ldapRaw = obj?.ldap_status;
  const ldapStatus =
    typeof ldapRaw === 'string' || typeof ldapRaw === 'number'
      ? String(ldapRaw).toLowerCase()
      : undefined;
  const detail: Record<string, unknown> = { error: rawCode };
  if (ldapStatus !== undefined) {
    detail.ldapStatus = ldapStatus;
    const meaning = adSubcodeMeaning(ldapStatus);
    if (meaning) detail.ldapMeaning = meaning;
  }
  // The local tenant also passes the LDAP result code (49 = invalid credentials).
  if (typeof obj?.ldap_result === 'number') detail.ldapResult = obj.ldap_result;
  if (retryAfter !== undefined) detail.retryAfterSeconds = retryAfter;
  if (typeof obj?.mfa_token === 'string') detail.mfaRequired = true;
  const rules = rawCode === 'invalid_password' ? passwordRules(obj) : undefined;
  if (rules) detail.rules = rules;

  if (res.status >= 500) {
    return {
      code: 'server_error',
      ...errorText('errors.response.serverError', { status: res.status }),
      status: res.status,
      description,
      detail,
    };
  }
  // 429 rate limiting is a local code; 429 too_many_attempts (brute force) keeps Auth0's.
  const code = rawCode === 'too_many_requests' ? 'rate_limited' : rawCode;
  const s = sentence(rawCode, description ?? '', ctx, ldapStatus, retryAfter, rules);
  const out: SignInError = { code, message: s.message, status: res.status, detail };
  if (description !== undefined) out.description = description;
  if (s.hint) out.hint = s.hint;
  if (s.i18n) out.i18n = s.i18n;
  return out;
}
