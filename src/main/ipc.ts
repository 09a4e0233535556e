/**
 * Main's side of the IPC contract (src/shared/ipc.ts), and the only module in main/ that
 * touches `ipcMain` or sends to a window (a lint rule keeps it so, as GitHub Desktop's
 * ipc-main.ts does): `registerIpc` handles exactly the contract's channels, each checking
 * that the call comes from the app's own page in the app's own window before the service
 * validates and runs it (checklist item 17: validate the sender of all IPC messages), and
 * `emit` pushes the contract's events, typed.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  CHANNELS,
  EVENT_CHANNELS,
  ipcChannel,
  type Answer,
  type Channel,
  type Envelope,
  type SignetEvent,
  type SignetEvents,
} from '../shared/ipc';
import type { SignetService } from './service';
import { errorText } from '../shared/error-text';

/** What a call from anywhere but the app's page in the app's window is answered. */
const NOT_FROM_WINDOW: Envelope<never> = {
  ok: false,
  error: { code: 'invalid_input', ...errorText('errors.window.foreignRequest') },
};

/** Handles every channel of the contract with the service's `dispatch`, senders checked. */
export function registerIpc(
  service: SignetService,
  window: () => BrowserWindow | null,
  isAppUrl: (url: string) => boolean,
): void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const w = window();
    const frame = event.senderFrame;
    return (
      w !== null &&
      event.sender === w.webContents &&
      frame !== null &&
      frame === w.webContents.mainFrame &&
      isAppUrl(frame.url)
    );
  };
  const handle = <C extends Channel>(channel: C) =>
    ipcMain.handle(ipcChannel(channel), (event, request: unknown): Promise<Envelope<Answer<C>>> =>
      trusted(event) ? service.dispatch(channel, request) : Promise.resolve(NOT_FROM_WINDOW),
    );
  for (const channel of CHANNELS) handle(channel);
}

/** Pushes `event` to the window, if it is still open: the one way main talks first. */
export function emit<E extends SignetEvent>(
  window: BrowserWindow | null,
  event: E,
  payload: SignetEvents[E],
): void {
  if (window && !window.isDestroyed()) window.webContents.send(EVENT_CHANNELS[event].wire, payload);
}

/** How long after a click or key press in the window `armReveal` is still accepted. */
export const USER_INPUT_WINDOW_MS = 2_000;

/** Input events that are a user's act (not a hover or a scroll). */
const USER_ACTS = new Set([
  'mouseDown',
  'mouseUp',
  'rawKeyDown',
  'keyDown',
  'keyUp',
  'pointerDown',
  'pointerUp',
  'touchEnd',
  'gestureTap',
]);

/**
 * Watches the window's real input events (they come from the browser process, so page
 * script cannot fake them) and says whether the user acted a moment ago: the service's
 * `userGesture` for `armReveal` (main/reveal-gate.ts).
 */
export function userInputTracker(now: () => number = Date.now): {
  watch(contents: WebContents): void;
  recent(): boolean;
} {
  let last = Number.NEGATIVE_INFINITY;
  return {
    watch(contents) {
      contents.on('input-event', (_event, input) => {
        if (USER_ACTS.has(input.type)) last = now();
      });
    },
    recent: () => now() - last <= USER_INPUT_WINDOW_MS,
  };
}
