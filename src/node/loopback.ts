/**
 * Which host names and addresses stay on this machine. Two judgements, for two kinds of caller:
 * - Signet's own client connects `localhost` and `*.localhost` to 127.0.0.1 itself and never
 *   asks DNS (`pinnedLoopbackAddress`), so for it those names are loopback too
 *   (`isPinnedLoopbackHost`): plain http and no proxy for them.
 * - A URL the local tenant is given (a webhook) is resolved by the operating system, which may
 *   ask DNS for `*.localhost`; there only `localhost` and loopback IP literals count
 *   (`isLoopbackHost`). A `Host` header a browser sends is another matter: browsers resolve
 *   `*.localhost` to loopback themselves (`isLocalHostName`).
 */
import { BlockList, isIP } from 'node:net';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6'); // 127/8 written as IPv4-mapped IPv6

/** The address every `localhost` / `*.localhost` name connects to: never asked of DNS. */
export const PINNED_LOOPBACK_ADDRESS = '127.0.0.1';

const unbracket = (host: string) => host.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/**
 * An IP literal of this machine: 127.0.0.0/8, `::1` (any spelling), or 127/8 as IPv4-mapped
 * IPv6. Brackets allowed. Names (even `localhost`) are not IP literals.
 */
export function isLoopbackIp(address: string): boolean {
  const ip = unbracket(address);
  const family = isIP(ip);
  if (family === 4) return LOOPBACK.check(ip, 'ipv4');
  if (family === 6) return LOOPBACK.check(ip, 'ipv6');
  return false;
}

/** `127.0.0.1` for `localhost` and `*.localhost` (RFC 6761 loopback names), else undefined. */
export function pinnedLoopbackAddress(hostname: string): string | undefined {
  const h = hostname.replace(/\.$/, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') ? PINNED_LOOPBACK_ADDRESS : undefined;
}

/**
 * True for hosts that never leave this machine when Signet connects them itself: loopback IP
 * literals and `localhost` / `*.localhost`. The names count only because Signet never resolves
 * them: HTTP and `check` connect them to `pinnedLoopbackAddress`, so a DNS server or hosts file
 * pointing them elsewhere is never consulted.
 */
export function isPinnedLoopbackHost(hostname: string): boolean {
  return pinnedLoopbackAddress(unbracket(hostname)) !== undefined || isLoopbackIp(hostname);
}

/**
 * `localhost` or a loopback IP literal: a name that reaches this machine even when the operating
 * system resolves it, without asking DNS for anything but `localhost`. Not `127.example.com`,
 * not `x.localhost`.
 */
export function isLoopbackHost(hostname: string): boolean {
  return unbracket(hostname) === 'localhost' || isLoopbackIp(hostname);
}

/**
 * A `Host` name a browser only ever sends for this machine: a loopback host, or a name under
 * `.localhost`, which browsers resolve to loopback themselves. A page of another site that
 * rebinds its DNS name to 127.0.0.1 still sends its own name, and is told apart by this.
 */
export function isLocalHostName(hostname: string): boolean {
  const host = hostname.replace(/\.$/, '').toLowerCase();
  return isLoopbackHost(host) || host.endsWith('.localhost');
}
