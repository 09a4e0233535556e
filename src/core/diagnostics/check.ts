/**
 * `check(tenant)`: what IT runs when a connection misbehaves. Each step is timed and reports
 * its own outcome, so one failure (say, TLS inspection) does not hide the others.
 *
 * DNS and TLS are loaded when a step runs (`process.getBuiltinModule`), not with core: every
 * `signet` command loads core, and node:tls and node:dns/promises cost each start several ms.
 */
import { isIP, type Socket } from 'node:net';
import type { PeerCertificate, DetailedPeerCertificate } from 'node:tls';
import type { SignInError } from '../../shared/errors.js';
import { networkError, type HttpClient, type HttpResponse } from '../auth/http.js';
import { badResponse, parseJson } from '../auth/server-errors.js';
import { isPinnedLoopbackHost, pinnedLoopbackAddress } from '../../node/loopback.js';
import { issuerOf } from '../auth/tenant-url.js';
import { SignInFailure, throwIfCancelled, untilCancelled } from '../errors.js';
import type { CertInfo, CheckReport, CheckStep } from '../../shared/session.js';
import { errorText, type ErrorTextKey, type TextValues } from '../../shared/error-text.js';
export type { CertInfo, CheckReport, CheckStep };

const r2 = (n: number) => Math.round(n * 100) / 100;

function certInfo(c: PeerCertificate): CertInfo {
  const name = (o: Record<string, unknown> | undefined) =>
    o
      ? Object.entries(o)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')
      : '';
  return {
    subject: name(c.subject as unknown as Record<string, unknown>),
    issuer: name(c.issuer as unknown as Record<string, unknown>),
    validFrom: new Date(c.valid_from).toISOString(),
    validTo: new Date(c.valid_to).toISOString(),
    fingerprint256: c.fingerprint256,
    ...(c.subjectaltname ? { subjectAltName: c.subjectaltname } : {}),
  };
}

function chainOf(peer: DetailedPeerCertificate): CertInfo[] {
  const out: CertInfo[] = [];
  const seen = new Set<string>();
  let c: DetailedPeerCertificate | undefined = peer;
  while (c && c.fingerprint256 && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    out.push(certInfo(c));
    c = c.issuerCertificate;
  }
  return out;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value?: T; err?: unknown; ms: number }> {
  const t = performance.now();
  try {
    const value = await fn();
    return { value, ms: r2(performance.now() - t) };
  } catch (err) {
    return { err, ms: r2(performance.now() - t) };
  }
}

/** What every step knows: the tenant, where it is, the shared HTTP client and the cancel. */
interface Probe {
  base: URL;
  http: HttpClient;
  /** The host name without IPv6 brackets. */
  host: string;
  port: number;
  /** Milliseconds a socket step may take. */
  limit: number;
  extraCaPem?: string;
  signal?: AbortSignal;
}

/**
 * A step's summary from its sentence's key: `summary` in English (the CLI, the exported
 * report) and `summaryI18n`, which the window shows in its language. Hosts, ciphers, issuers
 * and URLs are values, shown as written.
 */
function said(key: ErrorTextKey, values?: TextValues): Pick<CheckStep, 'summary' | 'summaryI18n'> {
  const { message, i18n } = errorText(key, values);
  return { summary: message, summaryI18n: i18n };
}

/** A step that did not run, and why (still `ok`: nothing is wrong). */
const skipped = (name: CheckStep['name'], key: ErrorTextKey, values?: TextValues): CheckStep => ({
  name,
  ok: true,
  skipped: true,
  ms: 0,
  ...said(key, values),
});

/** A step that failed on the network: the error's sentence is its summary. */
function failedStep(
  name: CheckStep['name'],
  err: unknown,
  ms: number,
  base: URL,
  detail?: Record<string, unknown>,
): CheckStep {
  const error = err instanceof SignInFailure ? err.error : networkError(err, base);
  return {
    name,
    ok: false,
    ms,
    summary: error.message,
    ...(error.i18n ? { summaryI18n: error.i18n } : {}),
    error,
    ...(detail ? { detail } : {}),
  };
}

/**
 * Opens a socket with `open`, and settles when `ready` fires (with what `settle` reads from
 * it), on its error, after `limit` ms (`ETIMEDOUT`) or when `signal` fires (`AbortError`,
 * which `networkError` reads as `cancelled`). The socket is always destroyed.
 */
