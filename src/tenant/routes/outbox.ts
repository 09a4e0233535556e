/**
 * `GET /__outbox?phone=<E.164>`: the SMS messages the outbox provider kept, newest first, so
 * tests and a person at the machine can read the codes. Every code in it signs in, so it is
 * guarded four ways, each refusal a 403 `access_denied`:
 *
 * 1. Off altogether when the tenant has a `publicUrl` whose host is not loopback (it is then meant
 *    to be reached through another name; the codes are still printed on the tenant's console).
 * 2. Not through a proxy: a reverse proxy on this host makes every caller's socket address
 *    loopback, so a request carrying `Forwarded`, `X-Forwarded-For` or `X-Real-IP` is refused.
 * 3. Loopback only: the socket address, and the `Host` header, which must name this machine
 *    (`127.0.0.0/8`, `[::1]`, `localhost`, `*.localhost`). A web page whose own name an attacker
 *    re-resolves to 127.0.0.1 (DNS rebinding) reaches the socket but still sends its own name.
 * 4. The key: a random 256-bit secret made at each start ({@link SmsCodes.outboxKey}), printed on
 *    the tenant's console by its CLI and held by in-process callers as `Tenant.outboxKey`, sent as
 *    `Authorization: Bearer <key>` or `?key=<key>`. Checks 1–3 read what the caller chose to
 *    send, and a plain TCP relay on this host (socat, an SSH forward, a container port map) adds
 *    nothing: its callers look loopback and may write `Host: 127.0.0.1`. Only a secret that never
 *    left this machine's console tells the person at the machine from everyone the relay lets in.
 *
 * The answer is `Cache-Control: no-store`: codes are not kept by a browser's cache.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TenantContext } from '../context';
import { isLocalHostName, isLoopbackIp } from '../../node/loopback';
import { safeEqual } from '../request';
import type { SmsCodes } from '../sms';
import { tenantError } from '../errors';

/** Headers a reverse proxy adds; any of them means the socket address is the proxy's. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/** The host name of a `Host` header (`127.0.0.1:4455`, `[::1]:4455`), or undefined. */
function hostName(header: string | undefined): string | undefined {
  // A Host with a path, user info or anything else is not a host and port.
  if (!header || /[\s/?#@\\]/.test(header)) return undefined;
  try {
    return new URL(`http://${header}`).hostname;
  } catch {
    return undefined;
  }
}

/** The key the request presents: `Authorization: Bearer <key>`, else `?key=<key>`. */
function presentedKey(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined) return /^Bearer ([^\s]+)$/i.exec(auth)?.[1];
  const key = (req.query as Record<string, unknown>).key;
  return typeof key === 'string' ? key : undefined;
}

export function registerOutbox(app: FastifyInstance, ctx: TenantContext): void {
  const publicHost = ctx.config.publicUrl ? new URL(ctx.config.publicUrl).hostname : undefined;
  const servedElsewhere = publicHost !== undefined && !isLocalHostName(publicHost);
  const refuse = tenantError.accessDenied;
  const sms: SmsCodes = ctx.sms;

  app.get('/__outbox', async (req, reply) => {
    if (servedElsewhere)
      throw refuse('the outbox is off: this tenant is served at a public URL that is not loopback');
    if (FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined))
      throw refuse('the outbox is not served through a proxy');
    if (!isLoopbackIp(req.socket.remoteAddress ?? ''))
      throw refuse('the outbox is served to loopback callers only');
    const host = hostName(req.headers.host);
    if (host === undefined || !isLocalHostName(host))
      throw refuse('the outbox answers only requests addressed to 127.0.0.1, [::1] or localhost');
    const key = presentedKey(req);
    if (key === undefined || !safeEqual(key, sms.outboxKey))
      throw refuse(
        'the outbox needs the key the tenant printed at start: Authorization: Bearer <key> or ?key=<key>',
      );
    const phone = (req.query as Record<string, unknown>).phone;
    return reply
      .header('cache-control', 'no-store')
      .send(sms.outbox(typeof phone === 'string' && phone !== '' ? phone : undefined));
  });
}
