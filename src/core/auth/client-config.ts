/**
 * The client's configuration (spec §8): where Lock would load `GET {base}/client/{id}.js`
 * from, fetching it through core's HTTP client (proxy, CA file, timeouts, body cap; logged in
 * the attempts log so Diagnostics shows it), and reading the `Auth0.setClient({...});` script
 * WITHOUT evaluating it: the wrapper is stripped, the rest must be JSON, and zod keeps only
 * the fields Lock reads, each bounded. Anything else is a `bad_response` that never replaces
 * a good copy (the caller keeps the last good one: settings/client-config-cache.ts).
 */
import * as z from 'zod';
import {
  DATABASE_STRATEGIES,
  DIRECTORY_STRATEGIES,
  SMS_STRATEGIES,
  type ClientConnection,
} from '../../shared/client-config.js';
import type { SignInError } from '../../shared/errors.js';
import { isPasswordPolicy } from '../../shared/password-policy.js';
import { SETTINGS_LIMITS } from '../../shared/settings.js';
import { attemptError, type AttemptLog } from '../diagnostics/attempts.js';
import { SignInFailure, toSignInError } from '../errors.js';
import type { HttpClient, HttpResponse } from './http.js';
import { badResponse } from './server-errors.js';

/**
 * Auth0's own tenants (`<tenant>.auth0.com`, `<tenant>.<region>.auth0.com`) load client
 * scripts from Auth0's CDN (spec §8); any other host (a custom domain, the local tenant)
 * serves its own.
 */
const AUTH0_SUFFIX = '.auth0.com';
/** 256 KB: a client with a hundred connections writes a few KB. */
export const MAX_CLIENT_SCRIPT_BYTES = 256 * 1024;
/** Strategies the script may list, and connections in all (the settings' own limit). */
const MAX_STRATEGIES = 64;
const MAX_CONNECTIONS = SETTINGS_LIMITS.connections;
/** Email domains per connection (`domain` plus `domain_aliases`). */
const MAX_DOMAINS = 50;

/**
 * The base URL the client script of `tenant` (a base URL from `tenantBaseUrl`) is loaded
 * from, by Lock's rule (`extractClientBaseUrlOption`): `<tenant>.auth0.com` →
 * `https://cdn.auth0.com/`; a longer `….<region>.auth0.com` → `https://cdn.<region>.auth0.com/`
 * (the third label from the end); else the tenant itself (path kept). The host is compared in
 * lower case without a trailing dot, by whole labels (`evil-auth0.com` and
 * `auth0.com.evil.test` are custom domains).
 */
export function clientConfigBase(tenant: URL): URL {
  const host = tenant.hostname.toLowerCase().replace(/\.$/, '');
  const labels = host.split('.');
  if (!host.endsWith(AUTH0_SUFFIX) || labels.length < 3 || labels.some((l) => l === ''))
    return new URL(tenant.href);
  return new URL(
    labels.length > 3
      ? `https://cdn.${labels.at(-3)}${AUTH0_SUFFIX}/`
      : `https://cdn${AUTH0_SUFFIX}/`,
  );
}

/** `{base}/client/{client_id}.js`, the id percent-encoded (a settings value, not a path). */
export function clientConfigUrl(tenant: URL, clientId: string): URL {
  return new URL(`client/${encodeURIComponent(clientId)}.js`, clientConfigBase(tenant));
}

/** A lower-case DNS name (`corp.example`), as email domains are compared. */
const DOMAIN =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const domain = z
  .string()
  .max(254)
  .transform((d) => d.trim().toLowerCase().replace(/\.$/, ''))
  .refine((d) => DOMAIN.test(d), 'must be a domain name such as corp.example');

/** One connection as the script lists it: only the fields Lock reads; others ignored. */
const ScriptConnection = z.looseObject({
  name: z.string().min(1).max(SETTINGS_LIMITS.connectionName),
  passwordPolicy: z
    .string()
    .max(32)
    .nullish()
    .refine((p) => p == null || isPasswordPolicy(p), 'must be none, low, fair, good or excellent'),
  showSignup: z.boolean().nullish(),
  showForgot: z.boolean().nullish(),
  requires_username: z.boolean().nullish(),
  domain: domain.nullish(),
  domain_aliases: z.array(domain).max(MAX_DOMAINS).nullish(),
});

