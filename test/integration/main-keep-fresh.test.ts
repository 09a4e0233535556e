/**
 * Keep-fresh (src/main/keep-fresh.ts) as main runs it: the real service and SignetCore, the
 * real keychain, a real local tenant whose id_tokens live a few seconds, so renewals happen
 * while the test watches. What a user notices: a tool (a second core, as `signet token` is)
 * finds a renewed, valid token in the keychain without refreshing itself; a revoked session
 * stops being renewed and says why; sign-out ends the renewals; an outage is retried and
 * recovers. Run with `node scripts/test.mjs test/integration/main-keep-fresh.test.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SignetCore } from '../../src/core/index';
import type { KeepFreshTiming } from '../../src/main/keep-fresh';
import { createSignetService, type SignetService } from '../../src/main/service';
import type { KeepFreshState } from '../../src/shared/ipc';
import type { SessionResult } from '../../src/shared/session';
import * as demo from '../fixtures/demo';
import { ROTATING_CLIENT } from '../fixtures/demo';
import { keyringMissing } from '../fixtures/keyring';
import { settingsEnv, writeJson } from '../fixtures/settings-files';
import { postTo, startTestTenant, type TestTenant } from '../fixtures/tenant';

const skip = await keyringMissing();

/** id_tokens of the test tenant live this long: keep-fresh renews at about half of it. */
const LIFETIME_S = 4;
/** Retries of the outage test start at this (the default is 15 s). */
const RETRY_MS = 1_500;

const ADA = {
  connection: 'Username-Password-Authentication',
  username: 'ada@signet.test',
  password: demo.ADA.password,
};
const REMEMBER = { ...ADA, scope: 'remember' } as const; // offline_access: a refresh token
const NO_REFRESH = { ...ADA, scope: 'profile' } as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A service on the real keychain, recording the states and sessions it pushes. */
function watchedService(
  tenant: TestTenant,
  dir: string,
  timing: Partial<KeepFreshTiming> = {},
  settingsFields: Record<string, unknown> = {},
) {
  const settings = writeJson(dir, `settings-${Math.random()}.json`, {
    tenant: tenant.url,
    clientId: tenant.clientId,
    ...settingsFields,
  });
  const states: KeepFreshState[] = [];
  const sessions: (SessionResult | null)[] = [];
  const service = createSignetService({
    env: settingsEnv(settings, join(dir, 'none.json')),
    onKeepFreshChanged: (s) => states.push(s),
    onSessionChanged: (s) => sessions.push(s),
    keepFreshTiming: timing,
  });
  /** Resolves with the first state (from now on) that `ok` accepts; fails after `ms`. */
  const until = async (ok: (s: KeepFreshState) => boolean, ms = 15_000) => {
    const from = states.length;
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const hit = states.slice(from).find(ok);
      if (hit) return hit;
      await sleep(50);
    }
    throw new Error(
      `no such keep-fresh state within ${ms} ms; last: ${JSON.stringify(states.at(-1))}`,
    );
  };
  /** Requests to /delegation (the legacy refresh) this service's core sent. */
  const refreshes = async () =>
    (await service.calls.attempts({})).filter((a) => a.endpoint === '/delegation');
  return { service, states, sessions, until, refreshes };
}

