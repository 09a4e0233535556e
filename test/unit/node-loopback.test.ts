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
  });

  it.each([
    // Signet's client pins localhost and *.localhost to 127.0.0.1.
    ['isPinnedLoopbackHost', isPinnedLoopbackHost, 'acme.localhost', true],
    ['isPinnedLoopbackHost', isPinnedLoopbackHost, 'LOCALHOST', true],
    ['isPinnedLoopbackHost', isPinnedLoopbackHost, 'localhost.example.com', false],
    // The tenant does not count *.localhost as loopback for a URL the OS resolves (webhooks)…
    ['isLoopbackHost', isLoopbackHost, 'localhost', true],
    ['isLoopbackHost', isLoopbackHost, '[::1]', true],
    ['isLoopbackHost', isLoopbackHost, 'acme.localhost', false],
    ['isLoopbackHost', isLoopbackHost, '127.example.com', false],
    // …but accepts *.localhost as a Host header, which browsers resolve to loopback themselves.
    ['isLocalHostName', isLocalHostName, 'acme.localhost', true],
    ['isLocalHostName', isLocalHostName, '127.0.0.1', true],
    ['isLocalHostName', isLocalHostName, 'evil.example', false],
  ] as const)('%s(%j) is %s', (_name, judge, host, expected) => {
    expect(judge(host)).toBe(expected);
  });
});

describe('TLS error classes (node/tls-errors.ts)', () => {
  it.each([
    ['isTlsErrorCode', isTlsErrorCode, 'CERT_HAS_EXPIRED', true],
    ['isTlsErrorCode', isTlsErrorCode, 'ERR_SSL_WRONG_VERSION_NUMBER', true],
    ['isTlsErrorCode', isTlsErrorCode, 'EPROTO', true],
    ['isTlsErrorCode', isTlsErrorCode, 'ECONNREFUSED', false],
    ['isUntrustedIssuerCode', isUntrustedIssuerCode, 'SELF_SIGNED_CERT_IN_CHAIN', true],
    ['isUntrustedIssuerCode', isUntrustedIssuerCode, 'CERT_HAS_EXPIRED', false],
  ] as const)(
    'tells certificate, untrusted-issuer and handshake failures from other socket errors: %s(%s) is %s',
    (_name, judge, code, expected) => {
      expect(judge(code)).toBe(expected);
    },
  );
});
