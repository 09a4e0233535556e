/**
 * How the tenant hands a message to a person: the two providers that SMS codes (sms.ts) and
 * reset emails (email.ts) share.
 *
 * - `outbox`: the message is kept in memory (newest first, at most {@link OUTBOX_LIMIT} per
 *   outbox) for `GET /__outbox` (routes/outbox.ts, behind the loopback guard and the per-start
 *   key), a local tenant's stand-in for a phone or a mailbox.
 * - `webhook`: a JSON POST to a URL (`https://`, or `http://` to loopback only: config.ts). A
 *   non-2xx answer, an unreachable gateway or no answer within {@link WEBHOOK_TIMEOUT_MS} is a
 *   {@link DeliveryError} in the tenant's own words (the HTTP status, `ECONNREFUSED`,
 *   `ETIMEDOUT`); what the gateway said may hold its account details, so it goes to the log only.
 */
import { randomUUID } from 'node:crypto';

/** How many messages an outbox keeps; older ones are dropped (memory stays bounded). */
export const OUTBOX_LIMIT = 1000;
/** How long a webhook gateway has to answer. */
export const WEBHOOK_TIMEOUT_MS = 5000;

/** A provider as config.ts describes it (`sms.provider`, `email.provider`). */
export type Provider = { kind: 'outbox' } | { kind: 'webhook'; url: string };

/** What every kept message has: an id, whom it went to, and when. */
export interface KeptMessage {
  id: string;
  recipient: string;
  sentAt: string;
}

/** The messages one provider kept, newest last inside (appending is cheap), newest first out. */
export class Outbox<M extends KeptMessage> {
  private readonly messages: M[] = [];

  constructor(private readonly now: () => number) {}

  /** Keeps `message` (an id and the time are added), dropping the oldest beyond the limit. */
  keep(message: Omit<M, 'id' | 'sentAt'>): M {
    const kept = {
      id: randomUUID(),
      ...message,
      sentAt: new Date(this.now()).toISOString(),
    } as M;
    this.messages.push(kept);
    if (this.messages.length > OUTBOX_LIMIT)
      this.messages.splice(0, this.messages.length - OUTBOX_LIMIT);
    return kept;
  }

  /** Copies of the messages, newest first, optionally only those to `recipient`. */
  list(recipient?: string): M[] {
    const list =
      recipient === undefined
        ? this.messages
        : this.messages.filter((m) => m.recipient === recipient);
    return list
      .slice()
      .reverse()
      .map((m) => ({ ...m }));
  }
}

/** A webhook that did not take the message: `message` and `code` are the tenant's own words. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly code: string | number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/**
 * POSTs `payload` as JSON to `url`; throws {@link DeliveryError} (`<gateway> answered HTTP 500`,
 * `<gateway> unreachable` + the socket code, `<gateway> did not answer within 5 s`), and hands
 * what the gateway said (its error body, the socket error) to `logDetail` only.
 */
export async function postToWebhook(
  url: string,
  payload: Record<string, unknown>,
  opts: { gateway: string; logDetail: (detail: string) => void },
): Promise<void> {
  const { gateway, logDetail } = opts;
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
      logDetail(`no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`);
      throw new DeliveryError(
        `${gateway} did not answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`,
        'ETIMEDOUT',
      );
    }
    const code = networkErrorCode(err);
    logDetail(`unreachable: ${code} ${errorChain(err)}`);
    throw new DeliveryError(`${gateway} unreachable`, code);
  }

  const text = await readText(response);
  if (response.ok) return;
  logDetail(`HTTP ${response.status}: ${text}`);
  throw new DeliveryError(`${gateway} answered HTTP ${response.status}`, response.status);
}

/** The answer's text, cut to 4 KiB: only its start goes to the log. */
async function readText(response: Response): Promise<string> {
  try {
    const text = await response.text();
    return text.slice(0, 4096);
  } catch {
    return '';
  }
}

/** The messages of an error and its causes, for the log. */
function errorChain(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    parts.push(current.message);
    current = current.cause;
  }
  return parts.join(': ');
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
