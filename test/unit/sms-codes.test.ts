import { describe, expect, it } from 'vitest';
import { demoConfig } from '../../src/tenant/config';
import { SmsCodes, type OutboxMessage, type SmsLimits } from '../../src/tenant/sms';
import { TenantError } from '../../src/tenant/errors';

const PHONE = '+14155550100';
const OTHER = '+442071838750';
/** The client, connection and address a code is sent for and redeemed by. */
const ORIGIN = { clientId: 'signet-demo', connection: 'sms', ip: '127.0.0.1' };
/** The tenant's default limits (config.ts). */
const LIMITS: SmsLimits = demoConfig().sms;

function setup(opts: { ttlSeconds?: number; maxAttempts?: number } & Partial<SmsLimits> = {}) {
  let now = Date.parse('2026-11-02T10:00:00Z');
  const lines: string[] = [];
  const codes = new SmsCodes({
    ...LIMITS,
    ...opts,
    ttlSeconds: opts.ttlSeconds ?? 300,
    maxAttempts: opts.maxAttempts ?? 3,
    provider: { kind: 'outbox' },
    now: () => now,
    log: (line) => lines.push(line),
  });
  const latest = (phone = PHONE): OutboxMessage => {
    const message = codes.outbox(phone)[0];
    if (!message) throw new Error(`no message for ${phone}`);
    return message;
  };
  return { codes, lines, latest, advance: (ms: number) => (now += ms) };
}

