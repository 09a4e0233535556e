/**
 * The bridge: `window.signet` offers the calls of src/shared/ipc.ts, one function per
 * channel, plus the session event — never `ipcRenderer` itself. Answers arrive as envelopes;
 * a failure is re-thrown as the plain `SignInError` object so the page sees its fields.
 *
 * The token reveal is the one exception: the page cannot arm it (`armReveal` is not exposed).
 * `revealTokens()` works only while the page has a user activation (a click or key press a
 * moment ago, which page script cannot fake); preload then asks main for a one-time nonce
 * and spends it on the reveal (main/reveal-gate.ts says what that does and does not stop).
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  CHANNELS,
  ipcChannel,
  PRELOAD_ONLY_CHANNELS,
  REVEAL_NEEDS_GESTURE,
  SESSION_CHANGED,
  type Channel,
  type Envelope,
  type SignetApi,
} from '../shared/ipc';
import type { SessionResult } from '../shared/session';

const call = async (channel: Channel, request: unknown) => {
  const answer = (await ipcRenderer.invoke(
    ipcChannel(channel),
    request ?? {},
  )) as Envelope<unknown>;
  if (answer.ok) return answer.value;
  throw answer.error;
};

const api: Record<string, unknown> = {};
for (const channel of CHANNELS) {
  if ((PRELOAD_ONLY_CHANNELS as readonly string[]).includes(channel)) continue;
  api[channel] = (request: unknown) => call(channel, request);
}
api.revealTokens = async () => {
  const nav = (globalThis as { navigator?: { userActivation?: { isActive: boolean } } }).navigator;
  if (!nav?.userActivation?.isActive) throw { ...REVEAL_NEEDS_GESTURE };
  const { nonce } = (await call('armReveal', {})) as { nonce: string };
  return call('revealTokens', { nonce });
};
api.onSessionChanged = (listener: (session: SessionResult | null) => void) => {
  const wrapped = (_event: unknown, session: SessionResult | null) => listener(session);
  ipcRenderer.on(SESSION_CHANGED, wrapped);
  return () => ipcRenderer.removeListener(SESSION_CHANGED, wrapped);
};

contextBridge.exposeInMainWorld('signet', Object.freeze(api as unknown as SignetApi));