function socketStep<S extends Socket, T>(
  open: () => S,
  ready: 'connect' | 'secureConnect',
  settle: (s: S) => T,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const s = open();
    const done = (err: Error | undefined, value?: T) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      s.destroy();
      if (err) reject(err);
      else resolve(value as T);
    };
    const onAbort = () =>
      done(Object.assign(new Error('cancelled'), { name: 'AbortError', code: 'ABORT_ERR' }));
    const timer = setTimeout(
      () =>
        done(
          Object.assign(
            new Error(ready === 'connect' ? 'connect timeout' : 'TLS handshake timeout'),
            { code: 'ETIMEDOUT' },
          ),
        ),
      limit,
    );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    s.once(ready, () => done(undefined, settle(s)));
    s.once('error', (e) => done(e));
  });
}

/** 1. DNS: the address the next steps connect to (loopback names and IPs are not looked up). */
async function dnsStep(p: Probe): Promise<{ step: CheckStep; address: string }> {
  const pinned = pinnedLoopbackAddress(p.host);
  if (pinned && pinned !== p.host)
    return {
      step: skipped('dns', 'errors.check.loopbackName', { host: p.host, address: pinned }),
      address: pinned,
    };
  if (isIP(p.host))
    return { step: skipped('dns', 'errors.check.ipAddress', { host: p.host }), address: p.host };
  const { lookup } = process.getBuiltinModule('node:dns/promises');
  const d = await timed(() => untilCancelled(lookup(p.host, { all: true }), p.signal));
  if (!d.value?.[0]) return { step: failedStep('dns', d.err, d.ms, p.base), address: p.host };
  return {
    step: {
      name: 'dns',
      ok: true,
      ms: d.ms,
      summary: `${p.host} → ${d.value.map((a) => a.address).join(', ')}`,
      detail: { addresses: d.value },
    },
    address: d.value[0].address,
  };
}

/** 2. TCP: a plain connection to the address and port. */
async function tcpStep(p: Probe, address: string): Promise<CheckStep> {
  const detail = { address, port: p.port };
  const tcp = await timed(() =>
    socketStep(
      () => process.getBuiltinModule('node:net').connect({ host: address, port: p.port }),
      'connect',
      () => undefined,
      p.limit,
      p.signal,
    ),
  );
  if (tcp.err) return failedStep('tcp', tcp.err, tcp.ms, p.base, detail);
  return {
    name: 'tcp',
    ok: true,
    ms: tcp.ms,
    ...said('errors.check.connected', { endpoint: `${address}:${p.port}` }),
    detail,
  };
}

/** 3. TLS: the handshake, the chain the tenant sends and whether it is trusted. */
async function tlsStep(p: Probe, address: string): Promise<CheckStep> {
  if (p.base.protocol !== 'https:') return skipped('tls', 'errors.check.plainHttp');
  const { connect: tlsConnect, rootCertificates } = process.getBuiltinModule('node:tls');
  const ca = p.extraCaPem ? [...rootCertificates, p.extraCaPem] : undefined;
  const tls = await timed(() =>
    socketStep(
      () =>
        tlsConnect({
          host: address,
          port: p.port,
          servername: isIP(p.host) ? undefined : p.host,
          ca,
          rejectUnauthorized: false,
        }),
      'secureConnect',
      (s) => {
        const peer = s.getPeerCertificate(true);
        return {
          authorized: s.authorized,
          ...(s.authorizationError ? { error: String(s.authorizationError) } : {}),
          chain: peer && 'fingerprint256' in peer ? chainOf(peer) : [],
          protocol: s.getProtocol(),
          cipher: s.getCipher().name,
        };
      },
      p.limit,
      p.signal,
    ),
  );
  if (!tls.value) return failedStep('tls', tls.err, tls.ms, p.base);
  const v = tls.value;
  const error: SignInError | undefined = v.authorized
    ? undefined
    : {
        code: 'tls_error',
        ...(v.error
          ? errorText('errors.check.untrusted', { reason: v.error })
          : errorText('errors.check.untrustedUnknown')),
        detail: { certificateProblem: v.error },
      };
  return {
    name: 'tls',
    ok: v.authorized,
    ms: tls.ms,
    ...(v.authorized
      ? said('errors.check.chainTrusted', { protocol: v.protocol ?? 'TLS', cipher: v.cipher })
      : { summary: error!.message, summaryI18n: error!.i18n }),
    detail: { protocol: v.protocol, cipher: v.cipher, chain: v.chain },
    ...(error ? { error } : {}),
  };
}

