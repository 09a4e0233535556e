/**
 * The one IPC contract between the window and the main process (GitHub Desktop's
 * `ipc-shared.ts` is the model). Every channel is declared once: its name and answer type
 * here (`CHANNELS`, `Responses`), its request schema in `ipc-requests.ts` (main validates every
 * call against it; kept apart so preload and the renderer never load zod).
 * main/ registers exactly this map, preload/ exposes exactly this map as `window.signet`, and
 * the e2e bridge serves exactly this map.
 *
 * Calls travel as one request object and come back as an `Envelope`, so a `SignInError` keeps
 * its fields across the boundary (Electron would flatten a thrown error into a string).
 */
import type { z } from 'zod';
import type { requests } from './ipc-requests';
import type { SignInError } from './errors';
import type { ConnectionReport } from './report';
import type {
  Account,
  Attempt,
  CheckReport,
  RevealedTokens,
  SessionResult,
  SignOutResult,
} from './session';
import type { LockedField, ManagedIgnored, Settings } from './settings';

/** Scopes in plain words, as the sign-in form offers them. */
export const SCOPE_CHOICES = {
  basic: { scope: 'openid name email', label: 'Basic (name and email)' },
  profile: { scope: 'openid profile email', label: 'With profile (all attributes)' },
  remember: { scope: 'openid profile email offline_access', label: 'Keep me signed in' },
} as const;
export type ScopeChoice = keyof typeof SCOPE_CHOICES;

export type Channel = keyof typeof requests;

/** What the settings screen needs. */
export interface SettingsView {
  settings: Settings;
  locked: LockedField[];
  /** The tenant requests go to (the local tenant's URL when it is in use). */
  tenant: string;
  clientId: string;
  usingLocalTenant: boolean;
  /** A managed configuration that exists but is ignored, and why (shown on the Settings screen). */
  managedIgnored?: ManagedIgnored;
  /** Set when the settings or managed file is invalid: every other call answers with it. */
  error?: SignInError;
}

/** Answer type of every channel. */
export interface Responses {
  getSettings: SettingsView;
  saveSettings: SettingsView;
  signIn: SessionResult;
  cancel: { cancelled: boolean };
  startSms: { phone: string };
  signInWithSms: SessionResult;
  restore: SessionResult | null;
  refresh: SessionResult;
  signOut: SignOutResult;
  accounts: Account[];
  armReveal: { nonce: string };
  revealTokens: RevealedTokens;
  attempts: Attempt[];
  checkTenant: CheckReport;
  exportDiagnostics: { filename: string; mimeType: string; content: string };
  defaultCountry: { country: string | null };
  /**
   * The connection report (Diagnostics → Test connection): each listed test account signed
   * in once against the tenant in use, nothing kept; one row per account (error code, AD
   * sub-code and meaning, groups, timings, whether it matched its `expect`) and a summary.
   * The passwords of the request appear nowhere in the answer, the attempts log or an
   * export. `cancel` stops the run (it rejects with `cancelled`).
   */
  testConnection: ConnectionReport;
}

// Both maps name the same channels, checked at compile time.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : never;
const _sameChannels: SameKeys<typeof requests, Responses> = true;
void _sameChannels;

export type Request<C extends Channel> = z.input<(typeof requests)[C]>;
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: SignInError };

/** The calls of the contract, as handlers implement them and `window.signet` offers them. */
export type SignetCalls = { [C in Channel]: (request: Request<C>) => Promise<Responses[C]> };

/** Pushed by main whenever the signed-in session changes (sign-in, refresh, sign-out). */
export interface SignetEvents {
  onSessionChanged(listener: (session: SessionResult | null) => void): () => void;
}

/**
 * Channels preload keeps to itself: the page cannot arm a token reveal, only ask for one
 * (`revealTokens`), which preload turns into `armReveal` + `revealTokens({nonce})` when the
 * page has a user activation (main/reveal-gate.ts).
 */
export const PRELOAD_ONLY_CHANNELS = ['armReveal'] as const satisfies readonly Channel[];

/**
 * `window.signet`: every call of the contract but the preload-only ones, plus the session
 * event. `revealTokens` takes nothing: preload fetches the nonce itself.
 */
export type SignetApi = Omit<
  SignetCalls,
  (typeof PRELOAD_ONLY_CHANNELS)[number] | 'revealTokens'
> & {
  revealTokens(request?: Record<string, never>): Promise<RevealedTokens>;
} & SignetEvents;

/** What the page is told when it asks for the tokens without a user's click. */
export const REVEAL_NEEDS_GESTURE: SignInError = {
  code: 'invalid_input',
  message: 'The tokens are shown only right after you click “Reveal tokens”.',
};

/** Electron channel names: one namespace, so a stray channel can never match. */
export const ipcChannel = (c: Channel): string => `signet:${c}`;
export const SESSION_CHANGED = 'signet:event:session-changed';

/**
 * The channel names as plain data, for preload (which must not pull zod into the page's
 * process); checked at compile time against `requests`.
 */
export const CHANNELS = [
  'getSettings',
  'saveSettings',
  'signIn',
  'cancel',
  'startSms',
  'signInWithSms',
  'restore',
  'refresh',
  'signOut',
  'accounts',
  'armReveal',
  'revealTokens',
  'attempts',
  'checkTenant',
  'exportDiagnostics',
  'defaultCountry',
  'testConnection',
] as const satisfies readonly Channel[];
const _allChannels: SameKeys<Record<(typeof CHANNELS)[number], 1>, typeof requests> = true;
void _allChannels;
