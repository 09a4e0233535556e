/**
 * The one IPC contract between the window and the main process (GitHub Desktop's
 * `ipc-shared.ts` is the model). Every channel is declared once, in `SignetChannels`: its
 * request, its answer and what it does. Everything else is derived from that interface or
 * checked against it at compile time:
 * - `CHANNELS` (the runtime list) from `AUDIENCE`, which must name exactly its channels;
 * - main's request schemas (main/ipc-requests.ts, zod) `satisfies` it, so preload and the
 *   renderer never load zod;
 * - main/ registers exactly `CHANNELS` (main/ipc.ts), preload/ exposes exactly the page's
 *   channels as `window.signet` (preload/index.ts), and the e2e bridge serves the same map;
 * - main pushes `SignetEvents` only through main/ipc.ts's typed `emit`.
 *
 * Calls travel as one request object and come back as an `Envelope`, so a `SignInError` keeps
 * its fields across the boundary (Electron would flatten a thrown error into a string).
 */
import { errorText } from './error-text';
import type { SignInError } from './errors';
import type { ConnectionReport, ReportAccount } from './report';
import type {
  Account,
  Attempt,
  CheckReport,
  RevealedTokens,
  SessionResult,
  SignOutResult,
} from './session';
import type { ClientConfigView } from './client-config';
import type { BrandingView } from './branding';
import type { LanguageTag } from './languages';
import type {
  ConnectionKind,
  LockedField,
  ManagedIgnored,
  Settings,
  SettingsPatch,
} from './settings';
import type { ToolAccount } from './tool-setup';

/** The scopes the sign-in form offers (their words are the window's catalog: signin.scope.*). */
export const SCOPE_CHOICES = {
  basic: { scope: 'openid name email' },
  profile: { scope: 'openid profile email' },
  remember: { scope: 'openid profile email offline_access' },
} as const;
export type ScopeChoice = keyof typeof SCOPE_CHOICES;

/** The choice nearest a scope (the form's starting state): offline_access, profile, or basic. */
export function scopeChoiceFor(scope: string | undefined): ScopeChoice {
  const words = new Set((scope ?? '').split(/\s+/));
  if (words.has('offline_access')) return 'remember';
  if (words.has('profile')) return 'profile';
  return scope ? 'basic' : 'remember';
}

/**
 * The scope a sign-in asks for, given the form's choice: the settings' own `scope` when the
 * managed configuration locks it (the form cannot widen what IT set) or when the choice is the
 * one that scope stands for (a scope IT wrote by hand stays as written); else the choice's.
 */
export function scopeForChoice(
  choice: ScopeChoice,
  settingsScope: string,
  locked: boolean,
): string {
  if (locked || scopeChoiceFor(settingsScope) === choice) return settingsScope;
  return SCOPE_CHOICES[choice].scope;
}

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
  /** Whether settings name the connections (else the form offers the client's: `clientConfig`). */
  connectionsNamed: boolean;
  /** The operating system's locale as main reads it (`app.getLocale()`: `de-AT`), or null. */
  systemLanguage: string | null;
  /**
   * The language the window speaks (src/shared/languages.ts `resolveLanguage`): the settings'
   * `language` (the user's choice, or IT's, locked), else the OS locale's, else English.
   */
  language: LanguageTag;
}

/** Sign-up on a database connection (`/dbconnections/signup`, spec §7). */
export interface SignUpRequest {
  connection: string;
  email: string;
  /** Only where the connection `requires_username`. */
  username?: string;
  password: string;
}

/** The account the tenant created (its `_id` and the rest stay in main). */
export interface SignUpResult {
  email: string;
  username?: string;
  emailVerified: boolean;
}

/**
 * Who signed in last on this machine (Lock's `rememberLastLogin`), offered as "Continue as…"
 * after sign-out or expiry: names and the connection only, never a secret or a token.
 */