/** What the discovery document told the later steps. */
interface Discovery {
  step: CheckStep;
  /** The key set to fetch: the discovery's, when on the tenant's origin, else the default. */
  jwksUri: string;
  /** A jwks_uri the discovery names outside the tenant's origin: reported, never fetched. */
  foreignJwks?: string;
  /** The answer's `Date` header and the local time it arrived, for the clock step. */
  dateHeader?: string;
  receivedAt: number;
}

/** 4. openid-configuration, through the real client (proxy, CA, timeouts): issuer, jwks_uri. */
async function discoveryStep(p: Probe): Promise<Discovery> {
  const { base } = p;
  const out: Discovery = {
    step: { name: 'openid-configuration', ok: false, ms: 0, summary: '' },
    jwksUri: ownJwksOf(base),
    receivedAt: 0,
  };
  const oc = await timed(() =>
    p.http.send({
      method: 'GET',
      url: new URL('.well-known/openid-configuration', base),
      signal: p.signal,
    }),
  );
  out.step = jsonStep('openid-configuration', oc, base);
  if (!oc.value) return out;
  out.dateHeader = oc.value.headers.date;
  out.receivedAt = Date.now();
  const json = parseJson(oc.value.body) as Record<string, unknown> | undefined;
  if (!out.step.ok || !json) return out;
  if (typeof json.jwks_uri === 'string') {
    if (sameOrigin(json.jwks_uri, base)) out.jwksUri = json.jwks_uri;
    else out.foreignJwks = json.jwks_uri;
  }
  const issuerOk = json.issuer === issuerOf(base);
  out.step.ok = issuerOk;
  Object.assign(
    out.step,
    issuerOk
      ? said('errors.check.issuer', { issuer: String(json.issuer) })
      : said('errors.check.wrongIssuer', {
          issuer: String(json.issuer),
          expected: issuerOf(base),
        }),
  );
  out.step.detail = {
    issuer: json.issuer,
    jwks_uri: json.jwks_uri,
    token_endpoint: json.token_endpoint,
  };
  return out;
}

/** 5. JWKS — only ever from the tenant's own origin (scheme, host and port), as the sign-in. */
async function jwksStep(p: Probe, d: Discovery): Promise<CheckStep> {
  const { base } = p;
  if (d.foreignJwks)
    return {
      name: 'jwks',
      ok: false,
      skipped: true,
      ms: 0,
      ...said('errors.check.foreignJwks', {
        origin: originOf(d.foreignJwks),
        tenantOrigin: base.origin,
        verifiesWith: ownJwksOf(base),
      }),
      detail: { jwks_uri: d.foreignJwks, tenantOrigin: base.origin, verifiesWith: ownJwksOf(base) },
    };
  const jw = await timed(() =>
    p.http.send({ method: 'GET', url: new URL(d.jwksUri), signal: p.signal }),
  );
  const step = jsonStep('jwks', jw, base);
  if (!step.ok || !jw.value) return step;
  const json = parseJson(jw.value.body) as { keys?: Array<Record<string, unknown>> } | undefined;
  const keys = Array.isArray(json?.keys) ? json.keys : [];
  step.ok = keys.length > 0;
  Object.assign(
    step,
    keys.length
      ? said('errors.check.keys', {
          count: keys.length,
          keys: keys.map((k) => `${String(k.kid)} (${String(k.alg ?? k.kty)})`).join(', '),
        })
      : said('errors.check.noKeys'),
  );
  step.detail = {
    url: d.jwksUri,
    keys: keys.map((k) => ({ kid: k.kid, kty: k.kty, alg: k.alg, use: k.use })),
  };
  return step;
}

