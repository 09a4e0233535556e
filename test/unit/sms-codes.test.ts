import { describe, expect, it } from 'vitest';
import { SmsCodes, type OutboxMessage } from '../../src/tenant/sms';

const PHONE = '+14155550100';
const OTHER = '+442071838750';

function setup(opts: { ttlSeconds?: number; maxAttempts?: number } = {}) {
  let now = Date.parse('2026-11-02T10:00:00Z');
  const lines: string[] = [];
  const codes = new SmsCodes({
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
    await codes.send(PHONE);
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
    await codes.send(PHONE);
    const { code } = latest();
    expect(codes.verify(PHONE, code)).toBe(true);
    expect(codes.verify(PHONE, code)).toBe(false);
  });

  it('refuses the code of another phone and a phone that never asked', async () => {
    const { codes, latest } = setup();
    await codes.send(PHONE);
    expect(codes.verify(OTHER, latest().code)).toBe(false);
    expect(codes.verify(PHONE, latest().code)).toBe(true);
  });

  it('expires after ttlSeconds: valid 1 ms before, void at the limit', async () => {
    const early = setup({ ttlSeconds: 300 });
    await early.codes.send(PHONE);
    early.advance(300_000 - 1);
    expect(early.codes.verify(PHONE, early.latest().code)).toBe(true);

    const late = setup({ ttlSeconds: 300 });
    await late.codes.send(PHONE);
    late.advance(300_000);
    expect(late.codes.verify(PHONE, late.latest().code)).toBe(false);
  });

  it('voids the code after 3 wrong tries; the right code is then refused', async () => {
    const { codes, latest } = setup();
    await codes.send(PHONE);
    const { code } = latest();
    expect(codes.verify(PHONE, wrong(code))).toBe(false);
    expect(codes.verify(PHONE, wrong(code))).toBe(false);
    expect(codes.verify(PHONE, wrong(code))).toBe(false);
    expect(codes.verify(PHONE, code)).toBe(false);
  });

  it('still accepts the right code after 2 wrong tries', async () => {
    const { codes, latest } = setup();
    await codes.send(PHONE);
    const { code } = latest();
    expect(codes.verify(PHONE, wrong(code))).toBe(false);
    expect(codes.verify(PHONE, 'not-a-code')).toBe(false);
    expect(codes.verify(PHONE, code)).toBe(true);
  });

  it('counts malformed tries (wrong length, empty) as wrong tries', async () => {
    const { codes, latest } = setup({ maxAttempts: 2 });
    await codes.send(PHONE);
    expect(codes.verify(PHONE, '')).toBe(false);
    expect(codes.verify(PHONE, '1234567')).toBe(false);
    expect(codes.verify(PHONE, latest().code)).toBe(false);
  });

  it('only the newest code counts', async () => {
    const { codes, latest } = setup();
    await codes.send(PHONE);
    const first = latest().code;
    await codes.send(PHONE);
    const second = latest().code;
    if (first !== second) expect(codes.verify(PHONE, first)).toBe(false);
    expect(codes.verify(PHONE, second)).toBe(true);
  });

  it('a new code starts with a fresh try count and a fresh lifetime', async () => {
    const { codes, latest, advance } = setup();
    await codes.send(PHONE);
    const first = latest().code;
    codes.verify(PHONE, wrong(first));
    codes.verify(PHONE, wrong(first));
    advance(299_000);
    await codes.send(PHONE);
    const second = latest().code;
    codes.verify(PHONE, wrong(second));
    codes.verify(PHONE, wrong(second));
    advance(200_000);
    expect(codes.verify(PHONE, second)).toBe(true);
  });

  it('lists the outbox newest first, for all phones or one', async () => {
    const { codes, advance } = setup();
    await codes.send(PHONE);
    advance(1000);
    await codes.send(OTHER);
    advance(1000);
    await codes.send(PHONE);
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
    await codes.send(PHONE);
    const listed = latest();
    const code = listed.code;
    listed.code = 'xxxxxx';
    expect(latest().code).toBe(code);
  });

  it('codes look random (not sequential, not constant)', async () => {
    const { codes } = setup();
    for (let i = 0; i < 20; i++) await codes.send(PHONE);
    const seen = new Set(codes.outbox().map((m) => m.code));
    expect(seen.size).toBeGreaterThan(15);
  });

  it('refuses nonsense settings', () => {
    expect(
      () => new SmsCodes({ ttlSeconds: 0, maxAttempts: 3, provider: { kind: 'outbox' } }),
    ).toThrow(RangeError);
    expect(
      () => new SmsCodes({ ttlSeconds: 300, maxAttempts: 0, provider: { kind: 'outbox' } }),
    ).toThrow(RangeError);
  });
});
