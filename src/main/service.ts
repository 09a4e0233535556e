/**
 * The main process's implementation of the IPC contract (src/shared/ipc.ts), free of
 * Electron so that the e2e bridge serves exactly the same map: main/ipc.ts registers
 * `dispatch` for each channel after checking the sender; the Playwright bridge calls
 * `dispatch` through `page.exposeFunction`.
 *
 * It owns one `SignetCore` (one settings store, one session) and remembers which session the
 * window shows, so refresh, sign-out and token reveal act on that one; keep-fresh
 * (main/keep-fresh.ts) follows that session and renews it before it expires.
 */
import {
  SignetCore,
  LOCAL_CLIENT_ID,
  LOCAL_TENANT_URL,
  loadSettings,
  saveSettings,
  SignInFailure,
  runConnectionReport,
  clearLastLogin,
  readLastLogin,
  writeLastLogin,
  loadBranding,
  type Vault,
} from '../core/index';
import {
  isChannel,
  REVEAL_NEEDS_GESTURE,
  scopeForChoice,
  type Answer,
  type Channel,
  type Envelope,
  type KeepFreshState,
  type LastLogin,
  type Request,
  type ScopeChoice,
  type SettingsView,
  type SignetCalls,
} from '../shared/ipc';
import { formConnections, type ClientConfigView } from '../shared/client-config';
import type { z } from 'zod';
import type { BrandingView } from '../shared/branding';
import { resolveLanguage } from '../shared/languages';
import { cancelled, notSignedIn, toSignInError, type SignInError } from '../shared/errors';
import { errorText } from '../shared/error-text';
import type { Attempt, SessionResult } from '../shared/session';
import {
  issueLine,
  issueSentence,
  refusalText,
  SettingsSchema,
  type ConnectionKind,
  type LoadedSettings,
} from '../shared/settings';
import { cliStatus } from './cli-location';
import { diagnosticsReport } from './diagnostics-report';
import { requests } from './ipc-requests';
import { KeepFresh, type KeepFreshTiming } from './keep-fresh';
import { RevealGate } from './reveal-gate';
import { commandText, gitHost, toolAccount, toolCommands } from './tool-commands';

export interface ServiceOptions {
  /** Where settings files are looked up (SIGNET_SETTINGS, SIGNET_CONFIG, HOME…). */
  env?: NodeJS.ProcessEnv;
  /** The embedded local tenant's URL (npm start passes the one it started). */
  localTenantUrl?: string;
  /** The vault; `null` keeps sessions in memory only. Default: the system keychain. */
  vault?: Vault | null;
  /** Called whenever the shown session changes (main pushes it to the window). */
  onSessionChanged?: (session: SessionResult | null) => void;
  /**
   * Whether "no tenant configured" means the embedded local tenant (development, `npm start`)
   * or "set a tenant in Settings" (installed builds, which ship no tenant). Default true.
   */
  localTenantByDefault?: boolean;
  /**
   * Whether the window saw real user input (a click, a key) a moment ago; `armReveal` is
   * refused otherwise. main/ipc.ts watches the window's input events. Default: always
   * (the e2e bridge, which has no main process; its page checks the user activation).
   */
  userGesture?: () => boolean;
  /** The clock of the reveal nonce (tests inject one). */
  now?: () => number;
  /** Called whenever keep-fresh's state changes (main pushes it to the window). */
  onKeepFreshChanged?: (state: KeepFreshState) => void;
  /** Keep-fresh's timings (main/keep-fresh.ts has the defaults; tests shorten them). */
  keepFreshTiming?: Partial<KeepFreshTiming>;
  /** The system clipboard (Electron's, in main/index.ts); without it nothing can be copied. */
  clipboard?: { writeText(text: string): void };
  /** Folders this app ships the `signet` executable in (main/index.ts names them). */
  cliDirs?: string[];
  /** The OS locale (`app.getLocale()` in main/index.ts): the window's language unless set. */
  systemLocale?: string;
}

