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
  normaliseDomain,
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
import { errorText } from '../../shared/error-text.js';

/**
 * Auth0's own tenants (`<tenant>.auth0.com`, `<tenant>.<region>.auth0.com`) load client
 * scripts from Auth0's CDN (spec §8); any other host (a custom domain, the local tenant)
 * serves its own.
 */
const AUTH0_SUFFIX = '.auth0.com';
/** 256 KB: a client with a hundred connections writes a few KB. */
export const MAX_CLIENT_SCRIPT_BYTES = 256 * 1024;
/** Strategies the script may list, and connections kept (the settings' and the cache's limit). */
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

const connectionName = z.string().min(1).max(SETTINGS_LIMITS.connectionName);

/** Any connection: only its name is read (strategies Signet cannot use are listed, not read). */
const NamedConnection = z.looseObject({ name: connectionName });

/** A database connection: the fields Lock reads; others ignored. */
const DatabaseConnection = z.looseObject({
  name: connectionName,
  passwordPolicy: z
    .string()
    .max(32)
    .nullish()
    .refine((p) => p == null || isPasswordPolicy(p), 'must be none, low, fair, good or excellent'),
  showSignup: z.boolean().nullish(),
  showForgot: z.boolean().nullish(),
  requires_username: z.boolean().nullish(),
});

