/**
 * Sliding-window counting, the one mechanism behind every limit of the tenant that reads "at
 * most N in any W": /delegation calls (per user and IP), /passwordless/start sends (per phone and
 * per IP) and wrong SMS codes (per phone and per IP).
 *
 * A key is full while `limit` events of it lie within the last `windowMs`; it has room again as
 * soon as its oldest event is `windowMs` old (that is the cooldown a refusal announces with
 * `Retry-After`). Checking (`peek`) and recording (`hit`) are separate, synchronous steps, so a
 * caller can check several windows and record in all of them within one turn of the event loop:
 * simultaneous requests never both take the last slot. Memory stays bounded: a key holds at most
 * `limit` times, and keys whose events all left the window are swept as others are recorded.
 */
import { TenantError, tenantError } from './errors';

export interface WindowState {
  limit: number;
  /** Events still allowed now (0: full). */
  remaining: number;
  /** When (ms) the oldest counted event leaves the window, i.e. when one more is allowed. */
  resetMs: number;
  /** Whole seconds until `resetMs`, at least 1: the `Retry-After` of a refusal. */
  retryAfterSeconds: number;
}

/** Recordings between two sweeps of emptied keys. */
const SWEEP_EVERY = 1024;

export class SlidingWindow {
  private readonly events = new Map<string, number[]>();
  private hitsSinceSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be >= 1');
    if (!(windowMs > 0)) throw new RangeError('windowMs must be positive');
  }

  /** The state of `key` now, without recording anything. */
  peek(key: string): WindowState {
    return this.state(this.recent(key));
  }

  /** Records one event of `key` (check `peek` first) and answers the state after it. */
  hit(key: string): WindowState {
    const times = this.recent(key);
    times.push(this.now());
    this.events.set(key, times);
    if (++this.hitsSinceSweep >= SWEEP_EVERY) this.sweep();
    return this.state(times);
  }

  /** Forgets `key`'s events (e.g. a right code clears its phone's wrong ones). */
  clear(key: string): void {
    this.events.delete(key);
  }

  private recent(key: string): number[] {
    const t = this.now();
    const times = (this.events.get(key) ?? []).filter((x) => t - x < this.windowMs);
    if (times.length === 0) this.events.delete(key);
    // Only the newest `limit` matter; more cannot be recorded, but keep the array bounded anyway.
    return times.slice(-this.limit);
  }

  private state(times: number[]): WindowState {
    const t = this.now();
    const resetMs = (times[0] ?? t) + this.windowMs;
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - times.length),
      resetMs,
      retryAfterSeconds: Math.max(1, Math.ceil((resetMs - t) / 1000)),
    };
  }

  private sweep(): void {
    this.hitsSinceSweep = 0;
    const t = this.now();
    for (const [key, times] of this.events) {
      if (times.every((x) => t - x >= this.windowMs)) this.events.delete(key);
    }
  }
}

/** `X-RateLimit-*` headers describing `state`, as Auth0 sends them. */
export function rateLimitHeaders(state: WindowState): Record<string, string> {
  return {
    'x-ratelimit-limit': String(state.limit),
    'x-ratelimit-remaining': String(state.remaining),
    'x-ratelimit-reset': String(Math.ceil(state.resetMs / 1000)),
  };
}

/** The 429 for a full window: `Retry-After` and `X-RateLimit-*` tell when to come back. */
export function rateLimited(
  error: 'too_many_requests' | 'too_many_attempts',
  description: string,
  state: WindowState,
): TenantError {
  const headers = {
    'retry-after': String(state.retryAfterSeconds),
    ...rateLimitHeaders({ ...state, remaining: 0 }),
  };
  const make =
    error === 'too_many_requests' ? tenantError.tooManyRequests : tenantError.limitReached;
  return make(description, { headers });
}

/**
 * The key an address is counted under: an IPv4 address (also IPv4-mapped IPv6) as it is, an IPv6
 * address by its /64, since one host usually holds a whole /64 and could otherwise rotate.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
