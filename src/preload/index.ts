/**
 * The bridge: `window.signet` offers the page's calls of src/shared/ipc.ts, one function per
 * channel, plus one subscription per event — never `ipcRenderer` itself (preload/ipc.ts is
 * the one module that holds it).
 *
 * The token reveal and the token copy are the one exception: the page cannot arm them
 * (`armReveal` is an internal channel, not exposed). `revealTokens()` and `copyToken()` work
 * only while the page has a user activation (a click or key press a moment ago, which page
 * script cannot fake); preload then asks main for a one-time nonce and spends it on the call
 * (main/reveal-gate.ts says what that does and does not stop).
 */
import { contextBridge } from 'electron';
import {
  EVENT_CHANNELS,
  EVENTS,
  GESTURE_CHANNELS,
  NEEDS_GESTURE,
  PAGE_CHANNELS,
  type PageChannel,
  type Request,
  type SignetApi,
  type SignetEvent,
  type SignetEvents,
} from '../shared/ipc';
import { invoke, on } from './ipc';

const api: Record<string, unknown> = {};
// The page's request goes to main as it is (main validates it); a call without one sends {}.
for (const channel of PAGE_CHANNELS)
  api[channel] = (request: Request<PageChannel> = {}) => invoke(channel, request);
for (const event of EVENTS)
  api[EVENT_CHANNELS[event].listener] = (listener: (payload: SignetEvents[SignetEvent]) => void) =>
    on(event, listener);

// Replaces the plain call above for `revealTokens` and `copyToken`: only under a user
// activation, and preload adds the nonce to what the page sends (main validates the rest).
for (const channel of GESTURE_CHANNELS)
  api[channel] = async (request: object = {}) => {
    const nav = (globalThis as { navigator?: { userActivation?: { isActive: boolean } } })
      .navigator;
    if (!nav?.userActivation?.isActive) throw { ...NEEDS_GESTURE[channel] };
    const { nonce } = await invoke('armReveal', {});
    // The page's own fields as they are (main's schema refuses anything else), the nonce last.
    return invoke(channel, { ...request, nonce } as Request<typeof channel>);
  };

// Built key by key from the contract's lists; main-glue.test.ts checks the keys are exactly
// the page's channels and events.
contextBridge.exposeInMainWorld('signet', Object.freeze(api as SignetApi));
