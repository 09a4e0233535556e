/**
 * `GET /__outbox?phone=<E.164>`: the SMS messages the outbox provider kept, newest first, so
 * tests and a person at the machine can read the codes. Loopback callers only.
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context';
import { isLoopback } from '../request';
import { TenantError } from '../types';

export function registerOutbox(app: FastifyInstance, ctx: TenantContext): void {
  app.get('/__outbox', async (req, reply) => {
    if (!isLoopback(req.socket.remoteAddress ?? '')) {
      throw new TenantError(403, 'access_denied', 'the outbox is served to loopback callers only');
    }
    const phone = (req.query as Record<string, unknown>).phone;
    return reply.send(
      ctx.sms.outbox(typeof phone === 'string' && phone !== '' ? phone : undefined),
    );
  });
}