/** A 6-digit code that is not `code`. */
const wrong = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('SmsCodes (outbox provider, injected clock)', () => {
  it('delivers a 6-digit code into the outbox and logs one line with it', async () => {
    const { codes, lines, latest } = setup();
    await codes.send(PHONE, ORIGIN);
    const message = latest();
    expect(message.code).toMatch(/^\d{6}$/);
    expect(message.recipient).toBe(PHONE);
    expect(message.body).toContain(message.code);
    expect(message.sentAt).toBe('2026-11-02T10:00:00.000Z');
    expect(message.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(PHONE);
    expect(lines[0]).toContain(message.code);
  });

  it('accepts the code once; a replay is refused', async () => {
    const { codes, latest } = setup();
    await codes.send(PHONE, ORIGIN);
    const { code } = latest();
    expect(codes.verify(PHONE, code, ORIGIN)).toBe(true);
    expect(codes.verify(PHONE, code, ORIGIN)).toBe(false);
  });

  it('refuses the code of another phone and a phone that never asked', async () => {
    const { codes, latest } = setup();
    await codes.send(PHONE, ORIGIN);
    expect(codes.verify(OTHER, latest().code, ORIGIN)).toBe(false);
    expect(codes.verify(PHONE, latest().code, ORIGIN)).toBe(true);
  });

  it('expires after ttlSeconds: valid 1 ms before, void at the limit', async () => {
    const early = setup({ ttlSeconds: 300 });
    await early.codes.send(PHONE, ORIGIN);
    early.advance(300_000 - 1);
    expect(early.codes.verify(PHONE, early.latest().code, ORIGIN)).toBe(true);

    const late = setup({ ttlSeconds: 300 });
    await late.codes.send(PHONE, ORIGIN);
    late.advance(300_000);
    expect(late.codes.verify(PHONE, late.latest().code, ORIGIN)).toBe(false);
  });

  it('voids the code after 3 wrong tries; the right code is then refused', async () => {
    const { codes, latest } = setup();
    await codes.send(PHONE, ORIGIN);
    const { code } = latest();
    expect(codes.verify(PHONE, wrong(code), ORIGIN)).toBe(false);
    expect(codes.verify(PHONE, wrong(code), ORIGIN)).toBe(false);
    expect(codes.verify(PHONE, wrong(code), ORIGIN)).toBe(false);
    expect(codes.verify(PHONE, code, ORIGIN)).toBe(false);
  });

  it('still accepts the right code after 2 wrong tries', async () => {
    const { codes, latest } = setup();
    await codes.send(PHONE, ORIGIN);
    const { code } = latest();
    expect(codes.verify(PHONE, wrong(code), ORIGIN)).toBe(false);
    expect(codes.verify(PHONE, 'not-a-code', ORIGIN)).toBe(false);
    expect(codes.verify(PHONE, code, ORIGIN)).toBe(true);
  });

  it('counts malformed tries (wrong length, empty) as wrong tries', async () => {
    const { codes, latest } = setup({ maxAttempts: 2 });
    await codes.send(PHONE, ORIGIN);
    expect(codes.verify(PHONE, '', ORIGIN)).toBe(false);
    expect(codes.verify(PHONE, '1234567', ORIGIN)).toBe(false);
    expect(codes.verify(PHONE, latest().code, ORIGIN)).toBe(false);
  });

  it('only the newest code counts', async () => {
    const { codes, latest } = setup();
    await codes.send(PHONE, ORIGIN);
    const first = latest().code;
    await codes.send(PHONE, ORIGIN);
    const second = latest().code;
    if (first !== second) expect(codes.verify(PHONE, first, ORIGIN)).toBe(false);
    expect(codes.verify(PHONE, second, ORIGIN)).toBe(true);
  });

  it('a new code starts with a fresh try count and a fresh lifetime', async () => {
    const { codes, latest, advance } = setup();
    await codes.send(PHONE, ORIGIN);
    const first = latest().code;
    codes.verify(PHONE, wrong(first), ORIGIN);
    codes.verify(PHONE, wrong(first), ORIGIN);
    advance(299_000);
    await codes.send(PHONE, ORIGIN);
    const second = latest().code;
    codes.verify(PHONE, wrong(second), ORIGIN);
    codes.verify(PHONE, wrong(second), ORIGIN);
    advance(200_000);
    expect(codes.verify(PHONE, second, ORIGIN)).toBe(true);
  });

  it('lists the outbox newest first, for all phones or one', async () => {
    const { codes, advance } = setup();
    await codes.send(PHONE, ORIGIN);
    advance(1000);
    await codes.send(OTHER, ORIGIN);
    advance(1000);
    await codes.send(PHONE, ORIGIN);
    const all = codes.outbox();
    expect(all.map((m) => [m.recipient, m.sentAt])).toEqual([
      [PHONE, '2026-11-02T10:00:02.000Z'],
      [OTHER, '2026-11-02T10:00:01.000Z'],
      [PHONE, '2026-11-02T10:00:00.000Z'],
    ]);
    expect(codes.outbox(PHONE).map((m) => m.sentAt)).toEqual([
      '2026-11-02T10:00:02.000Z',
      '2026-11-02T10:00:00.000Z',
    ]);
    expect(codes.outbox('+10000000000')).toEqual([]);
  });

  it('hands out copies: changing a listed message changes nothing inside', async () => {
    const { codes, latest } = setup();
    await codes.send(PHONE, ORIGIN);
    const listed = latest();
    const code = listed.code;
    listed.code = 'xxxxxx';
    expect(latest().code).toBe(code);
  });

  it('codes look random (not sequential, not constant)', async () => {
    const { codes } = setup({ sendsPerPhone: 20 });
    for (let i = 0; i < 20; i++) await codes.send(PHONE, ORIGIN);
    const seen = new Set(codes.outbox().map((m) => m.code));
    expect(seen.size).toBeGreaterThan(15);
  });

  it('refuses nonsense settings', () => {
    expect(
      () =>
        new SmsCodes({ ...LIMITS, ttlSeconds: 0, maxAttempts: 3, provider: { kind: 'outbox' } }),
    ).toThrow(RangeError);
    expect(
      () =>
        new SmsCodes({ ...LIMITS, ttlSeconds: 300, maxAttempts: 0, provider: { kind: 'outbox' } }),
    ).toThrow(RangeError);
  });
});

/** The error `fn` throws (failing the test when it throws nothing). */
function thrown(fn: () => unknown): TenantError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TenantError);
    return err as TenantError;
  }
  throw new Error('expected a TenantError');
}

