/**
 * SMS codes cannot be brute-forced (issue 9, item 2), attacked over real HTTP on loopback:
 * guessing across re-sent codes, spraying wrong codes over many phones from one address,
 * flooding /passwordless/start (with a real loopback webhook gateway that counts what it is
 * asked to send), and redeeming a code with another client or connection. Requests come from
 * distinct loopback source addresses (127.0.0.x), so "per IP" is the socket address the tenant
 * really sees. The tenant's clock is injected to step over the cooldowns.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmsGateway, startTenantOnGateway, type SmsGateway } from '../fixtures/sms-gateway';
import {
  expectError,
  roBody,
  smsStartBody,
  startTestTenant,
  type TestTenant,
  type TenantResponse,
} from '../fixtures/tenant';

/** The documented defaults (README, config.ts). */
const WINDOW_MS = 15 * 60_000;
const WRONG_CODES_PER_PHONE = 10;
const WRONG_CODES_PER_IP = 30;
const SENDS_PER_PHONE = 5;
const SENDS_PER_IP = 30;

const WRONG = {
  error: 'invalid_user_password',
  error_description: 'Wrong phone number or verification code.',
};

let seq = 0;
/** A phone number no other test uses. */
const freshPhone = () => `+1646555${String(seq++).padStart(4, '0')}`;

/** POSTs JSON from the loopback source address `from` (127.0.0.0/8 all reaches the tenant). */
function postFrom(
  from: string,
  base: string,
  path: string,
  body: Record<string, unknown>,
): Promise<TenantResponse> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method: 'POST',
        localAddress: from,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (typeof v === 'string') headers.set(k, v);
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers, body: parsed, text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A tenant on an injected clock, and what a client at one address does with it. */
function client(t: TestTenant, from: string) {
  return {
    start: (phone: string, extra: Record<string, unknown> = {}) =>
      postFrom(from, t.url, '/passwordless/start', smsStartBody(phone, extra)),
    ro: (phone: string, code: string, extra: Record<string, unknown> = {}) =>
      postFrom(from, t.url, '/oauth/ro', roBody('sms', phone, code, extra)),
    otp: (phone: string, code: string, extra: Record<string, unknown> = {}) =>
      postFrom(from, t.url, '/oauth/token', {
        grant_type: 'http://auth0.com/oauth/grant-type/passwordless/otp',
        client_id: 'signet-demo',
        realm: 'sms',
        username: phone,
        otp: code,
        ...extra,
      }),
  };
}

const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

const expectRetryAfter = (res: TenantResponse) => {
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
};

describe('wrong SMS codes are counted across codes', () => {
  let now = Date.parse('2026-12-01T10:00:00Z');
  let t: TestTenant;
  beforeAll(async () => {
    t = await startTestTenant({ corpLdap: false, now: () => now });
  });
  afterAll(() => t?.close());

  it('documents its defaults in the config', () => {
    expect(t.tenant.config.sms).toMatchObject({
      limitWindowSeconds: WINDOW_MS / 1000,
      wrongCodesPerPhone: WRONG_CODES_PER_PHONE,
      wrongCodesPerIp: WRONG_CODES_PER_IP,
      sendsPerPhone: SENDS_PER_PHONE,
      sendsPerIp: SENDS_PER_IP,
    });
  });

  it('guessing one phone over re-sent codes gets 429 too_many_attempts after 10 wrong codes, even with the right code, until the cooldown passes', async () => {
    const phone = freshPhone();
    const attacker = client(t, '127.0.0.2');
    let wrongSent = 0;
    while (wrongSent < WRONG_CODES_PER_PHONE) {
      expect((await attacker.start(phone)).status).toBe(200);
      const code = await t.lastCode(phone);
      for (let i = 0; i < 3 && wrongSent < WRONG_CODES_PER_PHONE; i++, wrongSent++) {
        const res = await attacker.ro(phone, wrongFor(code));
        expect(res.status).toBe(401);
        expect(res.body).toEqual(WRONG);
      }
    }
    // A new code, and the right one: refused all the same, on both grants and from any address.
    expect((await attacker.start(phone)).status).toBe(200);
    const code = await t.lastCode(phone);
    const blocked = await attacker.ro(phone, code);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('too_many_attempts');
    expectRetryAfter(blocked);
    const elsewhere = await client(t, '127.0.0.3').otp(phone, code);
    expect(elsewhere.status).toBe(429);
    expect(elsewhere.body.error).toBe('too_many_attempts');

    // Once the window has passed, a new code signs in.
    now += WINDOW_MS + 1000;
    const owner = client(t, '127.0.0.3');
    expect((await owner.start(phone)).status).toBe(200);
    const fresh = await t.lastCode(phone);
    expect((await owner.ro(phone, fresh)).status).toBe(200);
  });

  it('wrong codes sprayed over many phones from one address block that address, not others', async () => {
    now += WINDOW_MS + 1000;
    const sprayer = client(t, '127.0.0.4');
    for (let wrong = 0; wrong < WRONG_CODES_PER_IP; wrong += 3) {
      const phone = freshPhone();
      expect((await sprayer.start(phone)).status).toBe(200);
      const code = await t.lastCode(phone);
      for (let i = 0; i < 3; i++)
        expect((await sprayer.ro(phone, wrongFor(code))).status).toBe(401);
    }
    const phone = freshPhone();
    expect((await sprayer.start(phone)).status).toBe(200);
    const code = await t.lastCode(phone);
    const blocked = await sprayer.ro(phone, code);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('too_many_attempts');
    // The phone itself is not to blame: its owner, elsewhere, signs in with the same code.
    expect((await client(t, '127.0.0.5').ro(phone, code)).status).toBe(200);
  });
});

