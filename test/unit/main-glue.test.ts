import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS, ipcChannel, PRELOAD_ONLY_CHANNELS, type Envelope } from '../../src/shared/ipc';

// The Electron glue, isolated on purpose: no Electron binary can run on these machines, so
// the `electron` module is replaced by a recorder of what main and preload register. What is
// checked is Signet's own logic on top of Electron's API: which channels exist, who may call
// them, and what the window may do.
const h = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, request: unknown) => Promise<unknown>>(),
  exposed: new Map<string, unknown>(),
  invoke: vi.fn<(channel: string, request: unknown) => Promise<unknown>>(),
  openExternal: vi.fn<(url: string) => Promise<void>>(async () => undefined),
  permissionRequest: undefined as undefined | ((...a: unknown[]) => void),
  permissionCheck: undefined as undefined | ((...a: unknown[]) => boolean),
  headers: undefined as undefined | ((d: unknown, cb: (r: unknown) => void) => void),
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (c: string, fn: (e: unknown, r: unknown) => Promise<unknown>) => h.handlers.set(c, fn),
  },
  ipcRenderer: { invoke: h.invoke, on: vi.fn(), removeListener: vi.fn() },
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => h.exposed.set(key, api) },
  shell: { openExternal: h.openExternal },
  app: { on: vi.fn() },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn: (...a: unknown[]) => void) => (h.permissionRequest = fn),
      setPermissionCheckHandler: (fn: (...a: unknown[]) => boolean) => (h.permissionCheck = fn),
      webRequest: { onHeadersReceived: (fn: typeof h.headers) => (h.headers = fn) },
    },
  },
}));

const APP = 'file:///opt/Signet/resources/app.asar/out/renderer/index.html';
const isAppUrl = (u: string) => u === APP;

