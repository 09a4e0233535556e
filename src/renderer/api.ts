/**
 * The renderer's one door to the world: `window.signet`, as preload (or the e2e bridge)
 * exposes it. Everything else the page knows comes through here.
 */
import { EVENT_CHANNELS, type SignetApi } from '../shared/ipc';
import type { SignInError } from '../shared/errors';

declare global {
  interface Window {
    signet?: SignetApi;
  }
}

const LISTENERS: ReadonlySet<PropertyKey> = new Set(
  Object.values(EVENT_CHANNELS).map((e) => e.listener),
);

/**
 * A stand-in for pages opened without preload (e.g. the plain shell test): every call fails,
 * no event comes.
 */
const offline = new Proxy({} as SignetApi, {
  get(_t, name) {
    if (LISTENERS.has(name)) return () => () => undefined;
    return () =>
      Promise.reject<SignInError>({
        code: 'internal_error',
        message: 'Signet’s main process is not connected to this window.',
        detail: { channel: String(name) },
      });
  },
});

export const signet: SignetApi = window.signet ?? offline;

/**
 * Whatever a call rejected with, as a `SignInError` (the bridge throws plain objects): the
 * one `toSignInError` of src/shared/errors.ts, under the name the views use.
 */
export { toSignInError as asSignInError } from '../shared/errors';
