/**
 * `GET /__outbox?phone=<E.164>`: the SMS messages the outbox provider kept, newest first, so
 * tests and a person at the machine can read the codes; `GET /__outbox?email=<address>`: the
 * emails kept for that address (reset links), newest first (`?email=` alone: every email).
 * Every code and link in it signs in or sets a password, so it is
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
    const { phone, email } = req.query as Record<string, unknown>;
    reply.header('cache-control', 'no-store');
    if (typeof email === 'string')
      return reply.send(ctx.email.outbox(email !== '' ? email : undefined));
    return reply.send(
      ctx.sms.outbox(typeof phone === 'string' && phone !== '' ? phone : undefined),
    );
  });
}
