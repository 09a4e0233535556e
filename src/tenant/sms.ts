/**
 * One-time SMS codes for the `sms` passwordless connection (spec §2), and their delivery.
 *
 * - A code is 6 digits from `crypto.randomInt`, one-time, and only the newest code of a phone
 *   counts: `send` voids every older code of that phone before it delivers the new one.
 * - It expires after `ttlSeconds` (the tenant's default is 300 s) and dies after `maxAttempts`
 *   wrong tries (default 3). Every wrong try counts, including malformed ones.
 * - It is bound to the client and connection it was sent for: redeemed by another client or on
 *   another sms connection it is a wrong try, as a wrong code is.
 * - Codes are compared with `crypto.timingSafeEqual`.
 * - When delivery fails the new code is discarded as well (the user never received it), and
 *   the older codes stay void: the user asked for a new code, so the old ones are finished.
 *
 * Limits (sliding windows of `limitWindowSeconds`, default 15 min; see rate-limit.ts), so that
 * neither re-sending codes nor rotating phones buys new guesses:
 * - wrong codes are counted per phone (`wrongCodesPerPhone`, default 10) and per address
 *   (`wrongCodesPerIp`, default 30) across codes, clients and connections; once either is
 *   reached every code (even the right one) is 429 `too_many_attempts` with `Retry-After` until
 *   the oldest counted wrong code is a window old. A right code clears its phone's count (not
 *   the address's). At 10 guesses per 15 min against a million codes, even odds take two years.
 * - sends are counted per phone (`sendsPerPhone`, default 5) and per address (`sendsPerIp`,
 *   default 30); beyond, `send` is 429 `too_many_requests` with `Retry-After`, and nothing is
 *   delivered (no SMS is paid for, no gateway is called).
 *
 * Providers (delivery.ts, which holds `OUTBOX_LIMIT` and `WEBHOOK_TIMEOUT_MS`; shared with the
 * reset emails of email.ts):
 * - `outbox`: the message is kept in memory (newest first, at most `OUTBOX_LIMIT`) for
 *   `GET /__outbox`, and one console line is written through `log` — a local tenant's stand-in
 *   for a phone. Reading it over HTTP takes {@link SmsCodes.outboxKey}, made at each start.
 * - `webhook`: POSTs JSON `{recipient, body}` to the URL, as Auth0's custom SMS gateway does.
 *   A non-2xx answer, an unreachable gateway or no answer within `WEBHOOK_TIMEOUT_MS`
 *   throws `TenantError(400, 'sms_provider_error', '<message> (Code: <code>)')`, Auth0's shape,
 *   with the tenant's own words only (the HTTP status, `ECONNREFUSED`, `ETIMEDOUT`): what the
 *   gateway said may hold its account details, so it goes to the tenant's log, never to the
 *   caller.
 */
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { terminalLine } from '../shared/untrusted-text';
import { OTP_CODE_LENGTH, SMS_LIMIT_MESSAGES } from '../shared/auth0-protocol';
import { addressKey, rateLimited, SlidingWindow, type WindowState } from './rate-limit';
import { TenantError, tenantError } from './errors';
import { DeliveryError, Outbox, postToWebhook, type KeptMessage, type Provider } from './delivery';

export type SmsProvider = Provider;

export interface OutboxMessage extends KeptMessage {
  body: string;
  code: string;
}

/** Who asked for a code, and who redeems it: the client, the sms connection, the address. */
export interface CodeOrigin {
  clientId: string;
  connection: string;
  ip: string;
}

/** The limits of `sms` in the tenant config (config.ts holds the defaults). */
export interface SmsLimits {
  limitWindowSeconds: number;
  wrongCodesPerPhone: number;
  wrongCodesPerIp: number;
  sendsPerPhone: number;
  sendsPerIp: number;
}

interface PendingCode {
  code: string;
  clientId: string;
  connection: string;
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
  private readonly messages: Outbox<OutboxMessage>;
  private readonly wrongByPhone: SlidingWindow;
  private readonly wrongByIp: SlidingWindow;
  private readonly sendsByPhone: SlidingWindow;
  private readonly sendsByIp: SlidingWindow;
  /**
   * The secret `GET /__outbox` asks for (256 random bits, new at each start, shown on the
   * tenant's console): being on loopback is not enough to read the codes (see routes/outbox.ts).
   */
  readonly outboxKey = randomBytes(32).toString('base64url');

  constructor(
    opts: {
      ttlSeconds: number;
      maxAttempts: number;
      provider: SmsProvider;
      now?: () => number;
      log?: (line: string) => void;
    } & SmsLimits,
  ) {
    if (!(opts.ttlSeconds > 0)) throw new RangeError('ttlSeconds must be positive');
    if (!Number.isInteger(opts.maxAttempts) || opts.maxAttempts < 1) {
      throw new RangeError('maxAttempts must be a positive integer');
    }
    this.ttlMs = opts.ttlSeconds * 1000;
    this.maxAttempts = opts.maxAttempts;
    this.provider = opts.provider;
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? ((line) => console.log(line));
    this.messages = new Outbox<OutboxMessage>(this.now);
    const windowMs = opts.limitWindowSeconds * 1000;
    this.wrongByPhone = new SlidingWindow(opts.wrongCodesPerPhone, windowMs, this.now);
    this.wrongByIp = new SlidingWindow(opts.wrongCodesPerIp, windowMs, this.now);
    this.sendsByPhone = new SlidingWindow(opts.sendsPerPhone, windowMs, this.now);
    this.sendsByIp = new SlidingWindow(opts.sendsPerIp, windowMs, this.now);
  }

