/**
 * POST /passwordless/start and SMS sign-in through /oauth/ro over real HTTP (spec §2): the
 * success shape, every `bad.*` error, the outbox (loopback, a loopback Host and the per-start key
 * only: DNS rebinding and a plain TCP relay are refused), and the code's lifecycle —
 * one-time, newest only, 3 wrong tries, expiry — with a short code lifetime.
 */
import { request } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmsGateway, startTenantOnGateway, type SmsGateway } from '../fixtures/sms-gateway';
import {
  expectError,
  getFrom,
  postTo,
  smsSignIn as smsSignInAt,
  smsStartBody,
  startSms,
  startTestTenant,
  type TenantResponse,
  type TestTenant,
} from '../fixtures/tenant';

const TTL_SECONDS = 1;
let t: TestTenant;
let phoneSeq = 100;
const nextPhone = () => `+1415555${String(phoneSeq++).padStart(4, '0')}`;

beforeAll(async () => {
  t = await startTestTenant({
    corpLdap: false,
    sms: { ttlSeconds: TTL_SECONDS },
    clients: [
      {
        client_id: 'with-secret',
        name: 'confidential',
        client_secret: 'a-client-secret-0123456789',
      },
    ],
    connections: [{ type: 'sms', name: 'sms-off', enabled: false }],
  });
});
afterAll(() => t?.close());

/** A well-formed start body; each test changes one thing. */
const base = smsStartBody('+14155550100');
const start = (body: Record<string, unknown>, form = false) =>
  postTo(t.url, '/passwordless/start', body, { form });
const startFor = (phone: string) => startSms(t.url, phone);
const smsSignIn = (phone: string, code: string, extra: Record<string, unknown> = {}) =>
  smsSignInAt(t.url, phone, code, extra);
/** GET over plain HTTP with exactly these headers (fetch will not send another `Host`). */
function rawGet(
  port: string,
  path: string,
  headers: Record<string, string>,
): Promise<TenantResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: h, text, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const WRONG = {
  error: 'invalid_user_password',
  error_description: 'Wrong phone number or verification code.',
};

describe.each([
  ['JSON', false],
  ['form', true],
])('/passwordless/start with a %s body', (_kind, form) => {
  it('answers 200 with _id, phone_number, phone_verified false, request_language null, and puts the code in the outbox', async () => {
    const phone = nextPhone();
    const res = await start({ ...base, phone_number: phone }, form);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      phone_number: phone,
      phone_verified: false,
      request_language: null,
    });
    const outbox = await t.outbox(phone);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ recipient: phone, code: expect.stringMatching(/^\d{6}$/) });
    expect(outbox[0]!.body).toContain(outbox[0]!.code);
  });

  it.each([
    ['client_id', 'bad.client_id', 'Missing required property: client_id'],
    ['connection', 'bad.connection', 'Missing required property: connection'],
    ['phone_number', 'bad.phone_number', 'Missing required property: phone_number'],
  ])('answers a missing %s with 400 %s', async (field, error, description) => {
    const body = Object.fromEntries(Object.entries(base).filter(([k]) => k !== field));
    const res = await start(body, form);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error, error_description: description });
  });

  it.each([
    ['nope', 'Connection does not exist'],
    ['sms-off', 'Connection is disabled'],
    [
      'Username-Password-Authentication',
      'Invalid connection strategy. It must either be a passwordless connection',
    ],
  ])('answers connection %s with 400 bad.connection', async (connection, description) => {
    const res = await start({ ...base, connection }, form);
    expectError(res, 400, 'bad.connection', description);
  });

  it.each(['4155550100', '+1 415 555 0100', '+1415555010012345', '+'])(
    'answers phone number %j with the E.164 pattern error',
    async (phone) => {
      const res = await start({ ...base, phone_number: phone }, form);
      expectError(res, 400, 'bad.phone_number', 'String does not match pattern: ^\\+[0-9]{1,15}$');
    },
  );

  it('answers properties it does not know with bad.request naming them', async () => {
    const res = await start({ ...base, foo: '1', bar: '2' }, form);
    expectError(res, 400, 'bad.request', 'the following properties are not allowed: foo, bar');
  });

  it('answers an unknown client with bad.client_id', async () => {
    const res = await start({ ...base, client_id: 'who' }, form);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad.client_id');
  });

  it('refuses send=link (a desktop app wants a code)', async () => {
    const res = await start({ ...base, send: 'link' }, form);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad.send');
  });

  it("sends a code when send is left out, as Auth0's SDKs do for sms", async () => {
    const phone = nextPhone();
    const { send: _omitted, ...withoutSend } = { ...base, phone_number: phone };
    const res = await start(withoutSend, form);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await t.lastCode(phone)).toMatch(/^\d{6}$/);
  });
});