const ScriptObject = z.looseObject({
  id: z.string().max(SETTINGS_LIMITS.clientId).optional(),
  strategies: z
    .array(
      z.looseObject({
        name: z.string().min(1).max(100),
        connections: z.array(ScriptConnection).max(MAX_CONNECTIONS),
      }),
    )
    .max(MAX_STRATEGIES),
});

/** How Signet signs in with a strategy's connections; `other` when it cannot. */
function kindOf(strategy: string): ClientConnection['kind'] {
  if (DATABASE_STRATEGIES.includes(strategy)) return 'database';
  if (DIRECTORY_STRATEGIES.includes(strategy)) return 'ad';
  if (SMS_STRATEGIES.includes(strategy)) return 'sms';
  return 'other';
}

/**
 * `Auth0.setClient(` opening the script: anchored, no open-ended part before it, so matching
 * is linear. The close (`)` then an optional `;`) is checked with `endsWith` after trimming:
 * a single pattern for both ends backtracks quadratically on a long run of white space.
 */
const WRAPPER_OPEN = /^Auth0\s*\.\s*setClient\s*\(/;

/** The text between `Auth0.setClient(` and its closing `)` (`;` optional), or undefined. */
function unwrap(text: string): string | undefined {
  let t = text.replace(/^\uFEFF/, '').trim();
  if (t.endsWith(';')) t = t.slice(0, -1).trimEnd();
  const open = WRAPPER_OPEN.exec(t);
  if (!open || !t.endsWith(')') || t.length - 1 < open[0].length) return undefined;
  return t.slice(open[0].length, -1);
}
/** Keys that would reach an object's prototype if some code merged the parsed object. */
const POISON_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a script was refused, for `bad_response`'s detail (`problem`) and the message. */
class ScriptProblem extends Error {
  constructor(
    readonly problem: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
  }
}

const tooLarge = () => new ScriptProblem('too_large', 'The client configuration is far too large.');

/**
 * Reads a client script's text into its connections, defaults filled in (spec §8: missing
 * `showSignup`/`showForgot` mean true, missing `passwordPolicy` means `none`). Never evaluates
 * it. Throws `ScriptProblem` for anything but the wrapper around a JSON object of the right
 * shape (also an `id` naming another client, and any `__proto__`-like key).
 */
export function parseClientScript(text: string, clientId: string): ClientConnection[] {
  if (text.length > MAX_CLIENT_SCRIPT_BYTES) throw tooLarge();
  const inner = unwrap(text);
  if (inner === undefined)
    throw new ScriptProblem('not_a_client_script', 'The answer is not a client configuration.');
  let json: unknown;
  try {
    json = JSON.parse(inner, (key, value: unknown) => {
      if (POISON_KEYS.has(key)) throw new ScriptProblem('poisoned_key', `It holds a “${key}” key.`);
      return value;
    });
  } catch (err) {
    if (err instanceof ScriptProblem) throw err;
    throw new ScriptProblem('not_json', 'The client configuration is not plain data.');
  }
  const parsed = ScriptObject.safeParse(json);
  if (!parsed.success)
    throw new ScriptProblem(
      'invalid_fields',
      'The client configuration has fields Signet cannot use.',
      parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
    );
  if (parsed.data.id !== undefined && parsed.data.id !== clientId)
    throw new ScriptProblem('other_client', 'The configuration is of another client.');
  const out: ClientConnection[] = [];
  const seen = new Set<string>();
  for (const s of parsed.data.strategies) {
    const kind = kindOf(s.name);
    for (const c of s.connections) {
      if (seen.has(c.name)) continue;
      seen.add(c.name);
      const entry: ClientConnection = { name: c.name, strategy: s.name, kind };
      if (kind === 'database') {
        entry.passwordPolicy = isPasswordPolicy(c.passwordPolicy) ? c.passwordPolicy : 'none';
        entry.showSignup = c.showSignup ?? true;
        entry.showForgot = c.showForgot ?? true;
        entry.requiresUsername = c.requires_username ?? false;
      }
      const domains = [...new Set([c.domain, ...(c.domain_aliases ?? [])])].filter(
        (d): d is string => !!d,
      );
      if (domains.length) entry.domains = domains.slice(0, MAX_DOMAINS);
      out.push(entry);
    }
  }
  if (out.length > MAX_CONNECTIONS)
    throw new ScriptProblem(
      'too_many',
      `The client lists more than ${MAX_CONNECTIONS} connections.`,
    );
  return out;
}

/** The error shown for a script refused by `parseClientScript` (or a non-2xx answer). */
function scriptError(res: HttpResponse, url: URL, clientId: string, err: unknown): SignInError {
  const base = badResponse(res, err instanceof ScriptProblem ? err.problem : 'unreadable', {
    tenant: url.host,
  });
  // A proxy's HTML page keeps badResponse's sentence (it names the proxy as the likely cause).
  const proxy = /proxy or firewall/.test(base.message);
  const message = proxy
    ? base.message
    : res.status === 404
      ? `${url.host} has no configuration for the client ${clientId} (HTTP 404). Check the client ID in Settings.`
      : res.status < 200 || res.status >= 300
        ? `${url.host} did not send the client's configuration (HTTP ${res.status}).`
        : `The client's configuration from ${url.host} could not be read: ${err instanceof Error ? err.message : 'unreadable'}`;
  return {
    ...base,
    message,
    detail: {
      ...base.detail,
      url: url.origin + url.pathname,
      ...(err instanceof ScriptProblem && err.fields ? { fields: err.fields } : {}),
      ...(res.status === 404 ? { problem: 'not_found' } : {}),
    },
  };
}

/**
 * Fetches and reads the client's configuration. Rejects with `SignInFailure` (network
 * errors as `HttpClient` maps them, everything unreadable as `bad_response`); logs the
 * request in `log` (the answer as its connection count, nothing else).
 */
export async function fetchClientConfig(p: {
  http: HttpClient;
  log?: AttemptLog;
  tenant: URL;
  clientId: string;
  signal?: AbortSignal;
}): Promise<ClientConnection[]> {
  const url = clientConfigUrl(p.tenant, p.clientId);
  const started = performance.now();
  const entry = {
    at: new Date().toISOString(),
    method: 'GET',
    // The tenant's own path reads as the other endpoints do; a CDN's keeps its host.
    endpoint: url.origin === p.tenant.origin ? url.pathname : url.origin + url.pathname,
    request: { client_id: p.clientId },
  };
  let res: HttpResponse | undefined;
  try {
    res = await p.http.send({
      method: 'GET',
      url,
      headers: { accept: 'application/javascript, text/javascript;q=0.9' },
      ...(p.signal ? { signal: p.signal } : {}),
    });
    if (res.status < 200 || res.status >= 300)
      throw new SignInFailure(scriptError(res, url, p.clientId, undefined));
    let connections: ClientConnection[];
    try {
      // The cap is on the bytes, before decoding (a decoded string is never longer).
      if (res.body.length > MAX_CLIENT_SCRIPT_BYTES) throw tooLarge();
      connections = parseClientScript(res.body.toString('utf8'), p.clientId);
    } catch (err) {
      throw new SignInFailure(scriptError(res, url, p.clientId, err));
    }
    p.log?.add({
      ...entry,
      status: res.status,
      timings: timings(started, res),
      response: { connections: connections.length },
    });
    return connections;
  } catch (err) {
    const e = toSignInError(err);
    p.log?.add({ ...entry, ...attemptError(e), timings: timings(started, res) });
    throw err instanceof SignInFailure ? err : new SignInFailure(e);
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
const timings = (started: number, res?: HttpResponse) => ({
  totalMs: round(performance.now() - started),
  ...(res ? { headersMs: round(res.timings.headersMs) } : {}),
});