/** 6. Clock: the skew between the tenant's `Date` header and this computer's clock. */
function clockStep(d: Discovery): { step: CheckStep; skew: number | null } {
  if (!d.dateHeader || Number.isNaN(Date.parse(d.dateHeader)))
    return { step: skipped('clock', 'errors.check.noDateHeader'), skew: null };
  // Date has 1 s resolution: compare with the local time the answer arrived.
  const skew = Math.round((Date.parse(d.dateHeader) - d.receivedAt) / 1000);
  const ok = Math.abs(skew) <= 60;
  return {
    step: {
      name: 'clock',
      ok,
      ms: 0,
      ...(ok
        ? said('errors.check.clockOk', { skew })
        : said(skew > 0 ? 'errors.check.clockBehind' : 'errors.check.clockAhead', {
            seconds: Math.abs(skew),
          })),
      detail: { serverDate: d.dateHeader, localDate: new Date(d.receivedAt).toISOString() },
    },
    skew,
  };
}

/**
 * Runs every check against one tenant, one step after the other; a failing step reports its
 * own error and the next steps still run. `signal` stops the run inside a step and between
 * steps: the call then rejects with `cancelled` (a half report would read as a diagnosis).
 */
export async function checkTenant(
  base: URL,
  http: HttpClient,
  o: { extraCaPem?: string; proxy?: string; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<CheckReport> {
  const started = performance.now();
  const host = base.hostname.replace(/^\[|\]$/g, '');
  const p: Probe = {
    base,
    http,
    host,
    port: Number(base.port) || (base.protocol === 'https:' ? 443 : 80),
    limit: o.timeoutMs ?? 10_000,
    ...(o.extraCaPem ? { extraCaPem: o.extraCaPem } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  };
  const steps: CheckStep[] = [];
  /** Runs a step, then stops the run if the caller cancelled meanwhile. */
  const step = async <T>(run: () => Promise<T> | T): Promise<T> => {
    throwIfCancelled(o.signal);
    const value = await run();
    throwIfCancelled(o.signal);
    return value;
  };
  const dns = await step(() => dnsStep(p));
  steps.push(dns.step);
  steps.push(await step(() => tcpStep(p, dns.address)));
  steps.push(await step(() => tlsStep(p, dns.address)));
  const discovery = await step(() => discoveryStep(p));
  steps.push(discovery.step);
  steps.push(await step(() => jwksStep(p, discovery)));
  const clock = clockStep(discovery);
  steps.push(clock.step);

  // A loopback tenant is always reached directly (see auth/http.ts).
  const proxied =
    !isPinnedLoopbackHost(host) &&
    Boolean(o.proxy || process.env.HTTPS_PROXY || process.env.https_proxy);
  if (proxied) {
    for (const s of steps)
      if (s.name === 'dns' || s.name === 'tcp' || s.name === 'tls')
        s.detail = { ...s.detail, note: 'direct connection; requests go through the proxy' };
  }
  return {
    tenant: base.href,
    ok: steps.every((s) => s.ok),
    steps,
    clockSkewSeconds: clock.skew,
    totalMs: r2(performance.now() - started),
  };
}

/** The key set every sign-in verifies with: the tenant's own `/.well-known/jwks.json`. */
const ownJwksOf = (base: URL) => new URL('.well-known/jwks.json', base).href;

function sameOrigin(url: string, base: URL): boolean {
  try {
    return new URL(url).origin === base.origin;
  } catch {
    return false;
  }
}

/** The origin of a URL for a message, or the text itself (cut short) when it is no URL. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return JSON.stringify(url.slice(0, 80));
  }
}

function jsonStep(
  name: 'openid-configuration' | 'jwks',
  r: { value?: HttpResponse; err?: unknown; ms: number },
  base: URL,
): CheckStep {
  if (!r.value) return failedStep(name, r.err, r.ms, base);
  const res = r.value;
  if (res.status !== 200 || parseJson(res.body) === undefined) {
    const error = badResponse(res, res.status !== 200 ? `status_${res.status}` : 'not_json', {
      tenant: base.host,
    });
    // The window shows the status, then the error's own sentence (translated) after it.
    return {
      name,
      ok: false,
      ms: r.ms,
      summary: `HTTP ${res.status}: ${error.message}`,
      summaryI18n: said('errors.check.httpStatus', { status: res.status }).summaryI18n,
      error,
    };
  }
  return { name, ok: true, ms: r.ms, ...said('errors.check.httpStatus', { status: res.status }) };
}