/** The script's outline; each connection is read on its own (`readConnection`). */
const ScriptObject = z.looseObject({
  id: z.string().max(SETTINGS_LIMITS.clientId).optional(),
  strategies: z
    .array(z.looseObject({ name: z.string().min(1).max(100), connections: z.array(z.unknown()) }))
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

/**
 * Why a script was refused, for `bad_response`'s detail (`problem`) and the sentence (one arm
 * per problem of `errors.clientConfig.unreadable`); `key` names a refused key.
 */
class ScriptProblem extends Error {
  constructor(
    readonly problem: string,
    readonly fields?: string[],
    readonly key?: string,
  ) {
    super(problem);
  }
}

const tooLarge = () => new ScriptProblem('too_large');

/** What `parseClientScript` read: the usable connections and why others were skipped. */
export interface ClientScript {
  connections: ClientConnection[];
  /** One `path: reason` per connection or domain left out (`strategies.0.connections.3.name: …`). */
  skipped: string[];
}

/**
 * One connection of strategy `strategy` at `path`, or the reasons it is skipped. Each is read
 * on its own so that one odd entry costs only itself; a connection's fields are read only for
 * the kinds Signet uses (database details, AD email domains). A domain that is not a DNS name
 * is dropped alone: the connection still signs in, only that domain's HRD is lost.
 */
function readConnection(
  raw: unknown,
  strategy: string,
  path: string,
): { entry?: ClientConnection; skipped: string[] } {
  const kind = kindOf(strategy);
  const issues = (e: z.ZodError) =>
    e.issues.slice(0, 3).map((i) => `${[path, ...i.path].join('.')}: ${i.message}`);
  if (kind === 'database') {
    const c = DatabaseConnection.safeParse(raw);
    if (!c.success) return { skipped: issues(c.error) };
    const d = c.data;
    return {
      entry: {
        name: d.name,
        strategy,
        kind,
        passwordPolicy: isPasswordPolicy(d.passwordPolicy) ? d.passwordPolicy : 'none',
        showSignup: d.showSignup ?? true,
        showForgot: d.showForgot ?? true,
        requiresUsername: d.requires_username ?? false,
      },
      skipped: [],
    };
  }
  const c = NamedConnection.safeParse(raw);
  if (!c.success) return { skipped: issues(c.error) };
  const entry: ClientConnection = { name: c.data.name, strategy, kind };
  if (kind !== 'ad') return { entry, skipped: [] };
  const skipped: string[] = [];
  const domains: string[] = [];
  const take = (value: unknown, at: string) => {
    if (value == null) return;
    const d = typeof value === 'string' ? normaliseDomain(value) : undefined;
    if (d === undefined) skipped.push(`${at}: must be a domain name such as corp.example`);
    else if (!domains.includes(d)) domains.push(d);
  };
  take(c.data.domain, `${path}.domain`);
  const aliases = c.data.domain_aliases;
  if (Array.isArray(aliases))
    aliases.slice(0, MAX_DOMAINS).forEach((a, i) => take(a, `${path}.domain_aliases.${i}`));
  else if (aliases != null) skipped.push(`${path}.domain_aliases: must be a list of domain names`);
  if (domains.length) entry.domains = domains.slice(0, MAX_DOMAINS);
  return { entry, skipped };
}

/**
 * Reads a client script's text into its connections, defaults filled in (spec §8: missing
 * `showSignup`/`showForgot` mean true, missing `passwordPolicy` means `none`). Never evaluates
 * it. Throws `ScriptProblem` for anything but the wrapper around a JSON object with a list of
 * strategies (also an `id` naming another client, and any `__proto__`-like key). A bad
 * connection, a repeated name, or one past the limit (`MAX_CONNECTIONS`, the usable kinds
 * kept first) is skipped and named in `skipped`, never refusing the rest.
 */
export function parseClientScript(text: string, clientId: string): ClientScript {
  if (text.length > MAX_CLIENT_SCRIPT_BYTES) throw tooLarge();
  const inner = unwrap(text);
  if (inner === undefined) throw new ScriptProblem('not_a_client_script');
  let json: unknown;
  try {
    json = JSON.parse(inner, (key, value: unknown) => {
      if (POISON_KEYS.has(key)) throw new ScriptProblem('poisoned_key', undefined, key);
      return value;
    });
  } catch (err) {
    if (err instanceof ScriptProblem) throw err;
    throw new ScriptProblem('not_json');
  }
  const parsed = ScriptObject.safeParse(json);
  if (!parsed.success)
    throw new ScriptProblem(
      'invalid_fields',
      parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
    );
  if (parsed.data.id !== undefined && parsed.data.id !== clientId)
    throw new ScriptProblem('other_client');
  const read: { entry: ClientConnection; path: string }[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  parsed.data.strategies.forEach((s, si) =>
    s.connections.forEach((raw, ci) => {
      const path = `strategies.${si}.connections.${ci}`;
      const r = readConnection(raw, s.name, path);
      skipped.push(...r.skipped);
      if (!r.entry) return;
      if (seen.has(r.entry.name)) skipped.push(`${path}.name: repeats an earlier connection`);
      else {
        seen.add(r.entry.name);
        read.push({ entry: r.entry, path });
      }
    }),
  );
  // The usable kinds first, then the listed-only ones fill what the limit leaves.
  const usable = read.filter((r) => r.entry.kind !== 'other').slice(0, MAX_CONNECTIONS);
  const listed = read
    .filter((r) => r.entry.kind === 'other')
    .slice(0, MAX_CONNECTIONS - usable.length);
  const kept = new Set([...usable, ...listed]);
  for (const r of read)
    if (!kept.has(r)) skipped.push(`${r.path}: past the limit of ${MAX_CONNECTIONS} connections`);
  return { connections: read.filter((r) => kept.has(r)).map((r) => r.entry), skipped };
}

/** The error shown for a script refused by `parseClientScript` (or a non-2xx answer). */
function scriptError(res: HttpResponse, url: URL, clientId: string, err: unknown): SignInError {
  const base = badResponse(res, err instanceof ScriptProblem ? err.problem : 'unreadable', {
    tenant: url.host,
  });
  // A proxy's HTML page keeps badResponse's sentence (it names the proxy as the likely cause).
  const proxy = /proxy or firewall/.test(base.message);
  const host = url.host;
  const text = proxy
    ? {}
    : res.status === 404
      ? errorText('errors.clientConfig.notFound', { host, clientId })
      : res.status < 200 || res.status >= 300
        ? errorText('errors.clientConfig.notSent', { host, status: res.status })
        : errorText('errors.clientConfig.unreadable', {
            host,
            problem: err instanceof ScriptProblem ? err.problem : 'unreadable',
            key: err instanceof ScriptProblem ? (err.key ?? '') : '',
            reason: err instanceof Error ? err.message : 'unreadable',
          });
  return {
    ...base,
    ...text,
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
    let script: ClientScript;
    try {
      // The cap is on the bytes, before decoding (a decoded string is never longer).
      if (res.body.length > MAX_CLIENT_SCRIPT_BYTES) throw tooLarge();
      script = parseClientScript(res.body.toString('utf8'), p.clientId);
    } catch (err) {
      throw new SignInFailure(scriptError(res, url, p.clientId, err));
    }
    p.log?.add({
      ...entry,
      status: res.status,
      timings: timings(started, res),
      // Skipped entries show here for IT (paths and reasons only, at most 10 of them).
      response: {
        connections: script.connections.length,
        ...(script.skipped.length
          ? { skipped: script.skipped.length, skippedFields: script.skipped.slice(0, 10) }
          : {}),
      },
    });
    return script.connections;
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
