import { describe, expect, it } from 'vitest';
import {
  isLocalHostName,
  isLoopbackHost,
  isLoopbackIp,
  isPinnedLoopbackHost,
  pinnedLoopbackAddress,
} from '../../src/node/loopback';
import { isTlsErrorCode, isUntrustedIssuerCode } from '../../src/node/tls-errors';

describe('loopback judgements (node/loopback.ts)', () => {
  it('loopback IP literals in any spelling, never a name that only looks like one', () => {
    for (const ip of [
      '127.0.0.1',
      '127.9.9.9',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
    ])
      expect(isLoopbackIp(ip), ip).toBe(true);
    for (const h of ['10.0.0.1', '::ffff:10.0.0.1', 'localhost', '127.0.0.1.example.com', '127.1'])
      expect(isLoopbackIp(h), h).toBe(false);
  });

  it("Signet's client pins localhost and *.localhost to 127.0.0.1, so it counts them as loopback", () => {
    expect(pinnedLoopbackAddress('acme.localhost.')).toBe('127.0.0.1');
    expect(isPinnedLoopbackHost('acme.localhost')).toBe(true);
    expect(isPinnedLoopbackHost('LOCALHOST')).toBe(true);
    expect(isPinnedLoopbackHost('localhost.example.com')).toBe(false);
  });

  it('the tenant does not count *.localhost as loopback for a URL the OS resolves (webhooks)', () => {
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('acme.localhost')).toBe(false);
    expect(isLoopbackHost('127.example.com')).toBe(false);
  });

  it('but accepts *.localhost as a Host header, which browsers resolve to loopback themselves', () => {
    expect(isLocalHostName('acme.localhost')).toBe(true);
    expect(isLocalHostName('127.0.0.1')).toBe(true);
    expect(isLocalHostName('evil.example')).toBe(false);
  });
});

describe('TLS error classes (node/tls-errors.ts)', () => {
  it('tells certificate, untrusted-issuer and handshake failures from other socket errors', () => {
    expect(isTlsErrorCode('CERT_HAS_EXPIRED')).toBe(true);
    expect(isTlsErrorCode('ERR_SSL_WRONG_VERSION_NUMBER')).toBe(true);
    expect(isTlsErrorCode('EPROTO')).toBe(true);
    expect(isTlsErrorCode('ECONNREFUSED')).toBe(false);
    expect(isUntrustedIssuerCode('SELF_SIGNED_CERT_IN_CHAIN')).toBe(true);
    expect(isUntrustedIssuerCode('CERT_HAS_EXPIRED')).toBe(false);
  });
});