export interface LastLogin {
  /** The tenant and client it was for (offered only while they are the ones in use). */
  tenant: string;
  clientId: string;
  connection: string;
  kind: ConnectionKind;
  /** What the user typed to sign in: username, email or E.164 phone number. */
  username: string;
  /** From the verified id_token, when it had them. */
  name?: string;
  email?: string;
  /** ISO time of that sign-in. */
  at: string;
}

/** The request of a channel that needs nothing. */
export type Empty = Record<string, never>;

/** Password sign-in (database or AD/LDAP connection). */
export interface SignInRequest {
  connection: string;
  username: string;
  password: string;
  scope: ScopeChoice;
  /** The 6-digit authenticator code, after an `a0.mfa_required` answer. */
  mfaCode?: string;
}

/** Sign-in with the code an SMS brought. */
export interface SmsSignInRequest {
  phone: string;
  code: string;
  scope: ScopeChoice;
}

/** A diagnostics export. */
export interface ExportRequest {
  format: 'json' | 'markdown';
}

/** What an export answers: a file for the page to save. */
export interface ExportedFile {
  filename: string;
  mimeType: string;
  content: string;
}

/** A connection report run: each account signed in once against `connection`. */
export interface ConnectionTestRequest {
  connection: string;
  accounts: ReportAccount[];
}

/**
 * Main keeping the shown offline session fresh (main/keep-fresh.ts): `off` (signed out, or
 * the session has no refresh token and expires as it is), `scheduled`, `refreshing`,
 * `retrying` (after a failure the network explains), `stopped` (the tenant refused).
 */
export interface KeepFreshState {
  status: 'off' | 'scheduled' | 'refreshing' | 'retrying' | 'stopped';
  /** ISO time of the last renewal keep-fresh made for this session, or null. */
  lastRefreshedAt: string | null;
  /** ISO time of the next renewal (or retry), or null when none is planned. */
  nextRefreshAt: string | null;
  /** Why the last renewal failed; null after a success or new tokens. */
  lastError: SignInError | null;
  lastErrorAt: string | null;
  /** Failures in a row (the backoff's step). */
  failures: number;
}

/** A token of the shown session that its "Copy" button puts on the clipboard. */
export type TokenName = Exclude<keyof RevealedTokens, 'token_type'>;

/** The tools "Use from other tools" sets up. */
export type ToolName = 'git' | 'kubectl' | 'curl';

/** One tool's setup text, built by main from src/shared/tool-setup.ts. No secret inside. */
export interface ToolCommand {
  tool: ToolName;
  /** What the text is, in a few words ("git credential helper"). */
  label: string;
  /** The command (or kubeconfig entry) to copy. */
  text: string;
  /** One sentence on where it goes and what to change in it (English). */
  note: string;
  /**
   * The data `note` names, for the window to put in its translated sentence: git's server
   * (`host` when IT named one, else the `placeholder` to replace), kubeconfig's `file`, curl's
   * `url`.
   */
  noteValues: { host?: string; placeholder?: string; file?: string; url?: string };
}

/**
 * How to put `signet` on PATH: `kind` names the case, so the window can say it in its own
 * language (`text` is the English sentence; `folder` the executable's folder it names).
 */
export interface CliHint {
  kind: 'unbundled' | 'windows' | 'appimage' | 'link';
  text: string;
  command?: string;
  folder?: string;
}

/** Whether other tools can run `signet`, as main sees it. */
export interface CliStatus {
  /** Where `signet` is on main's PATH, or null. */
  onPath: string | null;
  /** The executable shipped with this app (resources/cli), or null when this build has none. */
  bundled: string | null;
  /** When it is not on PATH: what to do, and the command that does it (when there is one). */
  hint: CliHint | null;
}

/** "Use from other tools": the shown account, its commands, and the CLI's state. */
export interface ToolSetupView {
  account: ToolAccount;
  commands: ToolCommand[];
  cli: CliStatus;
}

/**
 * One entry of the contract: what the caller sends (`request`) and what comes back
 * (`answer`). `internal: true` marks a channel only preload calls, never exposed to the page;
 * `page` is what the page sends when preload completes the request itself.
 */