export interface SignetService {
  /** The calls themselves, unguarded: for main's own use and tests, never for the page. */
  calls: SignetCalls;
  /**
   * Validates an untrusted request for `channel` and runs it; never throws. A name that is
   * not a channel of the contract (the e2e page sends strings) is answered `invalid_input`.
   */
  dispatch<C extends Channel>(channel: C, request: unknown): Promise<Envelope<Answer<C>>>;
  dispatch(channel: string, request: unknown): Promise<Envelope<unknown>>;
  close(): Promise<void>;
}

/**
 * A request the window sent that its channel's schema refuses. Settings are typed by the user
 * (the window checks only a few fields itself), so a refused one is named with what is wrong
 * with it; any other channel's refusal means a broken or hostile page: the general sentence.
 */
const invalidInput = (channel: Channel, issues: readonly z.core.$ZodIssue[]): SignInError => ({
  code: 'invalid_input',
  ...(channel === 'saveSettings' && issues[0] && issueSentence(issues[0])
    ? refusalText('errors.window.badValue', issues)
    : errorText('errors.window.badRequest')),
  detail: { channel, issues: issues.map(issueLine) },
});

/** What a copy answers when main has no clipboard (or nothing to copy). */
const NO_CLIPBOARD: SignInError = {
  code: 'internal_error',
  ...errorText('errors.window.noClipboard'),
};