describe.skipIf(skip)('keep-fresh: main renews the shown offline session before it expires', () => {
  let tenant: TestTenant;
  let dir: string;
  const open: SignetService[] = [];

  beforeAll(async () => {
    tenant = await startTestTenant({ idTokenLifetime: LIFETIME_S });
    dir = mkdtempSync(join(tmpdir(), 'signet-keep-fresh-'));
  });
  afterEach(async () => {
    for (const s of open.splice(0)) {
      await s.calls.signOut({}).catch(() => undefined);
      await s.close();
    }
  });
  afterAll(async () => {
    await tenant?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renews before expiry, and a tool then finds the renewed token in the keychain without refreshing', async () => {
    const w = watchedService(tenant, dir);
    open.push(w.service);
    const first = await w.service.calls.signIn(REMEMBER);
    expect(first.refreshable).toBe(true);
    const before = await w.service.calls.revealTokens({});
    const planned = await w.service.calls.keepFresh({});
    expect(planned).toMatchObject({ status: 'scheduled', lastRefreshedAt: null, lastError: null });
    // Planned ahead of the expiry, not at it.
    expect(Date.parse(planned.nextRefreshAt!)).toBeLessThan(Date.parse(first.expiresAt!));

    const renewed = await w.until((s) => s.lastRefreshedAt !== null);
    expect(renewed).toMatchObject({ status: 'scheduled', lastError: null, failures: 0 });
    // The next renewal is planned for the new token, before it expires.
    expect(Date.parse(renewed.nextRefreshAt!)).toBeGreaterThan(Date.parse(planned.nextRefreshAt!));
    // The app quits here (its keep-fresh stops), so what follows sees one settled keychain.
    open.splice(open.indexOf(w.service), 1);
    await w.service.close();
    // The window was handed each renewed session: new tokens, a later expiry.
    const shown = w.sessions.at(-1)!;
    expect(shown.obtainedAt).not.toBe(first.obtainedAt);
    expect(Date.parse(shown.expiresAt!)).toBeGreaterThan(Date.parse(first.expiresAt!));
    expect(shown.verification.status).toBe('verified');
    // One request to the tenant per renewal, no more.
    const renewals = new Set(w.states.map((s) => s.lastRefreshedAt).filter(Boolean));
    expect(renewals.size).toBeGreaterThanOrEqual(1);
    expect(await w.refreshes()).toHaveLength(renewals.size);
    // …and the tenant saw exactly those.
    expect((await tenant.stats()).requests['POST /delegation']).toBe(renewals.size);

    // Another process (here a second core on the same keychain, as `signet token` is) finds
    // the renewed token there, valid, without a request of its own.
    const tool = new SignetCore({ settings: { tenant: tenant.url, clientId: tenant.clientId } });
    try {
      const t = await tool.token({ username: ADA.username, minValid: 1 });
      expect(t.token).not.toBe(before.id_token);
      expect(t.expiresAt).toBe(shown.expiresAt);
      expect(tool.attempts()).toEqual([]);
    } finally {
      await tool.signOut({ username: ADA.username }).catch(() => undefined);
      await tool.close();
    }
  });

  it('renews a rotating session again and again without breaking its refresh-token family', async () => {
    const w = watchedService(tenant, dir, {}, { clientId: ROTATING_CLIENT, protocol: 'modern' });
    open.push(w.service);
    const count = async () => (await tenant.stats()).grants['/oauth/token']?.refresh_token ?? 0;
    const before = await count();
    await w.service.calls.signIn(REMEMBER);
    const first = await w.service.calls.revealTokens({});
    // Two renewals in a row, each presenting the token the one before received.
    await w.until((s) => s.lastRefreshedAt !== null);
    await w.until((s) => s.lastRefreshedAt !== null && s.status === 'scheduled');
    const seen = new Set(w.states.map((s) => s.lastRefreshedAt).filter(Boolean));
    expect(seen.size).toBeGreaterThanOrEqual(2);
    open.splice(open.indexOf(w.service), 1);
    await w.service.close();
    expect((await count()) - before).toBe(seen.size);
    expect(w.states.every((s) => s.lastError === null)).toBe(true);

    // The family is intact: the refresh token in the keychain is the newest and still works
    // (a reused retired one would have revoked the session).
    const tool = new SignetCore({
      settings: { tenant: tenant.url, clientId: ROTATING_CLIENT, protocol: 'modern' },
    });
    try {
      const now = await tool.revealTokens({ username: ADA.username });
      expect(now.refresh_token).not.toBe(first.refresh_token);
      const forced = await tool.refresh({ username: ADA.username });
      expect(forced.refreshable).toBe(true);
      expect((await count()) - before).toBe(seen.size + 1);
    } finally {
      await tool.signOut({ username: ADA.username }).catch(() => undefined);
      await tool.close();
    }
  });

  it('does not renew a session without a refresh token: it expires as before', async () => {
    const w = watchedService(tenant, dir);
    open.push(w.service);
    const s = await w.service.calls.signIn(NO_REFRESH);
    expect(s.refreshable).toBe(false);
    expect(await w.service.calls.keepFresh({})).toMatchObject({
      status: 'off',
      nextRefreshAt: null,
    });
    await sleep(LIFETIME_S * 1000);
    expect(await w.refreshes()).toEqual([]);
    expect(w.sessions).toHaveLength(1);
  });

  it('stops when the tenant refuses the renewal, and shows why', async () => {
    const w = watchedService(tenant, dir);
    open.push(w.service);
    await w.service.calls.signIn(REMEMBER);
    const { refresh_token } = await w.service.calls.revealTokens({});
    // Revoked elsewhere (signed out on another device, or by IT).
    const revoked = await postTo(tenant.url, '/oauth/revoke', {
      client_id: tenant.clientId,
      token: refresh_token,
    });
    expect(revoked.status).toBe(200);

    const stopped = await w.until((s) => s.status === 'stopped');
    expect(stopped.nextRefreshAt).toBeNull();
    expect(stopped.failures).toBe(1);
    expect(stopped.lastError?.code).toMatch(/invalid_grant|unauthorized|not_signed_in/);
    expect(stopped.lastError?.message).toBeTruthy();
    expect(await w.service.calls.keepFresh({})).toEqual(stopped);
    // Nothing more is tried: one refused request, however long we wait.
    await sleep(LIFETIME_S * 1000);
    expect(await w.refreshes()).toHaveLength(1);
    expect(w.states.at(-1)).toEqual(stopped);
  });

  it('sign-out cancels the planned renewal', async () => {
    const w = watchedService(tenant, dir);
    open.push(w.service);
    await w.service.calls.signIn(REMEMBER);
    expect((await w.service.calls.keepFresh({})).status).toBe('scheduled');
    await w.service.calls.signOut({});
    expect(await w.service.calls.keepFresh({})).toMatchObject({
      status: 'off',
      nextRefreshAt: null,
    });
    await sleep(LIFETIME_S * 1000);
    expect(await w.refreshes()).toEqual([]);
    expect(w.sessions.at(-1)).toBeNull();
  });
});

