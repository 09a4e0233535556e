/**
 * `GET /__outbox?phone=<E.164>`: the SMS messages the outbox provider kept, newest first, so
 * tests and a person at the machine can read the codes. Loopback callers only, and only when
 * nothing suggests a proxy in front: the socket address of a request relayed by a reverse proxy
 * on the same host is loopback too, which would hand everyone's codes to anyone. So it is refused
 * (403 `access_denied`) when the request carries `Forwarded`, `X-Forwarded-For` or `X-Real-IP`,
 * and altogether when the tenant has a `publicUrl` whose host is not loopback (it is then meant to
 * be reached through another name; the codes are still printed to the tenant's console).
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context';
import { isLoopback } from '../request';
import { TenantError } from '../types';

/** Headers a reverse proxy adds; any of them means the socket address is the proxy's. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/** `localhost`, 127.0.0.0/8 or ::1, as the host of a URL. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || isLoopback(host);
}

export function registerOutbox(app: FastifyInstance, ctx: TenantContext): void {
  const publicHost = ctx.config.publicUrl ? new URL(ctx.config.publicUrl).hostname : undefined;
  const servedElsewhere = publicHost !== undefined && !isLoopbackHost(publicHost);
  const refuse = (why: string) => new TenantError(403, 'access_denied', why);

  app.get('/__outbox', async (req, reply) => {
    if (servedElsewhere)
      throw refuse('the outbox is off: this tenant is served at a public URL that is not loopback');
    if (FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined))
      throw refuse('the outbox is not served through a proxy');
    if (!isLoopback(req.socket.remoteAddress ?? ''))
      throw refuse('the outbox is served to loopback callers only');
    const phone = (req.query as Record<string, unknown>).phone;
    return reply.send(
      ctx.sms.outbox(typeof phone === 'string' && phone !== '' ? phone : undefined),
    );
  });
}
