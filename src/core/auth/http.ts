/**
 * The one HTTP client of core: a shared undici dispatcher (keep-alive, timeouts, proxy from the
 * environment or settings, extra CA certificates), capped response bodies, and the mapping of
 * every network failure to a `SignInError`. Auth, JWKS and diagnostics all go through it.
 * A loopback tenant is always reached directly, never through a proxy.
 */
import type { LookupFunction } from 'node:net';
import type { Agent, Dispatcher, EnvHttpProxyAgent } from 'undici';
import { DEFAULT_TIMEOUTS, type Timeouts } from '../../shared/settings.js';
import { safeExcerpt } from '../diagnostics/excerpt.js';
import { cancelled, type SignInError } from '../../shared/errors.js';
import { errorText } from '../../shared/error-text.js';
import { SignInFailure } from '../errors.js';
import { isPinnedLoopbackHost, pinnedLoopbackAddress } from '../../node/loopback.js';
import { isTlsErrorCode } from '../../node/tls-errors.js';

/** 1 MiB: no legitimate answer of a tenant comes near it. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpClientOptions {
  timeouts?: Partial<Timeouts>;
  /**
   * Proxy URL from settings; overrides HTTPS_PROXY/HTTP_PROXY. NO_PROXY still applies, and a
   * loopback origin never uses a proxy.
   */
  proxy?: string;
  /** Extra CA certificates (PEM text), added to Node's bundled roots. */
  extraCaPem?: string;
  maxBodyBytes?: number;
  /** `User-Agent` sent on every request. */
  userAgent?: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers?: Record<string, string>;
  /** JSON body (sent as application/json). */
  json?: unknown;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Milliseconds: until response headers, and until the whole body was read. */
  timings: { headersMs: number; totalMs: number; retried: boolean };
}

/** Error codes of a connection that never reached the server: safe to retry once. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EAI_AGAIN']);

/** Readable header map (undici gives string | string[]). */
function flatHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turns whatever undici or the socket threw into a `SignInError` with a sentence a user
 * understands and the technical cause kept for IT.
 */
export function networkError(err: unknown, url: URL, signal?: AbortSignal): SignInError {
  if (err instanceof SignInFailure) return err.error;
  const code = errorCode(err);
  const raw = err instanceof Error ? err.message : String(err);
  const detail: Record<string, unknown> = { url: url.origin + url.pathname, cause: raw };
  if (code) detail.errno = code;
  if (signal?.aborted) return { ...cancelled(), detail };
  // undici reports a proxy's refusal of the tunnel as an "AbortError" (RequestAbortedError):
  // it is the proxy answering, not the user cancelling.
  const proxyStatus = /^Proxy response \((\d{3})\)/.exec(raw)?.[1];
  if (proxyStatus) {
    return {
      code: 'network_unreachable',
      ...errorText(
        'errors.network.proxyRefused',
        { host: url.host, status: proxyStatus },
        'errors.hint.proxy',
      ),
      detail: { ...detail, phase: 'proxy', proxyStatus: Number(proxyStatus) },
    };
  }
  if (err instanceof Error && err.name === 'AbortError') return { ...cancelled(), detail };
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
      return {
        code: 'dns_failed',
        ...errorText('errors.network.dnsFailed', { host: url.hostname }),
        detail,
      };
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return {
        code: 'timeout',
        ...errorText('errors.network.connectTimeout', { host: url.host }),
        detail: { ...detail, phase: 'connect' },
      };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return {
        code: 'timeout',
        ...errorText('errors.network.headersTimeout'),
        detail: { ...detail, phase: 'headers' },
      };
    case 'UND_ERR_BODY_TIMEOUT':
      return {
        code: 'timeout',
        ...errorText('errors.network.bodyTimeout'),
        detail: { ...detail, phase: 'body' },
      };
    case 'ECONNREFUSED':
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'ENETDOWN':
    case 'EHOSTDOWN':
      return {
        code: 'network_unreachable',
        ...errorText('errors.network.unreachable', { host: url.host }),
        detail,
      };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return {
        code: 'network_unreachable',
        ...errorText('errors.network.cutOff'),
        detail: { ...detail, phase: 'response' },
      };
  }
  if ((code && isTlsErrorCode(code)) || /certificate|SSL|TLS/i.test(raw)) {
    return {
      code: 'tls_error',
      ...errorText('errors.network.tls', {}, 'errors.hint.caFile'),
      detail: { ...detail, certificateProblem: code ?? raw },
    };
  }
  return {
    code: 'network_unreachable',
    ...errorText('errors.network.other'),
    detail,
  };
}