describe('IPC registration (main/ipc.ts)', () => {
  const dispatch = vi.fn(async (c: string, r: unknown) => ({ ok: true, value: { c, r } }));
  const mainFrame = { url: APP };
  const webContents = { mainFrame };
  const window = { webContents } as never;

  beforeEach(async () => {
    h.handlers.clear();
    dispatch.mockClear();
    const { registerIpc } = await import('../../src/main/ipc');
    registerIpc({ dispatch } as never, () => window, isAppUrl);
  });

  it('registers exactly the channels of the contract, each under its signet: name', () => {
    expect([...h.handlers.keys()].sort()).toEqual(CHANNELS.map(ipcChannel).sort());
  });

  it('serves the app page in the app window', async () => {
    const call = h.handlers.get(ipcChannel('signIn'))!;
    const r = await call({ sender: webContents, senderFrame: mainFrame }, { x: 1 });
    expect(r).toEqual({ ok: true, value: { c: 'signIn', r: { x: 1 } } });
  });

  it('refuses another web contents, a subframe, and a page that navigated away', async () => {
    const call = h.handlers.get(ipcChannel('revealTokens'))!;
    const refused = [
      { sender: { mainFrame: { url: APP } }, senderFrame: { url: APP } },
      { sender: webContents, senderFrame: { url: APP } },
      { sender: webContents, senderFrame: null },
    ];
    for (const event of refused)
      expect(await call(event, {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    mainFrame.url = 'https://evil.example/';
    expect(await call({ sender: webContents, senderFrame: mainFrame }, {})).toMatchObject({
      ok: false,
    });
    mainFrame.url = APP;
    expect(dispatch).not.toHaveBeenCalled();
  });
});

describe('events from main (main/ipc.ts emit, preload/ipc.ts on)', () => {
  it('main sends an event on its wire channel, only to a window still open', async () => {
    const { emit } = await import('../../src/main/ipc');
    const send = vi.fn();
    let destroyed = false;
    const w = { isDestroyed: () => destroyed, webContents: { send } } as never;
    const session = { username: 'ada' } as never;
    emit(w, 'sessionChanged', session);
    emit(w, 'sessionChanged', null);
    destroyed = true;
    emit(w, 'sessionChanged', null);
    emit(null, 'sessionChanged', null);
    expect(send.mock.calls).toEqual([
      ['signet:event:session-changed', session],
      ['signet:event:session-changed', null],
    ]);
  });

  it('the page’s onSessionChanged hears that channel, gets the payload alone, and can stop', async () => {
    await import('../../src/preload/index');
    const { ipcRenderer } = await import('electron');
    const api = h.exposed.get('signet') as {
      onSessionChanged(l: (s: unknown) => void): () => void;
    };
    const heard: unknown[] = [];
    const off = api.onSessionChanged((s) => heard.push(s));
    const [[channel, wrapped]] = vi.mocked(ipcRenderer.on).mock.calls as unknown as [
      [string, (e: unknown, s: unknown) => void],
    ];
    expect(channel).toBe('signet:event:session-changed');
    wrapped({ sender: 'ipc event' }, { username: 'ada' });
    expect(heard).toEqual([{ username: 'ada' }]);
    off();
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith(channel, wrapped);
  });
});

describe('window security (main/security.ts)', () => {
  type Listener = (event: { preventDefault(): void }, url?: string) => void;
  function contents() {
    const listeners = new Map<string, Listener>();
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    return {
      on: (name: string, fn: Listener) => listeners.set(name, fn),
      setWindowOpenHandler: (fn: typeof openHandler) => (openHandler = fn),
      fire(name: string, url?: string) {
        const event = {
          prevented: false,
          preventDefault() {
            this.prevented = true;
          },
        };
        listeners.get(name)!(event, url);
        return event.prevented;
      },
      open: (url: string) => openHandler!({ url }),
    };
  }

  it('keeps the page in the app: navigation away, redirects and webviews are refused', async () => {
    const { hardenWebContents } = await import('../../src/main/security');
    const c = contents();
    hardenWebContents(c as never, isAppUrl);
    expect(c.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(c.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(c.fire('will-navigate', APP)).toBe(false);
    expect(c.fire('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(c.fire('will-attach-webview')).toBe(true);
  });

  it('opens no window: https links go to the system browser, anything else nowhere', async () => {
    const { hardenWebContents } = await import('../../src/main/security');
    const c = contents();
    hardenWebContents(c as never, isAppUrl);
    h.openExternal.mockClear();
    for (const url of [
      'https://auth0.com/docs',
      'http://example.com/',
      'javascript:alert(1)',
      'file:///etc/passwd',
    ])
      expect(c.open(url)).toEqual({ action: 'deny' });
    expect(h.openExternal.mock.calls).toEqual([['https://auth0.com/docs']]);
  });

  it('refuses every permission, the clipboard write of the app page included, and adds the CSP to every response', async () => {
    const { hardenSession, CONTENT_SECURITY_POLICY } = await import('../../src/main/security');
    hardenSession();
    const granted = vi.fn();
    const page = { requestingUrl: APP };
    const permissions = [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      // The Copy buttons go through main (copyToken, copyToolCommand): the page writes nothing.
      'clipboard-sanitized-write',
      'openExternal',
    ];
    for (const p of permissions) h.permissionRequest!({}, p, granted, page);
    expect(granted.mock.calls.every(([ok]) => ok === false)).toBe(true);
    expect(granted).toHaveBeenCalledTimes(permissions.length);
    expect(h.permissionCheck!({}, 'media', APP, page)).toBe(false);
    expect(h.permissionCheck!({}, 'clipboard-sanitized-write', APP, page)).toBe(false);
    const done = vi.fn();
    h.headers!({ responseHeaders: { 'X-Other': ['1'] } }, done);
    expect(done).toHaveBeenCalledWith({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'self'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
  });
});

describe('the bridge (preload/index.ts)', () => {
  it('exposes one function per channel plus the two events, nothing raw', async () => {
    await import('../../src/preload/index');
    const api = h.exposed.get('signet') as Record<string, unknown>;
    expect(Object.isFrozen(api)).toBe(true);
    // Every channel but armReveal: the page can ask for the tokens, never arm the reveal.
    expect(PRELOAD_ONLY_CHANNELS).toEqual(['armReveal']);
    expect(Object.keys(api).sort()).toEqual(
      [
        ...CHANNELS.filter((c) => c !== 'armReveal'),
        'onSessionChanged',
        'onKeepFreshChanged',
      ].sort(),
    );
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
  });

  it('unwraps answers and throws the SignInError itself, fields intact', async () => {
    await import('../../src/preload/index');
    const api = h.exposed.get('signet') as Record<string, (r?: unknown) => Promise<unknown>>;
    h.invoke.mockResolvedValueOnce({
      ok: true,
      value: { country: 'GB' },
    } satisfies Envelope<unknown>);
    expect(await api.defaultCountry!()).toEqual({ country: 'GB' });
    expect(h.invoke).toHaveBeenLastCalledWith('signet:defaultCountry', {});
    const error = { code: 'invalid_user_password', message: 'Wrong.', status: 401 };
    h.invoke.mockResolvedValueOnce({ ok: false, error });
    await expect(api.signIn!({})).rejects.toEqual(error);
  });
});

describe('the token reveal needs the user (preload/index.ts, main/ipc.ts)', () => {
  const setActivation = (isActive: boolean) =>
    vi.stubGlobal('navigator', { userActivation: { isActive } });

  it('preload refuses revealTokens and copyToken without a user activation, and calls nothing', async () => {
    await import('../../src/preload/index');
    const api = h.exposed.get('signet') as Record<string, (r?: unknown) => Promise<unknown>>;
    h.invoke.mockClear();
    setActivation(false);
    try {
      await expect(api.revealTokens!({})).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(api.copyToken!({ token: 'id_token' })).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringContaining('Copy'),
      });
      expect(h.invoke).not.toHaveBeenCalled();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('with a user activation preload arms, then reveals with that nonce', async () => {
    await import('../../src/preload/index');
    const api = h.exposed.get('signet') as Record<string, (r?: unknown) => Promise<unknown>>;
    h.invoke.mockClear();
    h.invoke
      .mockResolvedValueOnce({ ok: true, value: { nonce: 'n0nce' } })
      .mockResolvedValueOnce({ ok: true, value: { access_token: 'a', token_type: 'Bearer' } });
    setActivation(true);
    try {
      expect(await api.revealTokens!({})).toEqual({ access_token: 'a', token_type: 'Bearer' });
      expect(h.invoke.mock.calls).toEqual([
        ['signet:armReveal', {}],
        ['signet:revealTokens', { nonce: 'n0nce' }],
      ]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('with a user activation preload arms, then copies the named token with that nonce (the page cannot pass its own)', async () => {
    await import('../../src/preload/index');
    const api = h.exposed.get('signet') as Record<string, (r?: unknown) => Promise<unknown>>;
    h.invoke.mockClear();
    h.invoke
      .mockResolvedValueOnce({ ok: true, value: { nonce: 'n0nce' } })
      .mockResolvedValueOnce({ ok: true, value: { copied: 'access_token' } });
    setActivation(true);
    try {
      expect(await api.copyToken!({ token: 'access_token', nonce: 'forged' })).toEqual({
        copied: 'access_token',
      });
      expect(h.invoke.mock.calls).toEqual([
        ['signet:armReveal', {}],
        ['signet:copyToken', { token: 'access_token', nonce: 'n0nce' }],
      ]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('main counts a click or a key press in the window as user input, for 2 s; a hover does not', async () => {
    const { userInputTracker, USER_INPUT_WINDOW_MS } = await import('../../src/main/ipc');
    let now = 5_000;
    let listener: ((e: unknown, input: { type: string }) => void) | undefined;
    const contents = {
      on: (name: string, fn: typeof listener) => {
        if (name === 'input-event') listener = fn;
      },
    };
    const input = userInputTracker(() => now);
    input.watch(contents as never);
    expect(input.recent()).toBe(false);
    listener!({}, { type: 'mouseMove' });
    expect(input.recent()).toBe(false);
    listener!({}, { type: 'mouseUp' });
    expect(input.recent()).toBe(true);
    now += USER_INPUT_WINDOW_MS + 1;
    expect(input.recent()).toBe(false);
    listener!({}, { type: 'keyDown' });
    expect(input.recent()).toBe(true);
  });
});
