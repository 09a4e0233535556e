/** The claims view model: labels, times as ISO + relative, arrays as lists. */
import { describe, expect, it } from 'vitest';
import { claimView, claimsView, relativeTime } from '../../src/shared/claims.js';
import { decodeToken } from '../../src/core/tokens/decode.js';

const now = Date.parse('2026-11-01T12:00:00Z');

describe('claims view', () => {
  it('exp becomes ISO and relative time', () => {
    const v = claimView('exp', now / 1000 + 36_000, now);
    expect(v).toMatchObject({
      label: 'Expires',
      kind: 'time',
      iso: '2026-11-01T22:00:00.000Z',
      relative: 'in 10 h',
      standard: true,
    });
    expect(v.formatted).toBe('2026-11-01T22:00:00.000Z (in 10 h)');
  });

  it('iat in the past reads "ago"', () => {
    expect(claimView('iat', now / 1000 - 180, now).relative).toBe('3 min ago');
  });

  it('groups become a list', () => {
    expect(claimView('groups', ['engineering', 'navy'], now)).toMatchObject({
      kind: 'list',
      items: ['engineering', 'navy'],
      formatted: 'engineering, navy',
      label: 'Groups',
    });
  });

  it('unknown claims keep their name as label; objects are JSON', () => {
    expect(claimView('https://acme/roles', { a: 1 }, now)).toMatchObject({
      label: 'https://acme/roles',
      kind: 'object',
      formatted: '{"a":1}',
    });
  });

  it('booleans read yes/no; updated_at ISO strings are times', () => {
    expect(claimView('email_verified', true, now).formatted).toBe('yes');
    expect(claimView('updated_at', '2026-10-31T12:00:00.000Z', now)).toMatchObject({
      kind: 'time',
      relative: '24 h ago',
    });
  });

  it('orders name and email first, then sub, iss, aud, iat, exp, then the rest A–Z', () => {
    const names = claimsView(
      { zeta: 1, exp: 1, email: 'a', sub: 's', alpha: 2, name: 'n', iss: 'i', aud: 'a', iat: 1 },
      now,
    ).map((c) => c.name);
    expect(names).toEqual(['name', 'email', 'sub', 'iss', 'aud', 'iat', 'exp', 'alpha', 'zeta']);
  });

  it('relative time units', () => {
    expect(relativeTime(now + 10_000, now)).toBe('just now');
    expect(relativeTime(now + 3 * 86_400_000, now)).toBe('in 3 days');
    expect(relativeTime(now - 90 * 60_000, now)).toBe('1 h 30 min ago');
  });

  it('decodeToken gives header, payload, claims and expiresAt; garbage is invalid_input', () => {
    const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const d = decodeToken(`${b({ alg: 'RS256' })}.${b({ sub: 'x', exp: 2_000_000_000 })}.sig`, now);
    expect(d.header).toEqual({ alg: 'RS256' });
    expect(d.expiresAt).toBe('2033-05-18T03:33:20.000Z');
    expect(() => decodeToken('nope')).toThrow(/JSON Web Token/);
  });
});
