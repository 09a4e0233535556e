/** The webhook SMS provider against a real loopback HTTP gateway. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SmsCodes, WEBHOOK_TIMEOUT_MS } from '../../src/tenant/sms';
import { TenantError } from '../../src/tenant/types';

const PHONE = '+14155550100';

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
    ttlSeconds: 300,
    maxAttempts: 3,
    provider: { kind: 'webhook', url },
    log: (l) => lines.push(l),
  });
}

async function sendError(codes: SmsCodes): Promise<TenantError> {
  const err = await codes.send(PHONE).then(
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
    await codes.send(PHONE);
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
    expect(codes.verify(PHONE, code as string)).toBe(true);
  });

  it('accepts any 2xx (204 No Content)', async () => {
    answer = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    await expect(webhookCodes(baseUrl).send(PHONE)).resolves.toBeUndefined();
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

  it('passes on a Twilio-style {message, code} error body', async () => {
    answer = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          code: 21211,
          message: "The 'To' number +1415555 is not a valid phone number.",
        }),
      );
    };
    const err = await sendError(webhookCodes(baseUrl));
    expect(err.description).toBe(
      "The 'To' number +1415555 is not a valid phone number. (Code: 21211)",
    );
  });

  it('a failed delivery leaves no usable code behind', async () => {
    const codes = webhookCodes(baseUrl);
    answer = (_req, res) => {
      res.writeHead(200);
      res.end();
    };
    await codes.send(PHONE);
    const first = /\b(\d{6})\b/.exec((received[0]?.body as { body: string }).body)?.[1] as string;
    answer = (_req, res) => {
      res.writeHead(503);
      res.end();
    };
    await sendError(codes);
    // The user asked for a new code: the old one is void, and the undelivered one never existed.
    expect(codes.verify(PHONE, first)).toBe(false);
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