describe('/passwordless/start body details', () => {
  it('answers authParams that is not an object with bad.authParams', async () => {
    const res = await start({ ...base, authParams: 'scope=openid' });
    expectError(
      res,
      400,
      'bad.authParams',
      'error in authParams - invalid type: string (expected object)',
    );
    expect(
      (await start({ ...base, phone_number: nextPhone(), authParams: { scope: 'openid' } })).status,
    ).toBe(200);
  });

  it('accepts the client_secret of a confidential client and refuses a wrong one', async () => {
    const ok = await start({
      ...base,
      phone_number: nextPhone(),
      client_id: 'with-secret',
      client_secret: 'a-client-secret-0123456789',
    });
    expect(ok.status).toBe(200);
    const wrong = await start({
      ...base,
      client_id: 'with-secret',
      client_secret: 'not-the-secret-0123456789',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('bad.client_secret');
  });

  it('answers a non-string phone number with bad.phone_number', async () => {
    const res = await start({ ...base, phone_number: 14155550100 });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad.phone_number');
  });
});

describe('SMS code lifecycle over HTTP', () => {
  it('signs in with the code once: the user is created as sms|<24 hex>, a replay is refused', async () => {
    const phone = nextPhone();
    const started = await startFor(phone);
    const code = await t.lastCode(phone);
    const res = await smsSignIn(phone, code, { scope: 'openid profile' });
    expect(res.status).toBe(200);
    const jwks = createRemoteJWKSet(new URL(`${t.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(res.body.id_token, jwks, {
      issuer: t.issuer,
      audience: 'signet-demo',
    });
    expect(payload.sub).toMatch(/^sms\|[0-9a-f]{24}$/);
    expect(payload.phone_number).toBe(phone);
    expect(typeof started.body._id).toBe('string');

    const replay = await smsSignIn(phone, code);
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual(WRONG);

    // The same phone signs in as the same user next time, and /passwordless/start names it.
    const again = await startFor(phone);
    expect(`sms|${again.body._id}`).toBe(payload.sub);
    const second = await smsSignIn(phone, await t.lastCode(phone), { scope: 'openid' });
    const { payload: p2 } = await jwtVerify(second.body.id_token, jwks, {
      issuer: t.issuer,
      audience: 'signet-demo',
    });
    expect(p2.sub).toBe(payload.sub);
  });

  it('accepts only the newest code', async () => {
    const phone = nextPhone();
    await startFor(phone);
    const first = await t.lastCode(phone);
    await startFor(phone);
    const second = await t.lastCode(phone);
    const outbox = await t.outbox(phone);
    expect(outbox.map((m) => m.code)).toEqual([second, first]); // newest first
    if (first !== second) expect((await smsSignIn(phone, first)).body).toEqual(WRONG);
    expect((await smsSignIn(phone, second)).status).toBe(200);
  });

  it.each([
    ['voids the code after 3 wrong tries', 3, 401],
    ['accepts the right code after 2 wrong tries', 2, 200],
  ])('%s', async (_title, wrongTries, status) => {
    const phone = nextPhone();
    await startFor(phone);
    const code = await t.lastCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < wrongTries; i++) expect((await smsSignIn(phone, wrong)).status).toBe(401);
    const res = await smsSignIn(phone, code);
    expect(res.status).toBe(status);
    if (status === 401) expect(res.body).toEqual(WRONG);
  });

  it('refuses an expired code', async () => {
    const phone = nextPhone();
    await startFor(phone);
    const code = await t.lastCode(phone);
    await new Promise((r) => setTimeout(r, TTL_SECONDS * 1000 + 150));
    const res = await smsSignIn(phone, code);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(WRONG);
  });

  it('answers a phone that was never sent a code with the SMS wrong-code text', async () => {
    expect((await smsSignIn(nextPhone(), '123456')).body).toEqual(WRONG);
  });
});

describe('GET /__outbox', () => {
  it('lists messages newest first as JSON, filtered by phone', async () => {
    const a = nextPhone();
    const b = nextPhone();
    await startFor(a);
    await startFor(b);
    const key = { authorization: `Bearer ${t.tenant.outboxKey}` };
    const res = await getFrom(t.url, `/__outbox?phone=${encodeURIComponent(a)}`, key);
    expect(res.status).toBe(200);
    expect(res.body.every((m: { recipient: string }) => m.recipient === a)).toBe(true);
    const all = await getFrom(t.url, '/__outbox', key);
    expect(all.body[0].recipient).toBe(b);
  });

  it('refuses callers that are not on loopback with 403', async () => {
    // In-process, so the caller's address can be one a socket on this machine cannot have.
    const outboxFrom = (remoteAddress: string) =>
      t.tenant.app.inject({
        method: 'GET',
        url: '/__outbox',
        remoteAddress,
        headers: { authorization: `Bearer ${t.tenant.outboxKey}` },
      });
    const res = await outboxFrom('192.0.2.10');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'access_denied' });
    const local = await outboxFrom('127.0.0.1');
    expect(local.statusCode).toBe(200);
  });

  it('refuses a request addressed to another name (DNS rebinding), even with the key', async () => {
    const phone = nextPhone();
    await startFor(phone);
    const port = new URL(t.url).port;
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`]) {
      const res = await rawGet(port, `/__outbox?key=${t.tenant.outboxKey}`, { host });
      expect([host, res.status]).toEqual([host, 403]);
      expect(res.text).not.toContain(phone);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'app.localhost']) {
      const res = await rawGet(port, `/__outbox?key=${t.tenant.outboxKey}`, { host });
      expect([host, res.status]).toEqual([host, 200]);
    }
  });

  it('refuses a plain TCP relay (no headers added) without the key printed on the console', async () => {
    const phone = nextPhone();
    await startFor(phone);
    const code = await t.lastCode(phone);
    // A relay such as `socat TCP-LISTEN:8080,fork TCP:127.0.0.1:<port>`: to the tenant every
    // caller is loopback, and the caller chooses its Host header.
    const relay = createNetServer((inbound) => {
      const outbound = connect(Number(new URL(t.url).port), '127.0.0.1');
      inbound.pipe(outbound).pipe(inbound);
      inbound.on('error', () => outbound.destroy());
      outbound.on('error', () => inbound.destroy());
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const relayPort = String((relay.address() as AddressInfo).port);
    try {
      const host = { host: `127.0.0.1:${relayPort}` };
      for (const [path, headers] of [
        ['/__outbox', host],
        [`/__outbox?phone=${encodeURIComponent(phone)}`, host],
        ['/__outbox?key=guess', host],
        ['/__outbox', { ...host, authorization: 'Bearer guess' }],
        ['/__outbox', { ...host, authorization: `Basic ${t.tenant.outboxKey}` }],
      ] as const) {
        const res = await rawGet(relayPort, path, headers);
        expect([path, headers, res.status]).toEqual([path, headers, 403]);
        expect(res.body).toMatchObject({ error: 'access_denied' });
        expect(res.text).not.toContain(code);
      }
      // With the key (header or query) the person at the console reads the codes.
      const bearer = await rawGet(relayPort, '/__outbox', {
        ...host,
        authorization: `Bearer ${t.tenant.outboxKey}`,
      });
      expect(bearer.status).toBe(200);
      expect(bearer.text).toContain(code);
      const query = await rawGet(relayPort, `/__outbox?key=${t.tenant.outboxKey}`, host);
      expect(query.status).toBe(200);
      expect(query.headers.get('cache-control')).toBe('no-store');
    } finally {
      await new Promise<void>((r) => relay.close(() => r()));
    }
  });

  it('gets a new key at each start', async () => {
    const other = await startTestTenant({ corpLdap: false });
    try {
      expect(other.tenant.outboxKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(other.tenant.outboxKey).not.toBe(t.tenant.outboxKey);
      const res = await getFrom(other.url, '/__outbox', {
        authorization: `Bearer ${t.tenant.outboxKey}`,
      });
      expect(res.status).toBe(403);
    } finally {
      await other.close();
    }
  });
});

describe('GET /__outbox behind a proxy', () => {
  it('refuses loopback requests that carry X-Forwarded-For, Forwarded or X-Real-IP (a proxy on this host)', async () => {
    for (const headers of [
      { 'x-forwarded-for': '203.0.113.7' },
      { forwarded: 'for=203.0.113.7;proto=https' },
      { 'x-real-ip': '203.0.113.7' },
    ]) {
      const res = await t.tenant.app.inject({
        method: 'GET',
        url: '/__outbox',
        remoteAddress: '127.0.0.1',
        headers: { ...headers, authorization: `Bearer ${t.tenant.outboxKey}` },
      });
      expect([Object.keys(headers)[0], res.statusCode]).toEqual([Object.keys(headers)[0], 403]);
      expect(res.json()).toMatchObject({ error: 'access_denied' });
    }
    // Over real HTTP too.
    const res = await fetch(`${t.url}/__outbox`, {
      headers: { 'x-forwarded-for': '127.0.0.1', authorization: `Bearer ${t.tenant.outboxKey}` },
    });
    expect(res.status).toBe(403);
  });

  it('is off when the tenant has a public URL that is not loopback, and on when it is', async () => {
    const proxied = await startTestTenant({
      corpLdap: false,
      publicUrl: 'https://signet.example.test',
    });
    try {
      const res = await getFrom(proxied.url, '/__outbox', {
        authorization: `Bearer ${proxied.tenant.outboxKey}`,
      });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: 'access_denied' });
    } finally {
      await proxied.close();
    }
    const local = await startTestTenant({ corpLdap: false, publicUrl: 'http://localhost:4455' });
    try {
      const key = { authorization: `Bearer ${local.tenant.outboxKey}` };
      expect((await getFrom(local.url, '/__outbox', key)).status).toBe(200);
    } finally {
      await local.close();
    }
  });
});

describe('SMS webhook provider', () => {
  const GATEWAY_SECRET = 'sk_live_51HqLyjWDarjtT1zdp7dc';
  let gateway: SmsGateway;
  let received: Array<{ recipient: string; body: string }> = [];
  let gatewayUrl: string;
  beforeAll(async () => {
    gateway = await startSmsGateway((data) => {
      const msg = JSON.parse(data) as { recipient: string; body: string };
      if (msg.recipient === '+15005550001')
        return {
          status: 400,
          type: 'application/json',
          body: JSON.stringify({ message: 'The To number is not valid', code: 21211 }),
        };
      if (msg.recipient === '+15005550002')
        return {
          status: 500,
          type: 'application/json',
          body: JSON.stringify({ message: `upstream refused key ${GATEWAY_SECRET}`, code: 5 }),
        };
      received.push(msg);
      return { status: 200, body: '{}' };
    });
    gatewayUrl = gateway.url;
  });
  afterAll(() => gateway.close());

  it('POSTs {recipient, body} to the gateway, and answers a failing gateway with sms_provider_error', async () => {
    received = [];
    const w = await startTenantOnGateway(gatewayUrl);
    try {
      const ok = await startSms(w.url, '+14155550999');
      expect(ok.status).toBe(200);
      expect(received).toHaveLength(1);
      expect(received[0]!.recipient).toBe('+14155550999');
      const code = /\d{6}/.exec(received[0]!.body)![0];
      const signIn = await smsSignInAt(w.url, '+14155550999', code);
      expect(signIn.status).toBe(200);

      const bad = await startSms(w.url, '+15005550001');
      expectError(bad, 400, 'sms_provider_error', 'SMS gateway answered HTTP 400 (Code: 400)');
    } finally {
      await w.close();
    }
  });

  it('never hands the gateway’s own error text to the caller, and logs it for IT', async () => {
    const lines: string[] = [];
    const w = await startTenantOnGateway(gatewayUrl, { log: (line) => lines.push(line) });
    try {
      const res = await startSms(w.url, '+15005550002');
      expectError(res, 400, 'sms_provider_error', 'SMS gateway answered HTTP 500 (Code: 500)');
      expect(res.text).not.toContain(GATEWAY_SECRET);
      expect(lines.some((l) => l.includes(GATEWAY_SECRET))).toBe(true);
    } finally {
      await w.close();
    }
  });
});