/**
 * `localhost` and `*.localhost` connect to 127.0.0.1 without asking DNS or the hosts file,
 * which is what makes them loopback (`isPinnedLoopbackHost`). Only loopback origins reach this.
 */
const pinnedLookup: LookupFunction = (hostname, options, callback) => {
  const address = pinnedLoopbackAddress(hostname);
  if (!address) {
    const err = Object.assign(new Error(`${hostname} is not a loopback name`), {
      code: 'ENOTFOUND',
    });
    return callback(err, '', 4);
  }
  if (options.all) return (callback as unknown as AllCallback)(null, [{ address, family: 4 }]);
  callback(null, address, 4);
};
type AllCallback = (err: null, addresses: Array<{ address: string; family: number }>) => void;

type Undici = typeof import('undici');
let undici: Promise<Undici> | undefined;

/**
 * undici, loaded on the first request rather than at import: a command that never goes
 * online (`signet token` with a valid token, `signet --version`) does not pay for starting
 * it, a large part of the CLI's start-up time (bench/cli.ts).
 */
const loadUndici = (): Promise<Undici> => (undici ??= import('undici'));

/**
 * Routes each request by its origin: a loopback tenant goes straight to this machine, never
 * through a proxy (the password of a plain-http local tenant would cross to the proxy in
 * clear, and a proxy cannot reach this machine's loopback anyway); every other origin goes
 * through the proxy of the settings or the environment (NO_PROXY honoured). Defined once
 * undici is loaded (its base class comes from there).
 */
const tenantDispatcherClass = (u: Undici) =>
  class TenantDispatcher extends u.Dispatcher {
    constructor(
      private readonly direct: Agent,
      private readonly proxied: EnvHttpProxyAgent,
    ) {
      super();
    }

    override dispatch(
      options: Dispatcher.DispatchOptions,
      handler: Dispatcher.DispatchHandler,
    ): boolean {
      const origin = new URL(String(options.origin));
      return (isPinnedLoopbackHost(origin.hostname) ? this.direct : this.proxied).dispatch(
        options,
        handler,
      );
    }

    override close(): Promise<void>;
    override close(callback: () => void): void;
    override close(callback?: () => void): Promise<void> | void {
      const done = Promise.all([this.direct.close(), this.proxied.close()]).then(() => undefined);
      if (!callback) return done;
      void done.then(callback, callback);
    }

    override destroy(): Promise<void>;
    override destroy(err: Error | null): Promise<void>;
    override destroy(callback: () => void): void;
    override destroy(err: Error | null, callback: () => void): void;
    override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
      const err = typeof a === 'function' ? null : (a ?? null);
      const callback = typeof a === 'function' ? a : b;
      const done = Promise.all([this.direct.destroy(err), this.proxied.destroy(err)]).then(
        () => undefined,
      );
      if (!callback) return done;
      void done.then(callback, callback);
    }
  };

/** Shared HTTP client. Create one per settings (proxy, CA, timeouts) and reuse it. */
export class HttpClient {
  private readonly timeouts: Timeouts;
  private readonly maxBody: number;
  private readonly userAgent: string;
  private readonly options: HttpClientOptions;
  /** The dispatcher, made with undici on the first request (see `loadUndici`). */
  private dispatcher: Promise<{ undici: Undici; dispatcher: Dispatcher }> | undefined;

  constructor(options: HttpClientOptions = {}) {
    this.options = options;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
    this.userAgent = options.userAgent ?? 'signet';
  }

  private connection(): Promise<{ undici: Undici; dispatcher: Dispatcher }> {
    this.dispatcher ??= Promise.all([loadUndici(), import('node:tls')]).then(
      ([undici, nodeTls]) => {
        const ca = this.options.extraCaPem
          ? [...nodeTls.rootCertificates, this.options.extraCaPem]
          : undefined;
        const tls = ca ? { ca } : {};
        const common = {
          headersTimeout: this.timeouts.headersMs,
          bodyTimeout: this.timeouts.bodyMs,
          keepAliveTimeout: 30_000,
          maxResponseSize: this.maxBody,
        };
        const proxy = this.options.proxy;
        const TenantDispatcher = tenantDispatcherClass(undici);
        const dispatcher = new TenantDispatcher(
          new undici.Agent({
            ...common,
            connect: { timeout: this.timeouts.connectMs, lookup: pinnedLookup, ...tls },
          }),
          new undici.EnvHttpProxyAgent({
            ...common,
            ...(proxy ? { httpProxy: proxy, httpsProxy: proxy } : {}),
            connect: { timeout: this.timeouts.connectMs, ...tls },
            requestTls: tls,
            proxyTls: tls,
          }),
        );
        return { undici, dispatcher };
      },
    );
    return this.dispatcher;
  }

