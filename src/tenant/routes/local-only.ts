/**
 * The guard of the tenant's pages for the person at the machine (`GET /__outbox`, `GET
 * /__stats`). Each refusal is a 403 `access_denied`:
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
 */
import type { FastifyRequest } from 'fastify';
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

/**
 * The four checks above for the page named `what` (e.g. `the outbox`): the returned function
 * throws a 403 `access_denied` for a request that fails one, and returns for the person at the
 * machine.
 */
export function localOnlyGuard(ctx: TenantContext, what: string): (req: FastifyRequest) => void {
  const publicHost = ctx.config.publicUrl ? new URL(ctx.config.publicUrl).hostname : undefined;
  const servedElsewhere = publicHost !== undefined && !isLocalHostName(publicHost);
  const refuse = tenantError.accessDenied;
  const sms: SmsCodes = ctx.sms;
  return (req) => {
    if (servedElsewhere)
      throw refuse(`${what} is off: this tenant is served at a public URL that is not loopback`);
    if (FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined))
      throw refuse(`${what} is not served through a proxy`);
    if (!isLoopbackIp(req.socket.remoteAddress ?? ''))
      throw refuse(`${what} is served to loopback callers only`);
    const host = hostName(req.headers.host);
    if (host === undefined || !isLocalHostName(host))
      throw refuse(`${what} answers only requests addressed to 127.0.0.1, [::1] or localhost`);
    const key = presentedKey(req);
    if (key === undefined || !safeEqual(key, sms.outboxKey))
      throw refuse(
        `${what} needs the key the tenant printed at start: Authorization: Bearer <key> or ?key=<key>`,
      );
  };
}
