/**
 * The bridge: `window.signet` offers exactly the calls of src/shared/ipc.ts, one function per
 * channel, plus the session event — never `ipcRenderer` itself. Answers arrive as envelopes;
 * a failure is re-thrown as the plain `SignInError` object so the page sees its fields.
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  CHANNELS,
  ipcChannel,
  SESSION_CHANGED,
  type Envelope,
  type SignetApi,
} from '../shared/ipc';
import type { SessionResult } from '../shared/session';

const api: Record<string, unknown> = {};
for (const channel of CHANNELS) {
  api[channel] = async (request: unknown) => {
    const answer = (await ipcRenderer.invoke(
      ipcChannel(channel),
      request ?? {},
    )) as Envelope<unknown>;
    if (answer.ok) return answer.value;
    throw answer.error;
  };
}
api.onSessionChanged = (listener: (session: SessionResult | null) => void) => {
  const wrapped = (_event: unknown, session: SessionResult | null) => listener(session);
  ipcRenderer.on(SESSION_CHANGED, wrapped);
  return () => ipcRenderer.removeListener(SESSION_CHANGED, wrapped);
};

contextBridge.exposeInMainWorld('signet', Object.freeze(api as unknown as SignetApi));
