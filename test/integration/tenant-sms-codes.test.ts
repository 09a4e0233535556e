/** The webhook SMS provider against a real loopback HTTP gateway. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoConfig, parseTenantConfig } from '../../src/tenant/config';
import { configRefusal } from '../fixtures/tenant';
import { WEBHOOK_TIMEOUT_MS } from '../../src/tenant/delivery';
import { SmsCodes } from '../../src/tenant/sms';
import { TenantError } from '../../src/tenant/errors';

const PHONE = '+14155550100';
/** The client, connection and address a code is sent for and redeemed by. */
const ORIGIN = { clientId: 'signet-demo', connection: 'sms', ip: '127.0.0.1' };

interface Received {
  method: string;
  contentType: string | undefined;
  body: unknown;
}

let server: Server;
let baseUrl: string;
const received: Received[] = [];
let answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(raw || 'null'),
      });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  received.length = 0;
  server.closeAllConnections();
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function webhookCodes(url: string, lines: string[] = []): SmsCodes {
  return new SmsCodes({
    ...demoConfig().sms,
    ttlSeconds: 300,
    maxAttempts: 3,
    provider: { kind: 'webhook', url },
    log: (l) => lines.push(l),
  });
}

async function sendError(codes: SmsCodes): Promise<TenantError> {
  const err = await codes.send(PHONE, ORIGIN).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TenantError);
  return err as TenantError;
}

describe('SmsCodes with the webhook provider', () => {
  it('POSTs JSON {recipient, body} like Auth0’s custom SMS gateway, and the code verifies', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"sid":"SM1"}');
    };
    const lines: string[] = [];
    const codes = webhookCodes(`${baseUrl}/sms`, lines);
    await codes.send(PHONE, ORIGIN);
    expect(received).toHaveLength(1);
    const [call] = received;
    expect(call?.method).toBe('POST');
    expect(call?.contentType).toMatch(/^application\/json/);
    const body = call?.body as { recipient: string; body: string };
    expect(Object.keys(body).sort()).toEqual(['body', 'recipient']);
    expect(body.recipient).toBe(PHONE);
    const code = /\b(\d{6})\b/.exec(body.body)?.[1];
    expect(code).toBeDefined();
    // The webhook is the phone: nothing lands in the outbox, and the log never shows the code.
    expect(codes.outbox()).toEqual([]);
    expect(lines.join('\n')).not.toContain(code as string);
    expect(codes.verify(PHONE, code as string, ORIGIN)).toBe(true);
  });

  it('accepts any 2xx (204 No Content)', async () => {
    answer = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    await expect(webhookCodes(baseUrl).send(PHONE, ORIGIN)).resolves.toBeUndefined();
  });

  it('a 500 from the gateway is 400 sms_provider_error "<message> (Code: <code>)"', async () => {
    answer = (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('boom');
    };
    const codes = webhookCodes(baseUrl);
    const err = await sendError(codes);
    expect(err.status).toBe(400);
    expect(err.error).toBe('sms_provider_error');
    expect(err.description).toBe('SMS gateway answered HTTP 500 (Code: 500)');
    expect(err.toBody()).toEqual({
      error: 'sms_provider_error',
      error_description: 'SMS gateway answered HTTP 500 (Code: 500)',
    });
  });

  it('keeps a Twilio-style {message, code} error body out of the answer, and logs it on one line', async () => {
    const secret = 'Authenticate: account AC5ef8732a3c49700934481addd5ce1659, key sk_live_9f8e7d6c';
    answer = (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 20003, message: `${secret}\r\n[sms outbox] forged line` }));
    };
    const lines: string[] = [];
    const err = await sendError(webhookCodes(baseUrl, lines));
    expect(err.toBody()).toEqual({
      error: 'sms_provider_error',
      error_description: 'SMS gateway answered HTTP 401 (Code: 401)',
    });
    expect(JSON.stringify(err.toBody())).not.toContain('AC5ef8732a3c');
    expect(JSON.stringify(err.toBody())).not.toContain('20003');
    // IT finds what the gateway said in the tenant's log, on one line, without the code.
    const logged = lines.find((l) => l.includes('AC5ef8732a3c49700934481addd5ce1659'));
    expect(logged).toMatch(/^\[sms webhook\] not sent to \+14155550100: HTTP 401: /);
    expect(logged).not.toMatch(/[\r\n]/);
    const sent = (received[0]?.body as { body: string }).body;
    expect(logged).not.toContain(/\d{6}/.exec(sent)![0]);
  });

  it('a failed delivery leaves no usable code behind', async () => {
    const codes = webhookCodes(baseUrl);
    answer = (_req, res) => {
      res.writeHead(200);
      res.end();
    };
    await codes.send(PHONE, ORIGIN);
    const first = /\b(\d{6})\b/.exec((received[0]?.body as { body: string }).body)?.[1] as string;
    answer = (_req, res) => {
      res.writeHead(503);
      res.end();
    };
    await sendError(codes);
    // The user asked for a new code: the old one is void, and the undelivered one never existed.
    expect(codes.verify(PHONE, first, ORIGIN)).toBe(false);
  });

  it('an unreachable gateway is sms_provider_error naming the socket error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const started = Date.now();
    const err = await sendError(webhookCodes(`http://127.0.0.1:${port}/sms`));
    expect(Date.now() - started).toBeLessThan(WEBHOOK_TIMEOUT_MS);
    expect(err.status).toBe(400);
    expect(err.error).toBe('sms_provider_error');
    expect(err.description).toBe('SMS gateway unreachable (Code: ECONNREFUSED)');
  });

  it(
    'a gateway that never answers is sms_provider_error after the ~5 s timeout, not a hang',
    async () => {
      answer = () => undefined; // keeps the request open
      const started = Date.now();
      const err = await sendError(webhookCodes(baseUrl));
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(WEBHOOK_TIMEOUT_MS - 100);
      expect(elapsed).toBeLessThan(WEBHOOK_TIMEOUT_MS + 2000);
      expect(err.description).toBe('SMS gateway did not answer within 5 s (Code: ETIMEDOUT)');
    },
    WEBHOOK_TIMEOUT_MS + 5000,
  );
});

describe('the webhook URL in the tenant config', () => {
  const withUrl = (url: string) => {
    const { clients, connections } = demoConfig();
    return { clients, connections, sms: { provider: { kind: 'webhook', url } } };
  };

  it.each(['http://sms.example.com/hook', 'http://10.0.0.5/hook', 'http://127.evil.example/hook'])(
    'refuses plain http beyond loopback (%s), naming the field',
    (url) => {
      const issues = configRefusal(withUrl(url)).issues;
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatch(/^sms\.provider\.url: plain http carries the codes in clear/);
    },
  );

  it.each([
    'https://sms.example.com/hook',
    'http://127.0.0.1:8025/hook',
    'http://localhost:8025/hook',
    'http://[::1]:8025/hook',
  ])('accepts %s', (url) => {
    expect(parseTenantConfig(withUrl(url)).sms.provider).toEqual({ kind: 'webhook', url });
  });
});