  /**
   * Sends one request and reads the whole (capped) body. Throws `SignInFailure` for every
   * network problem; HTTP error statuses are returned, not thrown (the caller maps them).
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const started = performance.now();
    try {
      return await this.once(req, started, false);
    } catch (err) {
      // Only a connection that was refused (or a DNS hiccup) is retried, once: the request
      // never left this machine, so even a credential POST (password, code, refresh token) is
      // safe to send again. Anything that may have reached the server is never re-sent.
      if (!req.signal?.aborted && NOT_SENT.has(errorCode(err) ?? '')) {
        try {
          return await this.once(req, started, true);
        } catch (err2) {
          throw new SignInFailure(networkError(err2, req.url, req.signal));
        }
      }
      throw new SignInFailure(networkError(err, req.url, req.signal));
    }
  }

  private async once(req: HttpRequest, started: number, retried: boolean): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.userAgent,
      ...req.headers,
    };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    }
    const { undici, dispatcher } = await this.connection();
    const res = await undici.request(req.url, {
      dispatcher,
      method: req.method,
      headers,
      body,
      signal: req.signal,
    });
    const headersMs = performance.now() - started;
    const flat = flatHeaders(res.headers);
    const declared = Number(flat['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBody) {
      res.body.destroy();
      throw new SignInFailure(this.tooLarge(req.url, res.statusCode, declared));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        size += buf.length;
        if (size > this.maxBody) {
          res.body.destroy();
          throw new SignInFailure(this.tooLarge(req.url, res.statusCode, size));
        }
        chunks.push(buf);
      }
    } catch (err) {
      if (err instanceof SignInFailure) throw err;
      if (errorCode(err) === 'UND_ERR_RES_EXCEEDED_MAX_SIZE')
        throw new SignInFailure(this.tooLarge(req.url, res.statusCode, size));
      // A body cut off mid-way: the tenant answered, but not whole. What arrived is kept for IT,
      // secrets masked: a cut-off token answer still holds tokens.
      const e = networkError(err, req.url, req.signal);
      const firstBytes = safeExcerpt(Buffer.concat(chunks), flat['content-type']);
      if (e.code === 'network_unreachable') {
        throw new SignInFailure({
          code: 'bad_response',
          ...errorText('errors.response.truncated', { status: res.statusCode }),
          status: res.statusCode,
          detail: { ...e.detail, problem: 'truncated', bytes: size, firstBytes },
        });
      }
      throw new SignInFailure({
        ...e,
        status: res.statusCode,
        detail: { ...e.detail, firstBytes },
      });
    }
    return {
      status: res.statusCode,
      headers: flat,
      body: Buffer.concat(chunks),
      timings: { headersMs, totalMs: performance.now() - started, retried },
    };
  }

  private tooLarge(url: URL, status: number, bytes: number): SignInError {
    return {
      code: 'bad_response',
      ...errorText('errors.response.tooLarge'),
      status,
      detail: { url: url.origin + url.pathname, bytes, limit: this.maxBody, problem: 'too_large' },
    };
  }

  /**
   * A WHATWG `fetch` over this dispatcher, for jose's `createRemoteJWKSet` (`customFetch`):
   * the JWKS is fetched with the same proxy, CA, timeouts and body cap as everything else.
   */
  readonly fetch = async (url: string, init: { signal?: AbortSignal; headers?: Headers }) => {
    const headers: Record<string, string> = {};
    init.headers?.forEach((v, k) => (headers[k] = v));
    const res = await this.send({ method: 'GET', url: new URL(url), headers, signal: init.signal });
    return new Response(res.body.length ? new Uint8Array(res.body) : null, {
      status: res.status,
      headers: res.headers,
    });
  };

  /** Closes idle connections; in-flight requests finish first. */
  async close(): Promise<void> {
    if (this.dispatcher) await (await this.dispatcher).dispatcher.close();
  }
}