describe.skipIf(skip)('keep-fresh through an outage', () => {
  it('retries with a growing backoff while the tenant is down, and recovers when it is back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signet-keep-fresh-tenant-'));
    const dir = mkdtempSync(join(tmpdir(), 'signet-keep-fresh-'));
    let tenant = await startTestTenant({ idTokenLifetime: LIFETIME_S, dataDir });
    const port = Number(new URL(tenant.url).port);
    const w = watchedService(tenant, dir, { retryFirstMs: RETRY_MS });
    try {
      await w.service.calls.signIn(REMEMBER);
      await tenant.close(); // the tenant goes away (VPN down, laptop offline)

      const first = await w.until((s) => s.status === 'retrying' && s.failures === 1);
      expect(first.lastError?.code).toBe('network_unreachable');
      expect(
        Date.parse(first.nextRefreshAt!) - Date.parse(first.lastErrorAt!),
      ).toBeGreaterThanOrEqual(RETRY_MS);
      const second = await w.until((s) => s.status === 'retrying' && s.failures === 2);
      // Not a tight loop: each wait is twice the one before.
      expect(
        Date.parse(second.nextRefreshAt!) - Date.parse(second.lastErrorAt!),
      ).toBeGreaterThanOrEqual(2 * RETRY_MS);

      // The same tenant (its keys and sessions) comes back on the same address.
      tenant = await startTestTenant({
        idTokenLifetime: LIFETIME_S,
        dataDir,
        configure: (c) => ({ ...c, port }),
      });
      const back = await w.until((s) => s.lastRefreshedAt !== null, 20_000);
      expect(back).toMatchObject({ status: 'scheduled', lastError: null, failures: 0 });
      expect(w.sessions.at(-1)?.verification.status).toBe('verified');
    } finally {
      await w.service.calls.signOut({}).catch(() => undefined);
      await w.service.close();
      await tenant.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