interface ChannelSpec {
  request: object;
  answer: unknown;
  internal?: true;
  page?: object;
}

/** Every channel of the contract: channel → request → answer. */
export interface SignetChannels {
  /** Effective settings, which fields managed configuration locks, and the tenant in use. */
  getSettings: { request: Empty; answer: SettingsView };
  /**
   * Saves the user's settings (locked fields are refused; each field has a size limit) and
   * answers with the new view. `null` removes a field from the user's file.
   */
  saveSettings: { request: SettingsPatch; answer: SettingsView };
  /** Password sign-in; the session is kept as the scope asks (keychain or memory). */
  signIn: { request: SignInRequest; answer: SessionResult };
  /** Cancels the request in flight, if any (it then rejects with `cancelled`). */
  cancel: { request: Empty; answer: { cancelled: boolean } };
  /** Sends an SMS code (`/passwordless/start`); answers with the number as the tenant has it. */
  startSms: { request: { phone: string }; answer: { phone: string } };
  /** Signs in with the SMS code. */
  signInWithSms: { request: SmsSignInRequest; answer: SessionResult };
  /** The remembered session, verified (and refreshed when expired); null when none. */
  restore: { request: Empty; answer: SessionResult | null };
  /** Renews the shown session's id_token with its refresh token. */
  refresh: { request: Empty; answer: SessionResult };
  /** Revokes, forgets and deletes the shown session. */
  signOut: { request: Empty; answer: SignOutResult };
  /** Remembered sessions across tenants. */
  accounts: { request: Empty; answer: Account[] };
  /**
   * A one-time nonce for `revealTokens`, issued only right after real user input in the
   * window (main/reveal-gate.ts). Internal: preload calls it; the page never sees it.
   */
  armReveal: { request: Empty; answer: { nonce: string }; internal: true };
  /**
   * The shown session's raw tokens, only on the user's explicit request. The page sends
   * nothing; preload, under a user activation, adds the fresh single-use nonce of
   * `armReveal`, without which main refuses (a missing nonce is refused, not invalid).
   */
  revealTokens: { request: { nonce?: string }; page: Empty; answer: RevealedTokens };
  /** Every request of this run, redacted. */
  attempts: { request: Empty; answer: Attempt[] };
  /** DNS, TCP, TLS, discovery, JWKS and clock checks of the tenant in use. */
  checkTenant: { request: Empty; answer: CheckReport };
  /** The diagnostics report (attempts, last check, settings) as JSON or Markdown. */
  exportDiagnostics: { request: ExportRequest; answer: ExportedFile };
  /** The SMS tab's default country: settings, else the tenant's `/user/geoloc/country`. */
  defaultCountry: { request: Empty; answer: { country: string | null } };
  /**
   * The connection report (Diagnostics → Test connection): each listed test account signed
   * in once against the tenant in use, nothing kept; one row per account (error code, AD
   * sub-code and meaning, groups, timings, whether it matched its `expect`) and a summary.
   * The passwords of the request appear nowhere in the answer, the attempts log or an
   * export. `cancel` stops the run (it rejects with `cancelled`).
   */
  testConnection: { request: ConnectionTestRequest; answer: ConnectionReport };
  /** Keep-fresh's state for the shown session (main/keep-fresh.ts); also pushed as an event. */
  keepFresh: { request: Empty; answer: KeepFreshState };
  /**
   * The git, kubectl and curl setup of the shown session (src/shared/tool-setup.ts, filled in
   * by main) and whether `signet` is on PATH; `not_signed_in` when no session is shown.
   */
  toolSetup: { request: Empty; answer: ToolSetupView };
  /**
   * Puts one of `toolSetup`'s texts on the system clipboard, from main (the window's own
   * clipboard permission stays refused): the page names the tool, main copies its own text,
   * so the page cannot put anything else there.
   */
  copyToolCommand: { request: { tool: ToolName }; answer: { copied: ToolName } };
  /**
   * Puts one raw token of the shown session on the system clipboard, from main, on the
   * user's click: gated like `revealTokens` (preload adds the fresh `armReveal` nonce; the
   * page names only the token). The token itself never crosses to the page for a copy, and
   * the page cannot put any text of its own there (its clipboard permission stays refused).
   */
  copyToken: {
    request: { token: TokenName; nonce?: string };
    page: { token: TokenName };
    answer: { copied: TokenName };
  };
  /**
   * The client's configuration (spec §8) for the tenant and client in use: its connections,
   * their password policy, sign-up and reset switches and enterprise domains. Answers the
   * cached copy while it is fresh, else fetches (`refresh` forces it); offline, the last good
   * copy with the error. Never fails for a network reason: `source: "none"` and `error` then.
   */
  clientConfig: { request: { refresh?: boolean }; answer: ClientConfigView };
  /** Creates a database user (`/dbconnections/signup`); signs nobody in. */
  signUp: { request: SignUpRequest; answer: SignUpResult };
  /**
   * Asks the tenant to email a password-reset link (`/dbconnections/change_password`); answers
   * the tenant's sentence, the same whether or not the address has an account.
   */
  resetPassword: {
    request: { connection: string; email: string };
    answer: { message: string };
  };
  /** Who signed in last with the tenant and client in use, or null ("Not you?" forgets it). */
  lastLogin: { request: Empty; answer: LastLogin | null };
  /** Forgets the last login ("Not you?"). */
  forgetLastLogin: { request: Empty; answer: { forgotten: boolean } };
  /**
   * The company's look from the settings' `branding` (src/shared/branding.ts): its name, its
   * logo read and sanitised by main as a `data:` URL, the primary colour per theme after the
   * contrast check, and each field that could not be used and each colour changed, for
   * Diagnostics. Never fails for a bad block: Signet's own look then, with the problems.
   */
  branding: { request: Empty; answer: BrandingView };
}