/** Creates the service: loads settings, builds the core. */
export function createSignetService(options: ServiceOptions = {}): SignetService {
  const env = options.env ?? process.env;
  const localTenantUrl = options.localTenantUrl ?? env.SIGNET_LOCAL_TENANT ?? LOCAL_TENANT_URL;
  // An invalid settings or managed file must not stop the app: every call then answers with
  // the error naming the file and field, and the window shows it.
  let configError: SignInError | null = null;
  let loaded: LoadedSettings;
  // Building the core reads the CA file, so it can fail the same way.
  let core: SignetCore;
  try {
    loaded = loadSettings(env);
    core = build(loaded);
  } catch (err) {
    configError = toSignInError(err);
    loaded = {
      settings: SettingsSchema.parse({}),
      locked: [],
      userFile: '',
      managedFile: undefined,
      connectionsNamed: false,
    };
    core = build(loaded);
  }
  /** Attempts of cores replaced by a settings change: Diagnostics keeps the whole run. */
  const pastAttempts: Attempt[] = [];
  let current: SessionResult | null = null;
  let inFlight: AbortController | null = null;
  /** The client configuration last answered to the window (the connections it offers). */
  let lastClientConfig: ClientConfigView | null = null;
  const revealGate = new RevealGate(options.now);
  const keepFresh = new KeepFresh({
    // `core` as it is when the timer fires: a settings change replaces it.
    refresh: (key, signal) => core.refresh({ ...key, signal }),
    onRefreshed: (session) => show(session),
    ...(options.onKeepFreshChanged ? { onChange: options.onKeepFreshChanged } : {}),
    ...(options.keepFreshTiming ? { timing: options.keepFreshTiming } : {}),
  });

  function build(l: LoadedSettings): SignetCore {
    // With no tenant configured, the embedded local tenant is the default (in development).
    const useLocal =
      l.settings.useLocalTenant || (!l.settings.tenant && options.localTenantByDefault !== false);
    return new SignetCore({
      settings: { ...l.settings, useLocalTenant: useLocal },
      localTenantUrl,
      settingsEnv: env,
      ...(options.vault !== undefined ? { vault: options.vault } : {}),
    });
  }

  /** What a sign-in asks for (see `scopeForChoice`: a managed scope is never widened). */
  const scopeOf = (choice: ScopeChoice) =>
    scopeForChoice(
      choice,
      loaded.settings.scope,
      loaded.locked.some((l) => l.field === 'scope'),
    );

  function view(): SettingsView {
    const useLocal = core.settings.useLocalTenant;
    return {
      settings: loaded.settings,
      locked: loaded.locked,
      tenant: useLocal ? localTenantUrl : (loaded.settings.tenant ?? ''),
      clientId: useLocal
        ? (loaded.settings.clientId ?? LOCAL_CLIENT_ID)
        : (loaded.settings.clientId ?? ''),
      usingLocalTenant: useLocal,
      connectionsNamed: loaded.connectionsNamed,
      systemLanguage: options.systemLocale || null,
      language: resolveLanguage(loaded.settings.language, options.systemLocale),
      ...(loaded.managedIgnored ? { managedIgnored: loaded.managedIgnored } : {}),
      ...(configError ? { error: configError } : {}),
    };
  }

  /**
   * The branding of the settings in force, built once per settings load (it reads and
   * sanitises the logo file): a settings change replaces `loaded`, and with it this answer.
   */
  let brandingOf: { for: LoadedSettings; view: Promise<BrandingView> } | null = null;
  function branding(): Promise<BrandingView> {
    if (brandingOf?.for !== loaded)
      brandingOf = { for: loaded, view: loadBranding(loaded.settings.branding) };
    return brandingOf.view;
  }

  function show(session: SessionResult | null): void {
    current = session;
    keepFresh.follow(session);
    options.onSessionChanged?.(session);
  }

  /** The shown session's tool setups (no secret inside); `not_signed_in` when none is shown. */
  function shownTools() {
    if (!current) throw new SignInFailure(notSignedIn(errorText('errors.window.signInForTools')));
    const account = toolAccount(current);
    const hosts = (loaded.settings as { credentialHosts?: string[] }).credentialHosts;
    return { account, commands: toolCommands(account, gitHost(hosts)) };
  }

  /** Runs one network call with a fresh AbortController that `cancel` can abort. */
  async function cancellable<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    try {
      const result = await fn(controller.signal);
      // A call cancelled (or overtaken by a newer one) while it finished must not land.
      if (controller.signal.aborted) throw new SignInFailure(cancelled());
      return result;
    } finally {
      if (inFlight === controller) inFlight = null;
    }
  }

  /**
   * Remembers who just signed in (Lock's `rememberLastLogin`): the tenant, client, connection
   * and what the user typed, plus name and email only from a verified id_token. Never a
   * secret; a file that cannot be written only means no "Continue as…" next time.
   */
  function rememberLastLogin(session: SessionResult): void {
    const verified = session.verification.status === 'verified';
    writeLastLogin(
      {
        tenant: session.tenant,
        clientId: session.clientId,
        connection: session.connection.name,
        kind: session.connection.kind,
        username: session.username,
        ...(verified && session.profile.name ? { name: session.profile.name } : {}),
        ...(verified && session.profile.email ? { email: session.profile.email } : {}),
        at: new Date().toISOString(),
      },
      env,
    );
  }

  /** The last login, when it was with the tenant and client now in use. */
  function lastLoginInUse(): LastLogin | null {
    const last = readLastLogin(env);
    if (!last) return null;
    let inUse: { tenant: string; clientId: string };
    try {
      inUse = core.resolveTarget();
    } catch {
      return null;
    }
    return last.tenant === inUse.tenant && last.clientId === inUse.clientId ? last : null;
  }

  /**
   * The kind of a connection the form offers (settings', else the client configuration's:
   * `formConnections`), so a connection only the client's configuration names (`corp-ldap`)
   * signs in as what it is, not as core's guess (`database`). No kind when the form does not
   * offer it (core then decides as for the CLI).
   */
  async function connectionKind(
    name: string,
    signal: AbortSignal,
  ): Promise<{ kind?: ConnectionKind }> {
    const settingsView = {
      connections: loaded.settings.connections,
      connectionsNamed: loaded.connectionsNamed,
    };
    const named = formConnections(settingsView, null).find((c) => c.name === name);
    // The window asked for the configuration before it showed the form; after a relaunch
    // with a fresh copy on disk, this answers from it without going online.
    const client = loaded.connectionsNamed
      ? null
      : (lastClientConfig ?? (await core.clientConfig({ signal }).catch(() => null)));
    const kind = formConnections(settingsView, client).find((c) => c.name === name)?.kind;
    const known = kind ?? named?.kind;
    return known ? { kind: known } : {};
  }

  /** The system clipboard, or the error saying the user must copy by hand. */
  const clipboard = () => {
    if (!options.clipboard) throw new SignInFailure(NO_CLIPBOARD);
    return options.clipboard;
  };

  const target = () =>
    current
      ? { tenant: current.tenant, clientId: current.clientId, username: current.username }
      : {};

  const calls: SignetCalls = {
    async getSettings() {
      return view();
    },
    async saveSettings(patch) {
      // Nothing invalid is written (store.ts validates, CA file included); a save that leaves
      // another broken field as it was is written, and the settings stay in error.
      const next = saveSettings(patch, env);
      let nextCore: SignetCore;
      let nextError: SignInError | null = null;
      try {
        nextCore = build(next);
      } catch (err) {
        nextError = toSignInError(err);
        nextCore = build({ ...next, settings: SettingsSchema.parse({}) });
      }
      pastAttempts.push(...core.attempts());
      const old = core;
      loaded = next;
      core = nextCore;
      configError = nextError;
      // Another tenant or client may have been chosen: the window asks again.
      lastClientConfig = null;
      await old.close();
      return view();
    },
    async signIn(req) {
      const session = await cancellable(async (signal) =>
        core.signIn({
          connection: req.connection,
          ...(await connectionKind(req.connection, signal)),
          username: req.username,
          password: req.password,
          scope: scopeOf(req.scope),
          ...(req.mfaCode ? { mfaCode: req.mfaCode } : {}),
          signal,
        }),
      );
      show(session);
      rememberLastLogin(session);
      return session;
    },
    async cancel() {
      const had = inFlight !== null;
      inFlight?.abort();
      inFlight = null;
      return { cancelled: had };
    },
    async startSms(req) {
      const r = await cancellable((signal) => core.startSms({ phone: req.phone, signal }));
      return { phone: r.phone };
    },
    async signInWithSms(req) {
      const session = await cancellable((signal) =>
        core.signInWithSms({
          phone: req.phone,
          code: req.code,
          scope: scopeOf(req.scope),
          signal,
        }),
      );
      show(session);
      rememberLastLogin(session);
      return session;
    },
    async restore() {
      const session = await cancellable((signal) => core.restore({ signal }));
      show(session);
      return session;
    },
    async refresh() {
      // One renewal at a time in this process too: a scheduled one finishes first.
      await keepFresh.idle();
      const session = await cancellable((signal) => core.refresh({ ...target(), signal }));
      show(session);
      return session;
    },
    async signOut() {
      // No renewal may land after the session is deleted: keep-fresh stops (and settles) first.
      await keepFresh.stop();
      let result;
      try {
        result = await core.signOut(target());
      } catch (err) {
        keepFresh.follow(current);
        throw err;
      }
      show(null);
      return result;
    },
    async accounts() {
      return core.accounts();
    },
    async armReveal() {
      if (options.userGesture && !options.userGesture())
        throw new SignInFailure({
          ...REVEAL_NEEDS_GESTURE,
          detail: { channel: 'armReveal', issues: ['no user input in the window just now'] },
        });
      return { nonce: revealGate.arm() };
    },
    // Main's own call; over IPC, `dispatch` first spends the nonce of `armReveal`.
    async revealTokens() {
      return core.revealTokens(target());
    },
    async attempts() {
      return [...pastAttempts, ...core.attempts()];
    },
    async checkTenant() {
      return cancellable((signal) => core.check({ signal }));
    },
    async exportDiagnostics(req) {
      return diagnosticsReport(req.format ?? 'json', {
        generatedAt: new Date().toISOString(),
        settings: view(),
        branding: await branding(),
        session: current,
        attempts: [...pastAttempts, ...core.attempts()],
      });
    },
    async defaultCountry() {
      return { country: await core.defaultCountry().catch(() => null) };
    },
    async testConnection(req) {
      // Its sign-ins are ephemeral: the session the window shows is left as it is.
      return cancellable((signal) =>
        runConnectionReport(core, {
          connection: req.connection,
          accounts: req.accounts.map((a) => ({
            username: a.username,
            password: a.password,
            ...(a.expect ? { expect: a.expect } : {}),
            ...(a.note ? { note: a.note } : {}),
          })),
          signal,
        }),
      );
    },
    async keepFresh() {
      return keepFresh.state();
    },
    async toolSetup() {
      const { account, commands } = shownTools();
      return {
        account,
        commands,
        cli: await cliStatus({ bundledDirs: options.cliDirs ?? [], env }),
      };
    },
    async copyToolCommand(req) {
      const text = commandText(shownTools().commands, req.tool);
      if (!text) throw new SignInFailure(NO_CLIPBOARD);
      clipboard().writeText(text);
      return { copied: req.tool };
    },
    // Main's own call; over IPC, `dispatch` first spends the nonce of `armReveal`.
    async copyToken(req) {
      if (!current) throw new SignInFailure(notSignedIn(errorText('errors.window.signInToCopy')));
      const board = clipboard();
      const token = (await core.revealTokens(target()))[req.token];
      if (!token)
        throw new SignInFailure({
          code: 'invalid_input',
          ...errorText('errors.window.noToken', { token: req.token }),
          detail: { channel: 'copyToken', issues: [`token: ${req.token} is not held`] },
        });
      board.writeText(token);
      return { copied: req.token };
    },
    // Not `cancellable`: asking for the configuration must not cancel a sign-in in flight.
    async clientConfig(req) {
      // A settings save during the fetch replaces `core`: the old core's answer (another tenant
      // or client) is still returned to its caller but never kept for `connectionKind`.
      const asked = core;
      const view = await asked.clientConfig(req.refresh ? { refresh: true } : {});
      if (core === asked) lastClientConfig = view;
      return view;
    },
    async signUp(req) {
      // Signs nobody in: the window signs in next, with the same password, through `signIn`.
      return cancellable((signal) =>
        core.signUp({
          connection: req.connection,
          email: req.email,
          password: req.password,
          ...(req.username !== undefined ? { username: req.username } : {}),
          signal,
        }),
      );
    },
    async resetPassword(req) {
      return cancellable((signal) =>
        core.changePassword({ connection: req.connection, email: req.email, signal }),
      );
    },
    async lastLogin() {
      return lastLoginInUse();
    },
    async forgetLastLogin() {
      return { forgotten: clearLastLogin(env) };
    },
    // Issue 13: the company's look (answered with the settings in error too: see `run`).
    async branding() {
      return branding();
    },
  };

  /**
   * What a request must pass over IPC beyond its schema, per channel: a reveal or a token copy
   * spends the nonce `armReveal` issued (main/reveal-gate.ts); `calls.revealTokens` and
   * `calls.copyToken` themselves are main's.
   */
  const gates: { [C in Channel]?: (request: Request<C>) => SignInError | null } = {
    revealTokens: (req) => revealGate.consume(req.nonce, 'revealTokens'),
    copyToken: (req) => revealGate.consume(req.nonce, 'copyToken'),
  };

  async function run<C extends Channel>(c: C, request: unknown): Promise<Envelope<Answer<C>>> {
    // Settings in error answer every call with the error, except the two that show and fix it
    // and the branding (then Signet's own look, as with no settings).
    if (configError && c !== 'getSettings' && c !== 'saveSettings' && c !== 'branding')
      return { ok: false, error: configError };
    const parsed = requests[c].safeParse(request ?? {});
    if (!parsed.success)
      return {
        ok: false,
        error: invalidInput(c, parsed.error.issues),
      };
    const refused = gates[c]?.(parsed.data);
    if (refused) return { ok: false, error: refused };
    try {
      return { ok: true, value: await calls[c](parsed.data) };
    } catch (err) {
      return { ok: false, error: toSignInError(err) };
    }
  }

  function dispatch<C extends Channel>(channel: C, request: unknown): Promise<Envelope<Answer<C>>>;
  function dispatch(channel: string, request: unknown): Promise<Envelope<unknown>>;
  async function dispatch(channel: string, request: unknown): Promise<Envelope<unknown>> {
    if (!isChannel(channel))
      return {
        ok: false,
        error: {
          code: 'invalid_input',
          ...errorText('errors.window.badRequest'),
          detail: { channel, issues: ['unknown channel'] },
        },
      };
    return run(channel, request);
  }

  return {
    calls,
    dispatch,
    close: async () => {
      await keepFresh.dispose();
      await core.close();
    },
  };
}
