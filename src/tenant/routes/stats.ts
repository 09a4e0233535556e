/**
 * `GET /__stats`: how many requests reached the tenant since it started, by route, and the grant
 * types asked of /oauth/ro, /oauth/token and /delegation (request-stats.ts), so a test can
 * assert how many refreshes happened. Guarded as the outbox is (local-only.ts: loopback, a `Host`
 * naming this machine, no proxy, the key printed at start). Itself not counted.
 *
 * Requests are counted when they arrive (`onRequest`) and grants once the body is parsed
 * (`preValidation`, before the origin check and the route), so a count is in place before its
 * answer is sent, whatever that answer.
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context';
import { RequestCounter } from '../request-stats';
import { localOnlyGuard } from './local-only';

const STATS_PATH = '/__stats';

/** Registers the counting hooks and the route; call before the other routes are registered. */
export function registerStats(app: FastifyInstance, ctx: TenantContext): RequestCounter {
  const counter = new RequestCounter();
  const guard = localOnlyGuard(ctx, 'the stats page');
  app.addHook('onRequest', async (req) => {
    const route = req.routeOptions.url;
    if (route !== STATS_PATH) counter.request(req.method, route);
  });
  app.addHook('preValidation', async (req) => {
    const route = req.routeOptions.url;
    const body = req.body;
    if (route === undefined || typeof body !== 'object' || body === null) return;
    const grantType = (body as Record<string, unknown>).grant_type;
    if (typeof grantType === 'string') counter.grant(route, grantType);
  });
  app.get(STATS_PATH, async (req, reply) => {
    guard(req);
    return reply.header('cache-control', 'no-store').send(counter.snapshot());
  });
  return counter;
}