  /**
   * Creates a new 6-digit code for `phone`, bound to `origin`'s client and connection (voiding
   * older ones), and delivers it. Throws 429 `too_many_requests` (nothing sent) when the phone or
   * the address had its codes for the window, `TenantError(400, 'sms_provider_error', ...)`
   * when the gateway fails.
   */
  async send(phone: string, origin: CodeOrigin): Promise<void> {
    const ip = addressKey(origin.ip);
    refuseWhenFull(
      [this.sendsByPhone.peek(phone), this.sendsByIp.peek(ip)],
      'too_many_requests',
      SMS_LIMIT_MESSAGES.tooManySends,
    );
    // Counted before delivery (in the same turn as the check): simultaneous requests cannot
    // exceed the limit, and a failed delivery was still a call to the gateway.
    this.sendsByPhone.hit(phone);
    this.sendsByIp.hit(ip);
    this.pruneExpired();
    this.pending.delete(phone);
    const code = randomInt(0, 10 ** OTP_CODE_LENGTH)
      .toString()
      .padStart(OTP_CODE_LENGTH, '0');
    const body = `Your verification code is: ${code}`;

    if (this.provider.kind === 'webhook') {
      try {
        await postToWebhook(
          this.provider.url,
          { recipient: phone, body },
          {
            gateway: 'SMS gateway',
            logDetail: (detail) =>
              this.log(`[sms webhook] not sent to ${phone}: ${forLog(detail, code)}`),
          },
        );
      } catch (err) {
        if (err instanceof DeliveryError) throw providerError(err.message, err.code);
        throw err;
      }
      this.log(`[sms webhook] code sent to ${phone}`);
    } else {
      this.messages.keep({ recipient: phone, body, code });
      this.log(`[sms outbox] to ${phone}: ${body}`);
    }
    // Stored only once delivered: a code the user never received must not be usable.
    this.pending.set(phone, {
      code,
      clientId: origin.clientId,
      connection: origin.connection,
      expiresAt: this.now() + this.ttlMs,
      wrongTries: 0,
    });
  }

  /**
   * True once for the newest unexpired code of `phone`, redeemed by the client and on the
   * connection it was sent for; a replay, an expired code, a code voided by `maxAttempts` wrong
   * tries or redeemed elsewhere is false, and counts as a wrong code for the phone and the
   * address. Throws 429 `too_many_attempts` (looking at no code) once either has had its wrong
   * codes for the window.
   */
  verify(phone: string, code: string, origin: CodeOrigin): boolean {
    const ip = addressKey(origin.ip);
    refuseWhenFull(
      [this.wrongByPhone.peek(phone), this.wrongByIp.peek(ip)],
      'too_many_attempts',
      SMS_LIMIT_MESSAGES.tooManyWrongCodes,
    );
    if (this.redeem(phone, code, origin)) {
      this.wrongByPhone.clear(phone);
      return true;
    }
    this.wrongByPhone.hit(phone);
    this.wrongByIp.hit(ip);
    return false;
  }

  private redeem(phone: string, code: string, origin: CodeOrigin): boolean {
    const entry = this.pending.get(phone);
    if (!entry) return false;
    if (this.now() >= entry.expiresAt) {
      this.pending.delete(phone);
      return false;
    }
    const sameOrigin = entry.clientId === origin.clientId && entry.connection === origin.connection;
    if (codesEqual(entry.code, code) && sameOrigin) {
      this.pending.delete(phone);
      return true;
    }
    entry.wrongTries += 1;
    if (entry.wrongTries >= this.maxAttempts) this.pending.delete(phone);
    return false;
  }

  /** Outbox messages, newest first, optionally for one phone. */
  outbox(phone?: string): OutboxMessage[] {
    return this.messages.list(phone);
  }

  private pruneExpired(): void {
    const now = this.now();
    for (const [phone, entry] of this.pending) {
      if (now >= entry.expiresAt) this.pending.delete(phone);
    }
  }
}

/** The full window among `states` that frees up last, or undefined when none is full. */
function fullest(states: WindowState[]): WindowState | undefined {
  return states.filter((state) => state.remaining === 0).sort((a, b) => b.resetMs - a.resetMs)[0];
}

/** Throws the 429 `error` (`text`, then when to retry) when any of `states` is full. */
function refuseWhenFull(
  states: WindowState[],
  error: 'too_many_requests' | 'too_many_attempts',
  text: string,
): void {
  const full = fullest(states);
  if (full) throw rateLimited(error, `${text} Retry in ${full.retryAfterSeconds} s.`, full);
}

/**
 * What a gateway said, fit for one log line: `terminalLine` (the one place that knows the
 * control characters) turns line breaks into spaces and drops terminal escapes and bidi
 * overrides; then the undelivered code is masked (after, so no control character hides it), and
 * it is cut to 300 characters.
 */
function forLog(text: string, code: string): string {
  return terminalLine(text).split(code).join('******').slice(0, 300);
}

/** Constant-time for same-length input; the length (always 6) is no secret. */
function codesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

function providerError(message: string, code: string | number): TenantError {
  return tenantError.smsProviderError(`${message} (Code: ${code})`);
}
