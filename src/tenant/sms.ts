/**
 * One-time SMS codes for the `sms` passwordless connection (spec §2), and their delivery.
 *
 * - A code is 6 digits from `crypto.randomInt`, one-time, and only the newest code of a phone
 *   counts: `send` voids every older code of that phone before it delivers the new one.
 * - It expires after `ttlSeconds` (the tenant's default is 300 s) and dies after `maxAttempts`
 *   wrong tries (default 3). Every wrong try counts, including malformed ones.
 * - Codes are compared with `crypto.timingSafeEqual`.
 * - When delivery fails the new code is discarded as well (the user never received it), and
 *   the older codes stay void: the user asked for a new code, so the old ones are finished.
 *
 * Providers:
 * - `outbox`: the message is kept in memory (newest first, at most {@link OUTBOX_LIMIT}) for
 *   `GET /__outbox`, and one console line is written through `log` — a local tenant's stand-in
 *   for a phone.
 * - `webhook`: POSTs JSON `{recipient, body}` to the URL, as Auth0's custom SMS gateway does.
 *   A non-2xx answer, an unreachable gateway or no answer within {@link WEBHOOK_TIMEOUT_MS}
 *   throws `TenantError(400, 'sms_provider_error', '<message> (Code: <code>)')`, Auth0's shape.
 *   When the gateway answers with a JSON `{message, code}` (Twilio's error shape) those are
 *   passed on; otherwise the message names the HTTP status and the code is that status.
 */
import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { TenantError } from './types';

export type SmsProvider = { kind: 'outbox' } | { kind: 'webhook'; url: string };

export interface OutboxMessage {
  id: string;
  recipient: string;
  body: string;
  code: string;
  sentAt: string;
}

/** How many outbox messages are kept; older ones are dropped (memory stays bounded). */
export const OUTBOX_LIMIT = 1000;
/** How long a webhook gateway has to answer. */
export const WEBHOOK_TIMEOUT_MS = 5000;

const CODE_LENGTH = 6;

interface PendingCode {
  code: string;
  expiresAt: number;
  wrongTries: number;
}

export class SmsCodes {
  private readonly ttlMs: number;
  private readonly maxAttempts: number;
  private readonly provider: SmsProvider;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  /** Only the newest code of each phone is kept: older ones are void by construction. */
  private readonly pending = new Map<string, PendingCode>();
  /** Newest last (appending is cheap); `outbox()` reverses. */
  private readonly messages: OutboxMessage[] = [];

  constructor(opts: {
    ttlSeconds: number;
    maxAttempts: number;
    provider: SmsProvider;
    now?: () => number;
    log?: (line: string) => void;
  }) {
    if (!(opts.ttlSeconds > 0)) throw new RangeError('ttlSeconds must be positive');
    if (!Number.isInteger(opts.maxAttempts) || opts.maxAttempts < 1) {
      throw new RangeError('maxAttempts must be a positive integer');
    }
    this.ttlMs = opts.ttlSeconds * 1000;
    this.maxAttempts = opts.maxAttempts;
    this.provider = opts.provider;
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? ((line) => console.log(line));
  }

  /**
   * Creates a new 6-digit code for `phone` (voiding older ones) and delivers it.
   * Throws `TenantError(400, 'sms_provider_error', ...)` when the gateway fails.
   */
  async send(phone: string): Promise<void> {
    this.pruneExpired();
    this.pending.delete(phone);
    const code = randomInt(0, 10 ** CODE_LENGTH)
      .toString()
      .padStart(CODE_LENGTH, '0');
    const body = `Your verification code is: ${code}`;

    if (this.provider.kind === 'webhook') {
      await deliverToWebhook(this.provider.url, { recipient: phone, body });
      this.log(`[sms webhook] code sent to ${phone}`);
    } else {
      this.messages.push({
        id: randomUUID(),
        recipient: phone,
        body,
        code,
        sentAt: new Date(this.now()).toISOString(),
      });
      if (this.messages.length > OUTBOX_LIMIT)
        this.messages.splice(0, this.messages.length - OUTBOX_LIMIT);
      this.log(`[sms outbox] to ${phone}: ${body}`);
    }
    // Stored only once delivered: a code the user never received must not be usable.
    this.pending.set(phone, { code, expiresAt: this.now() + this.ttlMs, wrongTries: 0 });
  }

  /**
   * True once for the newest unexpired code of `phone`; a replay, an expired code or a code
   * voided by `maxAttempts` wrong tries is false. Each wrong try counts.
   */
  verify(phone: string, code: string): boolean {
    const entry = this.pending.get(phone);
    if (!entry) return false;
    if (this.now() >= entry.expiresAt) {
      this.pending.delete(phone);
      return false;
    }
    if (codesEqual(entry.code, code)) {
      this.pending.delete(phone);
      return true;
    }
    entry.wrongTries += 1;
    if (entry.wrongTries >= this.maxAttempts) this.pending.delete(phone);
    return false;
  }

  /** Outbox messages, newest first, optionally for one phone. */
  outbox(phone?: string): OutboxMessage[] {
    const list =
      phone === undefined ? this.messages : this.messages.filter((m) => m.recipient === phone);
    return list
      .slice()
      .reverse()
      .map((m) => ({ ...m }));
  }

  private pruneExpired(): void {
    const now = this.now();
    for (const [phone, entry] of this.pending) {
      if (now >= entry.expiresAt) this.pending.delete(phone);
    }
  }
}

/** Constant-time for same-length input; the length (always 6) is no secret. */
function codesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

function providerError(message: string, code: string | number): TenantError {
  return new TenantError(400, 'sms_provider_error', `${message} (Code: ${code})`);
}

async function deliverToWebhook(
  url: string,
  payload: { recipient: string; body: string },
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(payload),
      redirect: 'error',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
  } catch (err) {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
      throw providerError(
        `SMS gateway did not answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`,
        'ETIMEDOUT',
      );
    }
    const code = networkErrorCode(err);
    throw providerError(`SMS gateway unreachable`, code);
  }

  const text = await readText(response);
  if (response.ok) return;
  const detail = parseGatewayError(text);
  throw providerError(
    detail?.message ?? `SMS gateway answered HTTP ${response.status}`,
    detail?.code ?? response.status,
  );
}

/** The answer's text, cut to 4 KiB: only its start can become an error message. */
async function readText(response: Response): Promise<string> {
  try {
    const text = await response.text();
    return text.slice(0, 4096);
  } catch {
    return '';
  }
}

function parseGatewayError(text: string): { message?: string; code?: string | number } | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { message, code } = parsed as Record<string, unknown>;
    return {
      message:
        typeof message === 'string' && message.length > 0 ? message.slice(0, 300) : undefined,
      code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
    };
  } catch {
    return undefined;
  }
}

/** `fetch failed` hides the socket error in `cause` (ECONNREFUSED, ENOTFOUND, ...). */
function networkErrorCode(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return 'ENETWORK';
}
