/**
 * `GET /__outbox?phone=<E.164>`: the SMS messages the outbox provider kept, newest first, so
 * tests and a person at the machine can read the codes. Every code in it signs in, so it is
 * served only to the person at the machine: loopback, a `Host` naming this machine, no proxy, and
 * the key printed at start (local-only.ts), else 403 `access_denied`.
 *
 * The answer is `Cache-Control: no-store`: codes are not kept by a browser's cache.
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context';
import { localOnlyGuard } from './local-only';

export function registerOutbox(app: FastifyInstance, ctx: TenantContext): void {
  const guard = localOnlyGuard(ctx, 'the outbox');
  app.get('/__outbox', async (req, reply) => {
    guard(req);
    const phone = (req.query as Record<string, unknown>).phone;
    return reply
      .header('cache-control', 'no-store')
      .send(ctx.sms.outbox(typeof phone === 'string' && phone !== '' ? phone : undefined));
  });
}