describe('/passwordless/start is rate-limited', () => {
  let now = Date.parse('2026-12-01T10:00:00Z');
  let gateway: SmsGateway;
  let delivered: string[] = [];
  let t: TestTenant;
  beforeAll(async () => {
    gateway = await startSmsGateway((data) => {
      delivered.push((JSON.parse(data) as { recipient: string }).recipient);
      return { status: 200, body: '{}' };
    });
    const url = gateway.url;
    t = await startTenantOnGateway(url, { now: () => now });
  });
  afterAll(async () => {
    await t?.close();
    await gateway.close();
  });

  it('a flood for one phone gets 429 too_many_requests after 5, from any address, and the gateway sends no more', async () => {
    delivered = [];
    const phone = freshPhone();
    const statuses: number[] = [];
    for (let i = 0; i < SENDS_PER_PHONE + 4; i++) {
      const res = await client(t, `127.0.1.${i + 1}`).start(phone);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.body.error).toBe('too_many_requests');
        expectRetryAfter(res);
      }
    }
    expect(statuses).toEqual([
      ...Array<number>(SENDS_PER_PHONE).fill(200),
      ...Array<number>(4).fill(429),
    ]);
    expect(delivered).toEqual(Array<string>(SENDS_PER_PHONE).fill(phone));
    // Another phone is unaffected; the flooded one gets codes again after the window.
    expect((await client(t, '127.0.1.99').start(freshPhone())).status).toBe(200);
    now += WINDOW_MS + 1000;
    expect((await client(t, '127.0.1.99').start(phone)).status).toBe(200);
  });

  it('a flood from one address gets 429 too_many_requests after 30, over any phones; another address is served', async () => {
    now += WINDOW_MS + 1000;
    delivered = [];
    const flooder = client(t, '127.0.2.1');
    const statuses: number[] = [];
    for (let i = 0; i < SENDS_PER_IP + 5; i++) {
      const res = await flooder.start(freshPhone());
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.body.error).toBe('too_many_requests');
        expectRetryAfter(res);
      }
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(SENDS_PER_IP);
    expect(statuses.slice(SENDS_PER_IP)).toEqual(Array<number>(5).fill(429));
    expect(delivered).toHaveLength(SENDS_PER_IP);
    expect((await client(t, '127.0.2.2').start(freshPhone())).status).toBe(200);
    expect(delivered).toHaveLength(SENDS_PER_IP + 1);
  });
});

describe('a code is bound to the client and connection it was sent for', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await startTestTenant({
      corpLdap: false,
      clients: [{ client_id: 'other-app', name: 'another application', legacyGrant: true }],
      connections: [{ type: 'sms', name: 'sms-2' }],
    });
  });
  afterAll(() => t?.close());

  it('refuses the code on another client or another sms connection, and accepts it where it was sent', async () => {
    const phone = freshPhone();
    const c = client(t, '127.0.3.1');
    expect((await c.start(phone)).status).toBe(200);
    const code = await t.lastCode(phone);
    const otherClient = await c.ro(phone, code, { client_id: 'other-app' });
    expect(otherClient.status).toBe(401);
    expect(otherClient.body).toEqual(WRONG);
    const otherConnection = await c.otp(phone, code, { realm: 'sms-2' });
    expectError(otherConnection, 403, 'invalid_grant', WRONG.error_description);
    expect((await c.ro(phone, code)).status).toBe(200);
  });

  it('a code sent for another client is refused by /oauth/token too', async () => {
    const phone = freshPhone();
    const c = client(t, '127.0.3.2');
    expect((await c.start(phone, { client_id: 'other-app', connection: 'sms-2' })).status).toBe(
      200,
    );
    const code = await t.lastCode(phone);
    expect((await c.otp(phone, code, { realm: 'sms-2' })).status).toBe(403);
    expect((await c.otp(phone, code, { client_id: 'other-app', realm: 'sms-2' })).status).toBe(200);
  });
});