describe('SmsCodes limits and binding (injected clock)', () => {
  it('refuses the right code on another client or another connection, as a wrong try', async () => {
    const { codes, latest } = setup();
    await codes.send(PHONE, ORIGIN);
    const { code } = latest();
    expect(codes.verify(PHONE, code, { ...ORIGIN, clientId: 'other-app' })).toBe(false);
    expect(codes.verify(PHONE, code, { ...ORIGIN, connection: 'sms-2' })).toBe(false);
    expect(codes.verify(PHONE, code, ORIGIN)).toBe(true);
  });

  it('counts wrong codes across re-sent codes: the 11th try is 429 even with the right code, until the window passes', async () => {
    const { codes, latest, advance } = setup();
    for (let wrongTries = 0; wrongTries < 10;) {
      await codes.send(PHONE, { ...ORIGIN, ip: `127.0.0.${wrongTries + 1}` });
      const { code } = latest();
      for (let i = 0; i < 3 && wrongTries < 10; i++, wrongTries++)
        expect(codes.verify(PHONE, wrong(code), ORIGIN)).toBe(false);
    }
    await codes.send(PHONE, ORIGIN);
    const { code } = latest();
    const err = thrown(() => codes.verify(PHONE, code, { ...ORIGIN, ip: '192.0.2.1' }));
    expect([err.status, err.error]).toEqual([429, 'too_many_attempts']);
    expect(Number(err.headers['retry-after'])).toBeGreaterThan(0);
    advance(14 * 60_000);
    expect(() => codes.verify(PHONE, code, ORIGIN)).toThrow(TenantError);
    advance(60_000);
    await codes.send(PHONE, ORIGIN);
    expect(codes.verify(PHONE, latest().code, ORIGIN)).toBe(true);
  });

  it('a right code clears its phone’s wrong count, not its address’s', async () => {
    const { codes, latest } = setup({ wrongCodesPerPhone: 3, wrongCodesPerIp: 4 });
    await codes.send(PHONE, ORIGIN);
    expect(codes.verify(PHONE, wrong(latest().code), ORIGIN)).toBe(false);
    expect(codes.verify(PHONE, wrong(latest().code), ORIGIN)).toBe(false);
    expect(codes.verify(PHONE, latest().code, ORIGIN)).toBe(true);
    await codes.send(PHONE, ORIGIN);
    expect(codes.verify(PHONE, wrong(latest().code), ORIGIN)).toBe(false);
    expect(codes.verify(PHONE, wrong(latest().code), ORIGIN)).toBe(false);
    // 4 wrong from this address: the address is full, another address is not.
    const err = thrown(() => codes.verify(PHONE, latest().code, ORIGIN));
    expect(err.error).toBe('too_many_attempts');
    expect(codes.verify(PHONE, latest().code, { ...ORIGIN, ip: '127.0.0.9' })).toBe(true);
  });

  it('counts IPv6 addresses by their /64', async () => {
    const { codes } = setup({ sendsPerIp: 2 });
    await codes.send('+10000000001', { ...ORIGIN, ip: '2001:db8:1:2::a' });
    await codes.send('+10000000002', { ...ORIGIN, ip: '2001:db8:1:2:ffff::b' });
    await expect(
      codes.send('+10000000003', { ...ORIGIN, ip: '2001:0db8:0001:0002::c' }),
    ).rejects.toMatchObject({ status: 429, error: 'too_many_requests' });
    await codes.send('+10000000003', { ...ORIGIN, ip: '2001:db8:1:3::c' });
  });

  it('refuses a send beyond the phone’s limit with 429 too_many_requests and delivers nothing', async () => {
    const { codes, advance } = setup({ sendsPerPhone: 2 });
    await codes.send(PHONE, ORIGIN);
    await codes.send(PHONE, { ...ORIGIN, ip: '127.0.0.2' });
    await expect(codes.send(PHONE, { ...ORIGIN, ip: '127.0.0.3' })).rejects.toMatchObject({
      status: 429,
      error: 'too_many_requests',
    });
    expect(codes.outbox(PHONE)).toHaveLength(2);
    advance(15 * 60_000);
    await codes.send(PHONE, ORIGIN);
    expect(codes.outbox(PHONE)).toHaveLength(3);
  });
});
