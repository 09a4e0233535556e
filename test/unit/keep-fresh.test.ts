import { describe, expect, it } from 'vitest';
import {
  dueTime,
  isTransient,
  KeepFresh,
  KEEP_FRESH_TIMING,
  retryDelay,
} from '../../src/main/keep-fresh';
import type { RecordKey, SessionResult } from '../../src/shared/session';

// When keep-fresh renews and how it backs off (src/main/keep-fresh.ts); the renewals
// themselves are tested against a real tenant in test/integration/main-keep-fresh.test.ts.
describe('keep-fresh timing', () => {
  const at = Date.parse('2026-12-01T09:00:00Z');
  const hours = (h: number) => h * 3_600_000;

  it('renews a long-lived token the lead time before it expires', () => {
    const expires = at + hours(10);
    expect(dueTime(at, expires)).toBe(expires - KEEP_FRESH_TIMING.leadMs);
    // More than `signet token`'s default --min-valid (60 s) is left when it renews.
    expect(expires - dueTime(at, expires)).toBeGreaterThan(60_000);
  });

  it('renews a short-lived token halfway, so renewals cannot follow each other back to back', () => {
    expect(dueTime(at, at + 4_000)).toBe(at + 2_000);
    expect(dueTime(at, at + 6 * 60_000)).toBe(at + 3 * 60_000);
    // A token that arrived expired (clock skew) is due at once; the scheduler's minDelayMs spaces it.
    expect(dueTime(at, at - 1_000)).toBe(at - 1_000);
  });

  it('doubles the wait after each failure, up to the cap', () => {
    const waits = [1, 2, 3, 4, 10, 50].map((n) => retryDelay(n));
    expect(waits.slice(0, 4)).toEqual([15_000, 30_000, 60_000, 120_000]);
    expect(waits.at(-1)).toBe(KEEP_FRESH_TIMING.retryMaxMs);
    expect(waits.at(-2)).toBe(KEEP_FRESH_TIMING.retryMaxMs);
  });

  it('retries what the network explains and stops on a refusal', () => {
    for (const code of [
      'network_unreachable',
      'timeout',
      'server_error',
      'bad_response',
      'rate_limited',
      'too_many_requests',
      'keychain_unavailable',
    ])
      expect(isTransient({ code, message: '' }), code).toBe(true);
    for (const code of [
      'invalid_grant',
      'unauthorized',
      'access_denied',
      'not_signed_in',
      'token_invalid',
    ])
      expect(isTransient({ code, message: '' }), code).toBe(false);
  });
});

describe('keep-fresh after the service closed', () => {
  /** A refreshable session whose id_token expires in `ms` (only the fields keep-fresh reads). */
  const session = (ms: number): SessionResult =>
    ({
      tenant: 'https://tenant.test/',
      clientId: 'client',
      username: 'ada@signet.test',
      refreshable: true,
      obtainedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + ms).toISOString(),
    }) as SessionResult;

  it('a sign-in that lands after close plans no renewal on the closed core', async () => {
    const renewals: RecordKey[] = [];
    const keepFresh = new KeepFresh({
      refresh: async (key) => {
        renewals.push(key);
        throw new Error('the core is closed');
      },
      onRefreshed: () => undefined,
      timing: { minDelayMs: 10, retryFirstMs: 10, tickMs: 20 },
    });
    await keepFresh.dispose();
    // What a sign-in still in flight at close does when it finishes: the service shows it.
    keepFresh.follow(session(100));
    expect(keepFresh.state()).toMatchObject({ status: 'off', nextRefreshAt: null });
    await new Promise((r) => setTimeout(r, 300));
    expect(renewals).toEqual([]);
    expect(keepFresh.state().status).toBe('off');
  });

  it('stop (sign-out) still lets a later sign-in be followed', async () => {
    const keepFresh = new KeepFresh({
      refresh: () => new Promise<SessionResult>(() => undefined),
      onRefreshed: () => undefined,
    });
    await keepFresh.stop();
    keepFresh.follow(session(3_600_000));
    expect(keepFresh.state().status).toBe('scheduled');
    await keepFresh.dispose();
    expect(keepFresh.state().status).toBe('off');
  });
});
