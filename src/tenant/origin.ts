/**
 * Browsers of other origins may not change anything: a state-changing request (every method but
 * GET, HEAD and OPTIONS) whose `Origin` header is neither the tenant's own origin (its issuer's)
 * nor an allowed web origin of the client it names (`client_id` of the body, config
 * `web_origins`) is refused with 403 `access_denied` before its route runs, so a web page cannot
 * sign in, spend brute-force attempts, send SMS or revoke tokens through a visitor's browser.
 * A request naming no client (/tokeninfo) passes only from the tenant's own origin. Native
 * clients send no `Origin` and are unaffected. No CORS headers are sent. The `Host` header is never trusted for this
 * (a rebound DNS name would make any page "same-origin").
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from './context';
import { tenantError } from './errors';

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

/** Registers the check as a preHandler hook (it needs the parsed body's `client_id`). */
export function registerOriginCheck(app: FastifyInstance, ctx: TenantContext): void {
  app.addHook('preHandler', async (req) => {
    if (SAFE_METHODS.has(req.method)) return;
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