// Every entry has the shape of a `ChannelSpec` (checked, not assumed).
const _specs: SignetChannels extends Record<keyof SignetChannels, ChannelSpec> ? true : never =
  true;
void _specs;

export type Channel = keyof SignetChannels;
/** What travels to main on `C`. */
export type Request<C extends Channel> = SignetChannels[C]['request'];
/** What main answers on `C`. */
export type Answer<C extends Channel> = SignetChannels[C]['answer'];

/** Channels only preload calls. */
export type InternalChannel = {
  [C in Channel]: SignetChannels[C] extends { internal: true } ? C : never;
}[Channel];
/** Channels the page calls through `window.signet`. */
export type PageChannel = Exclude<Channel, InternalChannel>;
/** What the page sends on `C` (preload completes some requests itself). */
export type PageRequest<C extends PageChannel> = SignetChannels[C] extends { page: infer P }
  ? P
  : Request<C>;

/**
 * Who calls each channel, as data for preload and the e2e bridge: the page, or preload
 * only. Must name exactly the channels of `SignetChannels`, and say `preload` exactly for
 * the internal ones.
 */
const AUDIENCE = {
  getSettings: 'page',
  saveSettings: 'page',
  signIn: 'page',
  cancel: 'page',
  startSms: 'page',
  signInWithSms: 'page',
  restore: 'page',
  refresh: 'page',
  signOut: 'page',
  accounts: 'page',
  armReveal: 'preload',
  revealTokens: 'page',
  attempts: 'page',
  checkTenant: 'page',
  exportDiagnostics: 'page',
  defaultCountry: 'page',
  testConnection: 'page',
  keepFresh: 'page',
  toolSetup: 'page',
  copyToolCommand: 'page',
  copyToken: 'page',
  clientConfig: 'page',
  signUp: 'page',
  resetPassword: 'page',
  lastLogin: 'page',
  forgetLastLogin: 'page',
  branding: 'page',
} as const satisfies { [C in Channel]: C extends InternalChannel ? 'preload' : 'page' };

