/**
 * Which host names stay on this machine, as the tenant judges a URL or a `Host` header it is
 * given (socket addresses are `isLoopback` in request.ts).
 */
import { isIP } from 'node:net';

/**
 * `localhost`, an IP literal in 127.0.0.0/8 or `::1` (brackets allowed): a name that reaches this
 * machine without asking DNS for anything but `localhost`. Not `127.example.com`.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost') return true;
  const v4 = /^::ffff:(.*)$/.exec(host)?.[1] ?? host;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
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
