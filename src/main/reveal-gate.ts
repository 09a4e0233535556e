/**
 * The gate in front of `revealTokens` and `copyToken` (issue 9, review 11 finding 9): the raw
 * tokens leave main (to the page, or to the clipboard) only as the second half of a two-step
 * exchange that starts with a user's click. The page's "Reveal tokens" or "Copy" button makes
 * preload call `armReveal` (refused unless the window saw real mouse or keyboard input moments
 * ago, see main/ipc.ts) and then the channel with the one-time nonce it got.
 *
 * What it stops: a reveal without a fresh arm, a replayed or reused nonce, a nonce kept for
 * later, and a script polling the tokens in a loop (each reveal needs its own user input).
 * What it does not stop: code running inside preload or a fully compromised renderer
 * process that waits for the user's next click anywhere in the window and then arms and
 * reveals — main cannot tell which element was clicked.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { SignInError } from '../shared/errors';
import { NEEDS_GESTURE, type GestureChannel } from '../shared/ipc';

/** How long a nonce stays good: the click handler uses it at once; seconds are plenty. */
export const REVEAL_NONCE_TTL_MS = 5_000;

const refused = (channel: GestureChannel, why: string): SignInError => ({
  ...NEEDS_GESTURE[channel],
  detail: { channel, issues: [why] },
});

export class RevealGate {
  private pending: { nonce: Buffer; issuedAt: number } | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  /** Issues a fresh nonce; any earlier one stops being good. */
  arm(): string {
    const nonce = randomBytes(32);
    this.pending = { nonce, issuedAt: this.now() };
    return nonce.toString('base64url');
  }

  /**
   * Checks and spends the pending nonce: null when `nonce` is it and still fresh, else the
   * error to answer. Any attempt spends it, so a wrong guess leaves nothing to guess at.
   */
  consume(nonce: string | undefined, channel: GestureChannel = 'revealTokens'): SignInError | null {
    const pending = this.pending;
    this.pending = null;
    if (!nonce) return refused(channel, 'no nonce: call armReveal on the user’s click first');
    if (!pending) return refused(channel, 'no nonce was issued, or it was already used');
    const given = Buffer.from(nonce, 'base64url');
    if (given.length !== pending.nonce.length || !timingSafeEqual(given, pending.nonce))
      return refused(channel, 'not the nonce that was issued');
    const age = this.now() - pending.issuedAt;
    if (age < 0 || age > REVEAL_NONCE_TTL_MS) return refused(channel, 'the nonce expired');
    return null;
  }
}
