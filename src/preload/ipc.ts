/**
 * Preload's side of the IPC contract (src/shared/ipc.ts), and the only module in preload/
 * that touches `ipcRenderer` (a lint rule keeps it so, as GitHub Desktop's ipc-renderer.ts
 * does): a call names a channel of the contract and gets that channel's answer; an event
 * listener gets that event's payload. Answers arrive as envelopes; a failure is re-thrown as
 * the plain `SignInError` object so the page sees its fields.
 */
import { ipcRenderer } from 'electron';
import {
  EVENT_CHANNELS,
  ipcChannel,
  type Answer,
  type Channel,
  type Envelope,
  type Request,
  type SignetEvent,
  type SignetEvents,
} from '../shared/ipc';

/** Calls `channel` in main and unwraps the answer; rejects with the `SignInError`. */
export async function invoke<C extends Channel>(
  channel: C,
  request: Request<C>,
): Promise<Answer<C>> {
  // What main's handler for `channel` returns (main/ipc.ts), by the contract.
  const answer: Envelope<Answer<C>> = await ipcRenderer.invoke(ipcChannel(channel), request);
  if (answer.ok) return answer.value;
  throw answer.error;
}

/** Listens to `event` from main; the function returned stops listening. */
export function on<E extends SignetEvent>(
  event: E,
  listener: (payload: SignetEvents[E]) => void,
): () => void {
  const channel = EVENT_CHANNELS[event].wire;
  // What main's `emit` sends on this channel (main/ipc.ts), by the contract.
  const wrapped = (_event: unknown, payload: SignetEvents[E]) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
}
