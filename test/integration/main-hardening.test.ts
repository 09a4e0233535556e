/**
 * The main service (the IPC handlers) against attacks from issue 9: a hostile tenant's text in
 * the diagnostics export, oversized settings over IPC, and token reveal without a fresh
 * user-gesture nonce. Real loopback tenants; the service is the one main registers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignetService } from '../../src/main/service';
import {
  CLIENT_ID as MB_CLIENT,
  HOSTILE_MARKDOWN,
  HOSTILE_TERMINAL,
  startMisbehavingServer,
  type MisbehavingServer,
} from '../fixtures/misbehaving-server';

const DB = 'Username-Password-Authentication';
let bad: MisbehavingServer;
let dir: string;

beforeAll(async () => {
  bad = await startMisbehavingServer();
  dir = mkdtempSync(join(tmpdir(), 'signet-hardening-'));
});
afterAll(async () => {
  await bad?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A service whose settings file holds `settings`; no keychain. */
function serviceWith(name: string, settings: Record<string, unknown>) {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(settings));
  const env = { ...process.env, SIGNET_SETTINGS: file, SIGNET_CONFIG: join(dir, 'none.json') };
  return { file, service: createSignetService({ env, vault: null }) };
}

/** The signIn request of `username` on the misbehaving tenant's database (any password). */
const asUser = (username: string) => ({
  connection: DB,
  username,
  password: 'x',
  scope: 'profile',
});

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;

describe('the diagnostics export of a hostile tenant’s text', () => {
  it('keeps the Markdown’s shape: no control character, no raw HTML, no link, one row per attempt', async () => {
    const { service } = serviceWith('hostile', {
      tenant: bad.tenant('hostile-text'),
      clientId: MB_CLIENT,
      // The user's own label is Markdown too.
      connections: [{ name: DB, kind: 'database', label: HOSTILE_MARKDOWN }],
    });
    try {
      const ok = await service.dispatch('signIn', asUser('ok'));
      expect(ok.ok, JSON.stringify(ok)).toBe(true);
      const refused = await service.dispatch('signIn', asUser('someone'));
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_user_password' } });
      const r = await service.dispatch('exportDiagnostics', { format: 'markdown' });
      expect(r.ok).toBe(true);
      const md = (r as { value: { content: string } }).value.content;
      expect(md).toMatch(/pwned/);
      expect(md).toContain(HOSTILE_TERMINAL.slice(0, 1)); // the text is there…
      expect(md).not.toMatch(CONTROL); // …without a control character
      const lines = md.split('\n');
      const header = lines.findIndex((l) => l.startsWith('| time | endpoint |'));
      const rows = lines.slice(header + 2, lines.indexOf('', header));
      expect(rows).toHaveLength(2); // two attempts, no forged row
      for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(10);
      const session = lines.filter((l) => l.startsWith('- '));
      expect(session).toHaveLength(6); // the session's six lines, none forged
      const prose = md.replace(/^(`{3,})json\n[\s\S]*?\n\1$/gm, ''); // outside the fences
      expect(prose).not.toMatch(/(?<!\\)<img\b/);
      expect(prose).not.toMatch(/(?<!\\)\]\(javascript:/);
    } finally {
      await service.close();
    }
  });
});

describe('settings over IPC have size limits', () => {
  it('a 20 MB scope, a huge tenant or a huge connections list is invalid_input and nothing is written', async () => {
    const before = { tenant: bad.tenant('ok'), clientId: MB_CLIENT };
    const { file, service } = serviceWith('limits', before);
    const text = readFileSync(file, 'utf8');
    const huge = 'a'.repeat(20 * 1024 * 1024);
    try {
      for (const patch of [
        { scope: `openid ${huge}` },
        { tenant: `https://${'a'.repeat(100_000)}.example.com` },
        { clientId: huge },
        {
          connections: Array.from({ length: 10_000 }, (_, i) => ({
            name: `c${i}`,
            kind: 'database',
          })),
        },
        { connections: [{ name: huge, kind: 'ad' }] },
      ]) {
        const r = await service.dispatch('saveSettings', patch);
        expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
        const issues = (r as unknown as { error: { detail: { issues: string[] } } }).error.detail
          .issues;
        expect(issues.join('\n')).toMatch(/must be at most \d+ (characters|entries)/);
        expect(JSON.stringify(r).length).toBeLessThan(10_000); // the value is not echoed
        expect(readFileSync(file, 'utf8')).toBe(text);
      }
      // A real change of the same fields is still saved.
      const ok = await service.dispatch('saveSettings', {
        scope: 'openid profile',
        connections: [{ name: 'corp-ad', kind: 'ad', label: 'Corporate directory' }],
      });
      expect(ok).toMatchObject({ ok: true });
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ scope: 'openid profile' });
    } finally {
      await service.close();
    }
  });
});

describe('revealTokens needs a fresh, single-use nonce from armReveal', () => {
  it('refuses a reveal without a nonce, a reused, a wrong and a stale nonce; a fresh one works', async () => {
    let clock = 1_000_000;
    let gesture = true;
    const file = join(dir, 'reveal.json');
    writeFileSync(file, JSON.stringify({ tenant: bad.tenant('ok'), clientId: MB_CLIENT }));
    const service = createSignetService({
      env: { ...process.env, SIGNET_SETTINGS: file, SIGNET_CONFIG: join(dir, 'none.json') },
      vault: null,
      now: () => clock,
      userGesture: () => gesture,
    });
    const refused = { ok: false, error: { code: 'invalid_input' } };
    const arm = async () => {
      const r = await service.dispatch('armReveal', {});
      expect(r.ok, JSON.stringify(r)).toBe(true);
      return (r as { value: { nonce: string } }).value.nonce;
    };
    try {
      const signIn = await service.dispatch('signIn', asUser('u'));
      expect(signIn.ok, JSON.stringify(signIn)).toBe(true);
      // No nonce.
      expect(await service.dispatch('revealTokens', {})).toMatchObject(refused);
      // A fresh nonce works once…
      const nonce = await arm();
      const shown = await service.dispatch('revealTokens', { nonce });
      expect(shown).toMatchObject({ ok: true, value: { id_token: expect.any(String) } });
      // …and never again.
      expect(await service.dispatch('revealTokens', { nonce })).toMatchObject(refused);
      // A wrong guess spends the pending nonce too.
      const spent = await arm();
      expect(await service.dispatch('revealTokens', { nonce: 'x'.repeat(43) })).toMatchObject(
        refused,
      );
      expect(await service.dispatch('revealTokens', { nonce: spent })).toMatchObject(refused);
      // A nonce kept for later is stale.
      const stale = await arm();
      clock += 6_000;
      expect(await service.dispatch('revealTokens', { nonce: stale })).toMatchObject(refused);
      // Only the latest nonce counts.
      const first = await arm();
      const second = await arm();
      expect(await service.dispatch('revealTokens', { nonce: first })).toMatchObject(refused);
      expect(await service.dispatch('revealTokens', { nonce: second })).toMatchObject(refused);
      // No user input in the window a moment ago: no nonce at all.
      gesture = false;
      expect(await service.dispatch('armReveal', {})).toMatchObject(refused);
      // None of the refusals carries a token.
      const token = (shown as { value: { id_token: string } }).value.id_token;
      expect(JSON.stringify(await service.dispatch('revealTokens', {}))).not.toContain(token);
    } finally {
      await service.close();
    }
  });
});
