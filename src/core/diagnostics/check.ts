/**
 * `check(tenant)`: what IT runs when a connection misbehaves. Each step is timed and reports
 * its own outcome, so one failure (say, TLS inspection) does not hide the others.
 */
import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP } from 'node:net';
import {
  connect as tlsConnect,
  rootCertificates,
  type PeerCertificate,
  type DetailedPeerCertificate,
} from 'node:tls';
import type { SignInError } from '../../shared/errors.js';
import { networkError, type HttpClient, type HttpResponse } from '../auth/http.js';
import { badResponse, parseJson } from '../auth/server-errors.js';
import { isPinnedLoopbackHost, pinnedLoopbackAddress } from '../../node/loopback.js';
import { issuerOf } from '../auth/tenant-url.js';
import { SignInFailure } from '../errors.js';
import type { CertInfo, CheckReport, CheckStep } from '../../shared/session.js';
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

/** Runs every check against one tenant. */
export async function checkTenant(
  base: URL,
  http: HttpClient,
  o: { extraCaPem?: string; proxy?: string; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<CheckReport> {
  const started = performance.now();
  const steps: CheckStep[] = [];
  const limit = o.timeoutMs ?? 10_000;
  const host = base.hostname.replace(/^\[|\]$/g, '');
  const port = Number(base.port) || (base.protocol === 'https:' ? 443 : 80);
  // A loopback tenant is always reached directly (see auth/http.ts).
  const proxied =
    !isPinnedLoopbackHost(host) &&
    Boolean(o.proxy || process.env.HTTPS_PROXY || process.env.https_proxy);

  // 1. DNS
  let address = pinnedLoopbackAddress(host) ?? host;
  if (address !== host) {
    steps.push({
      name: 'dns',
      ok: true,
      skipped: true,
      ms: 0,
      summary: `${host} is a loopback name: always ${address}, never looked up`,
    });
  } else if (isIP(host)) {
    steps.push({
      name: 'dns',
      ok: true,
      skipped: true,
      ms: 0,
      summary: `${host} is an IP address`,
    });
  } else {
    const d = await timed(() => lookup(host, { all: true }));
    if (d.value && d.value[0]) {
      address = d.value[0].address;
      steps.push({
        name: 'dns',
        ok: true,
        ms: d.ms,
        summary: `${host} → ${d.value.map((a) => a.address).join(', ')}`,
        detail: { addresses: d.value },
      });
    } else {
      const error = networkError(d.err, base);
      steps.push({ name: 'dns', ok: false, ms: d.ms, summary: error.message, error });
    }
  }

  // 2. TCP
  const tcp = await timed(
    () =>
      new Promise<void>((resolve, reject) => {
        const s = netConnect({ host: address, port });
        const timer = setTimeout(
          () => done(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })),
          limit,
        );
        const done = (err?: Error) => {
          clearTimeout(timer);
          s.destroy();
          if (err) reject(err);
          else resolve();
        };
        s.once('connect', () => done());
        s.once('error', done);
      }),
  );
  if (tcp.err) {
    const error = networkError(tcp.err, base);
    steps.push({
      name: 'tcp',
      ok: false,
      ms: tcp.ms,
      summary: error.message,
      error,
      detail: { address, port },
    });
  } else {
    steps.push({
      name: 'tcp',
      ok: true,
      ms: tcp.ms,
      summary: `connected to ${address}:${port}`,
      detail: { address, port },
    });
  }

  // 3. TLS
  if (base.protocol !== 'https:') {
    steps.push({
      name: 'tls',
      ok: true,
      skipped: true,
      ms: 0,
      summary: 'plain http (allowed for a loopback tenant only)',
    });
  } else {
    const ca = o.extraCaPem ? [...rootCertificates, o.extraCaPem] : undefined;
    const tls = await timed(
      () =>
        new Promise<{
          authorized: boolean;
          error?: string;
          chain: CertInfo[];
          protocol: string | null;
          cipher: string;
        }>((resolve, reject) => {
          const s = tlsConnect({
            host: address,
            port,
            servername: isIP(host) ? undefined : host,
            ca,
            rejectUnauthorized: false,
          });
          const timer = setTimeout(() => {
            s.destroy();
            reject(Object.assign(new Error('TLS handshake timeout'), { code: 'ETIMEDOUT' }));
          }, limit);
          s.once('secureConnect', () => {
            clearTimeout(timer);
            const peer = s.getPeerCertificate(true);
            const out = {
              authorized: s.authorized,
              ...(s.authorizationError ? { error: String(s.authorizationError) } : {}),
              chain: peer && 'fingerprint256' in peer ? chainOf(peer) : [],
              protocol: s.getProtocol(),
              cipher: s.getCipher().name,
            };
            s.destroy();
            resolve(out);
          });
          s.once('error', (e) => {
            clearTimeout(timer);
            reject(e);
          });
        }),
    );
    if (tls.value) {
      const v = tls.value;
      const error: SignInError | undefined = v.authorized
        ? undefined
        : {
            code: 'tls_error',
            message: `The tenant's certificate is not trusted: ${v.error ?? 'unknown reason'}.`,
            detail: { certificateProblem: v.error },
          };
      steps.push({
        name: 'tls',
        ok: v.authorized,
        ms: tls.ms,
        summary: v.authorized
          ? `${v.protocol ?? 'TLS'} ${v.cipher}, chain trusted`
          : error!.message,
        detail: { protocol: v.protocol, cipher: v.cipher, chain: v.chain },
        ...(error ? { error } : {}),
      });
    } else {
      const error = networkError(tls.err, base);
      steps.push({ name: 'tls', ok: false, ms: tls.ms, summary: error.message, error });
    }
  }

  // 4. openid-configuration (through the real client: proxy, CA, timeouts)
  const ownJwks = new URL('.well-known/jwks.json', base).href;
  let jwksUri = ownJwks;
  /** A jwks_uri the discovery names outside the tenant's origin: reported, never fetched. */
  let foreignJwks: string | undefined;
  let dateHeader: string | undefined;
  let receivedAt = 0;
  const oc = await timed(() =>
    http.send({
      method: 'GET',
      url: new URL('.well-known/openid-configuration', base),
      signal: o.signal,
    }),
  );
  const ocStep = jsonStep('openid-configuration', oc, base);
  if (oc.value) {
    dateHeader = oc.value.headers.date;
    receivedAt = Date.now();
    const json = parseJson(oc.value.body) as Record<string, unknown> | undefined;
    if (ocStep.ok && json) {
      if (typeof json.jwks_uri === 'string') {
        if (sameOrigin(json.jwks_uri, base)) jwksUri = json.jwks_uri;
        else foreignJwks = json.jwks_uri;
      }
      const issuerOk = json.issuer === issuerOf(base);
      ocStep.ok = issuerOk;
      ocStep.summary = issuerOk
        ? `issuer ${String(json.issuer)}`
        : `issuer is ${String(json.issuer)}, expected ${issuerOf(base)} (tokens would fail verification)`;
      ocStep.detail = {
        issuer: json.issuer,
        jwks_uri: json.jwks_uri,
        token_endpoint: json.token_endpoint,
      };
    }
  }
  steps.push(ocStep);

  // 5. JWKS — only ever from the tenant's own origin (scheme, host and port), as the sign-in.
  const jw = foreignJwks
    ? undefined
    : await timed(() => http.send({ method: 'GET', url: new URL(jwksUri), signal: o.signal }));
  const jwStep: CheckStep = jw
    ? jsonStep('jwks', jw, base)
    : {
        name: 'jwks',
        ok: false,
        skipped: true,
        ms: 0,
        summary: `not fetched: the discovery names a jwks_uri on another origin (${originOf(foreignJwks!)}); Signet fetches only the tenant's own origin (${base.origin}), and sign-ins verify with ${ownJwks}`,
        detail: { jwks_uri: foreignJwks, tenantOrigin: base.origin, verifiesWith: ownJwks },
      };
  if (jwStep.ok && jw?.value) {
    const json = parseJson(jw.value.body) as { keys?: Array<Record<string, unknown>> } | undefined;
    const keys = Array.isArray(json?.keys) ? json.keys : [];
    jwStep.ok = keys.length > 0;
    jwStep.summary = keys.length
      ? `${keys.length} key(s): ${keys.map((k) => `${String(k.kid)} (${String(k.alg ?? k.kty)})`).join(', ')}`
      : 'the key set holds no keys';
    jwStep.detail = {
      url: jwksUri,
      keys: keys.map((k) => ({ kid: k.kid, kty: k.kty, alg: k.alg, use: k.use })),
    };
  }
  steps.push(jwStep);

  // 6. Clock
  let skew: number | null = null;
  if (dateHeader && !Number.isNaN(Date.parse(dateHeader))) {
    // Date has 1 s resolution: compare with the local time the answer arrived.
    skew = Math.round((Date.parse(dateHeader) - receivedAt) / 1000);
    const ok = Math.abs(skew) <= 60;
    steps.push({
      name: 'clock',
      ok,
      ms: 0,
      summary: ok
        ? `clock skew ${skew} s (within the 60 s tolerance)`
        : `this computer's clock is ${Math.abs(skew)} s ${skew > 0 ? 'behind' : 'ahead of'} the tenant: tokens will fail verification`,
      detail: { serverDate: dateHeader, localDate: new Date(receivedAt).toISOString() },
    });
  } else {
    steps.push({
      name: 'clock',
      ok: true,
      skipped: true,
      ms: 0,
      summary: 'the tenant sent no Date header',
    });
  }

  if (proxied) {
    for (const s of steps)
      if (s.name === 'dns' || s.name === 'tcp' || s.name === 'tls')
        s.detail = { ...s.detail, note: 'direct connection; requests go through the proxy' };
  }
  return {
    tenant: base.href,
    ok: steps.every((s) => s.ok),
    steps,
    clockSkewSeconds: skew,
    totalMs: r2(performance.now() - started),
  };
}

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
  if (!r.value) {
    const error = r.err instanceof SignInFailure ? r.err.error : networkError(r.err, base);
    return { name, ok: false, ms: r.ms, summary: error.message, error };
  }
  const res = r.value;
  if (res.status !== 200 || parseJson(res.body) === undefined) {
    const error = badResponse(res, res.status !== 200 ? `status_${res.status}` : 'not_json', {
      tenant: base.host,
    });
    return { name, ok: false, ms: r.ms, summary: `HTTP ${res.status}: ${error.message}`, error };
  }
  return { name, ok: true, ms: r.ms, summary: `HTTP ${res.status}` };
}