/** Whether `name` is a channel of the contract (a name from the page is untrusted). */
export function isChannel(name: string): name is Channel {
  return Object.hasOwn(AUDIENCE, name);
}

/** Every channel of the contract: what main registers and dispatches. */
export const CHANNELS: readonly Channel[] = Object.keys(AUDIENCE).filter(isChannel);

/** Channels preload keeps to itself: the page cannot arm a token reveal, only ask for one. */
export const PRELOAD_ONLY_CHANNELS: readonly InternalChannel[] = CHANNELS.filter(
  (c): c is InternalChannel => AUDIENCE[c] === 'preload',
);

/** Channels `window.signet` offers. */
export const PAGE_CHANNELS: readonly PageChannel[] = CHANNELS.filter(
  (c): c is PageChannel => AUDIENCE[c] === 'page',
);

/** A call's outcome as it crosses the boundary. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: SignInError };

/** The calls of the contract, as main implements them (main/service.ts). */
export type SignetCalls = { [C in Channel]: (request: Request<C>) => Promise<Answer<C>> };

/** Events main pushes to the window: event → payload. */
export interface SignetEvents {
  /** The shown session changed (sign-in, refresh, sign-out); null when signed out. */
  sessionChanged: SessionResult | null;
  /** Keep-fresh's state changed (scheduled, refreshed, failed, stopped). */
  keepFreshChanged: KeepFreshState;
}
export type SignetEvent = keyof SignetEvents;

/** Each event's Electron channel (the wire name) and the page's subscription to it. */
export const EVENT_CHANNELS = {
  sessionChanged: { wire: 'signet:event:session-changed', listener: 'onSessionChanged' },
  keepFreshChanged: { wire: 'signet:event:keep-fresh-changed', listener: 'onKeepFreshChanged' },
} as const satisfies {
  [E in SignetEvent]: { wire: `signet:event:${string}`; listener: `on${Capitalize<E>}` };
};

/** Every event of the contract. */
export const EVENTS: readonly SignetEvent[] = Object.keys(EVENT_CHANNELS).filter(
  (e): e is SignetEvent => Object.hasOwn(EVENT_CHANNELS, e),
);

/** The page's subscription to each event; the function it returns unsubscribes. */
export type SignetEventListeners = {
  [E in SignetEvent as `on${Capitalize<E>}`]: (
    listener: (payload: SignetEvents[E]) => void,
  ) => () => void;
};

/** `window.signet`: the page's channels, with the requests the page sends, and the events. */
export type SignetApi = {
  [C in PageChannel]: (request: PageRequest<C>) => Promise<Answer<C>>;
} & SignetEventListeners;

/**
 * Page channels that hand out (or copy) a raw token, the ones with a `page` request: preload
 * completes each with a fresh single-use nonce from `armReveal`, only while the page has a
 * user activation.
 */
export type GestureChannel = {
  [C in PageChannel]: SignetChannels[C] extends { page: object } ? C : never;
}[PageChannel];

/** What the page is told when it asks for a token without a user's click, per channel. */
export const NEEDS_GESTURE = {
  revealTokens: {
    code: 'invalid_input',
    ...errorText('errors.gesture.reveal'),
  },
  copyToken: {
    code: 'invalid_input',
    ...errorText('errors.gesture.copy'),
  },
} as const satisfies { [C in GestureChannel]: SignInError };

/** The gesture channels, for preload and the e2e bridge to wrap. */
export const GESTURE_CHANNELS: readonly GestureChannel[] = Object.keys(NEEDS_GESTURE).filter(
  (c): c is GestureChannel => Object.hasOwn(NEEDS_GESTURE, c),
);

/** What the page is told when it asks for the tokens without a user's click. */
export const REVEAL_NEEDS_GESTURE: SignInError = NEEDS_GESTURE.revealTokens;

/** Electron channel names: one namespace, so a stray channel can never match. */
export const ipcChannel = (c: Channel): `signet:${Channel}` => `signet:${c}`;
