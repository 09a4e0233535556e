import { describe, expect, it } from 'vitest';
import {
  isLocalHostName,
  isLoopbackHost,
  isLoopbackIp,
  isPinnedLoopbackHost,
  pinnedLoopbackAddress,
} from '../../src/node/loopback';
import { isTlsErrorCode, isUntrustedIssuerCode } from '../../src/node/tls-errors';

/** Table rows `[name, input, expected, judge]` for one judgement and its expected answers. */
const cases = (judge: (input: string) => boolean, expected: Record<string, boolean>) =>
  Object.entries(expected).map(([input, want]) => [judge.name, input, want, judge] as const);

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
    ...cases(isPinnedLoopbackHost, {
      'acme.localhost': true,
      LOCALHOST: true,
      'localhost.example.com': false,
    }),
    // The tenant does not count *.localhost as loopback for a URL the OS resolves (webhooks)…
    ...cases(isLoopbackHost, {
      localhost: true,
      '[::1]': true,
      'acme.localhost': false,
      '127.example.com': false,
    }),
    // …but accepts *.localhost as a Host header, which browsers resolve to loopback themselves.
    ...cases(isLocalHostName, { 'acme.localhost': true, '127.0.0.1': true, 'evil.example': false }),
  ])('%s(%j) is %s', (_name, host, expected, judge) => {
    expect(judge(host)).toBe(expected);
  });
});

describe('TLS error classes (node/tls-errors.ts)', () => {
  it.each([
    ...cases(isTlsErrorCode, {
      CERT_HAS_EXPIRED: true,
      ERR_SSL_WRONG_VERSION_NUMBER: true,
      EPROTO: true,
      ECONNREFUSED: false,
    }),
    ...cases(isUntrustedIssuerCode, { SELF_SIGNED_CERT_IN_CHAIN: true, CERT_HAS_EXPIRED: false }),
  ])(
    'tells certificate, untrusted-issuer and handshake failures from other socket errors: %s(%s) is %s',
    (_name, code, expected, judge) => {
      expect(judge(code)).toBe(expected);
    },
  );
});
