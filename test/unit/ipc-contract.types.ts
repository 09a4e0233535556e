/**
 * Type-level tests of the IPC contract, checked by `npm run typecheck` (never run): each
 * `@ts-expect-error` line is something loosely typed IPC would let through, and the build
 * fails if the contract stops refusing it.
 */
import type { SignetService } from '../../src/main/service';
import type { Answer, Channel, Envelope, SignetApi, SignetCalls } from '../../src/shared/ipc';
import type { SessionResult } from '../../src/shared/session';

declare const api: SignetApi;
declare const service: SignetService;

// @ts-expect-error armReveal is internal: the page cannot arm a token reveal
void api.armReveal;
// @ts-expect-error the page sends no nonce; preload adds the one main issued
void api.revealTokens({ nonce: 'x' });
// @ts-expect-error signIn needs a password
void api.signIn({ connection: 'db', username: 'ada', scope: 'basic' });
// @ts-expect-error a scope is one of the choices, not a raw scope string
void api.signIn({ connection: 'db', username: 'ada', password: 'pw', scope: 'openid' });
// @ts-expect-error the event's payload is a session or null
api.onSessionChanged((s: string) => s);
// @ts-expect-error not a channel of the contract
export const notAChannel: Channel = 'eval';
// @ts-expect-error a handler answers its own channel's type
export const wrongAnswer: SignetCalls['restore'] = async () => ({ cancelled: true });

// A typed dispatch answers the channel's own type; an untrusted name answers unknown.
export const typed: Promise<Envelope<SessionResult | null>> = service.dispatch('restore', {});
export const answer: Answer<'cancel'> = { cancelled: false };
// @ts-expect-error an untrusted channel name gets no typed answer
export const untyped: Promise<Envelope<SessionResult>> = service.dispatch(String('x'), {});

// @ts-expect-error the page names the token to copy; preload adds the nonce main issued
void api.copyToken({ token: 'id_token', nonce: 'x' });
// @ts-expect-error only the session's three tokens can be copied
void api.copyToken({ token: 'password' });
