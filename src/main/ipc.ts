/**
 * Registers the IPC contract: one `ipcMain.handle` per channel of src/shared/ipc.ts, each
 * checking that the call comes from the app's own page in the app's own window before the
 * service validates and runs it (checklist item 17: validate the sender of all IPC messages).
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNELS, ipcChannel, SESSION_CHANGED, type Envelope } from '../shared/ipc';
import type { SessionResult } from '../shared/session';
import type { SignetService } from './service';

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
  for (const channel of CHANNELS) {
    ipcMain.handle(
      ipcChannel(channel),
      async (event, request: unknown): Promise<Envelope<unknown>> => {
        if (!trusted(event))
          return {
            ok: false,
            error: {
              code: 'invalid_input',
              message: 'This request did not come from Signet’s window.',
            },
          };
        return service.dispatch(channel, request);
      },
    );
  }
}

/** Pushes a session change to the window. */
export function sendSessionChanged(
  window: BrowserWindow | null,
  session: SessionResult | null,
): void {
  if (window && !window.isDestroyed()) window.webContents.send(SESSION_CHANGED, session);
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
