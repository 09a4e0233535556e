/**
 * Browsers of other origins may not change anything: a state-changing request (every method but
 * GET, HEAD and OPTIONS) whose `Origin` header is neither the tenant's own origin (its issuer's)
 * nor an allowed web origin of the client it names (`client_id` of the body, config
 * `web_origins`) is refused with 403 `access_denied` before its route runs, so a web page cannot
 * sign in, spend brute-force attempts, send SMS or revoke tokens through a visitor's browser.
 * A request naming no client (/tokeninfo) passes only from the tenant's own origin; the reset
 * page's form (routes/reset-page.ts) from any, as its ticket is its authority. Native
 * clients send no `Origin` and are unaffected. The `Host` header is never trusted for this
 * (a rebound DNS name would make any page "same-origin").
 *
 * CORS, as Auth0's "Allowed Web Origins": an origin listed in some client's `web_origins` gets
 * its preflight answered (204, the methods and headers Auth0's SDKs send) and
 * `Access-Control-Allow-Origin` on every answer, so its pages can read them; any other origin
 * gets no CORS header (its preflight is 403), and the loopback-only `/__…` routes never do.
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from './context';
import { tenantError } from './errors';
import { RESET_ROUTE } from './routes/reset-page';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `scheme://host[:port]` of a URL, lower-cased as browsers send it; undefined when not a URL. */
function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** What a preflight from an allowed web origin may ask for (auth0.js sends `Auth0-Client`). */
const CORS_HEADERS = {
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type, Auth0-Client',
  'access-control-max-age': '86400',
};

/** `origin`, exactly as a browser sends it, when some client lists it in `web_origins`. */
function allowedWebOrigin(ctx: TenantContext, origin: string | undefined): string | undefined {
  if (origin === undefined || originOf(origin) !== origin) return undefined;
  for (const client of ctx.clients.values())
    if (client.web_origins?.some((allowed) => originOf(allowed) === origin)) return origin;
  return undefined;
}

/** The loopback-only routes (`/__outbox`, `/__stats`): never shared with a web page. */
const localOnly = (url: string) => url.startsWith('/__');

/**
 * Registers the check as a preHandler hook (it needs the parsed body's `client_id`), and CORS
 * for the clients' web origins: the preflight route and the header on every answer.
 */
export function registerOriginCheck(app: FastifyInstance, ctx: TenantContext): void {
  app.options('/*', async (req, reply) => {
    const origin = localOnly(req.url) ? undefined : allowedWebOrigin(ctx, req.headers.origin);
    if (!origin) throw tenantError.accessDenied('Origin is not an allowed web origin');
    return reply.code(204).headers(CORS_HEADERS).send();
  });
  app.addHook('onSend', async (req, reply) => {
    const origin = localOnly(req.url) ? undefined : allowedWebOrigin(ctx, req.headers.origin);
    if (origin) reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
  });
  app.addHook('preHandler', async (req) => {
    if (SAFE_METHODS.has(req.method)) return;
    // The reset page's form: a browser sends `Origin: null` under its `no-referrer`, and what
    // authorises it is the ticket in the body, which another origin cannot know.
    if (req.routeOptions.url === RESET_ROUTE) return;
    const origin = req.headers.origin;
    if (origin === undefined) return;
    const asked = originOf(origin);
    if (asked !== undefined && asked === origin) {
      if (asked === originOf(ctx.issuer)) return;
      const body = req.body;
      const clientId =
        typeof body === 'object' && body !== null
          ? (body as Record<string, unknown>).client_id
          : undefined;
      const client = typeof clientId === 'string' ? ctx.clients.get(clientId) : undefined;
      if (client?.web_origins?.some((allowed) => originOf(allowed) === asked)) return;
    }
    throw tenantError.accessDenied(`Origin ${origin.slice(0, 200)} is not allowed`);
  });
}
