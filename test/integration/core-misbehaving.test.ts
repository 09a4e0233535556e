/**
 * Core against a tenant that misbehaves on purpose (test/fixtures/misbehaving-server.ts):
 * every failure becomes the right SignInError, and nothing is ever stored.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignetCore, SignInFailure, Vault, type KeychainBackend } from '../../src/core/index.js';
import type { SignInError } from '../../src/shared/errors.js';
import {
  CLIENT_ID,
  startMisbehavingServer,
  type MisbehavingServer,
  type Scenario,
} from '../fixtures/misbehaving-server.js';

/** Records every keychain call: proves "stores nothing" without touching a real keychain. */
class RecordingKeychain implements KeychainBackend {
  writes: string[] = [];
  private readonly map = new Map<string, string>();
  async getPassword(_s: string, a: string) {
    return this.map.get(a) ?? null;
  }
  async setPassword(_s: string, a: string, p: string) {
    this.writes.push(a);
    this.map.set(a, p);
  }
  async deletePassword(_s: string, a: string) {
    return this.map.delete(a);
  }
  async findCredentials() {
    return [...this.map].map(([account, password]) => ({ account, password }));
  }
}

let server: MisbehavingServer;
let keychain: RecordingKeychain;
let core: SignetCore;
/** Another loopback origin, named as `jwks_uri` by the `foreign-jwks` discovery; counts hits. */
let elsewhere: Server;
let elsewhereHits = 0;

beforeAll(async () => {
  elsewhere = createServer((req, res) => {
    elsewhereHits++;
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
  });
  await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
  const port = (elsewhere.address() as AddressInfo).port;
  server = await startMisbehavingServer({
    foreignJwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json`,
  });
});
afterAll(async () => {
  await server.close();
  await new Promise((r) => elsewhere.close(r));
});
beforeEach(async () => {
  await core?.close();
  keychain = new RecordingKeychain();
  core = new SignetCore({
    settings: {
      timeouts: { connectMs: 2000, headersMs: 600, bodyMs: 600 },
      scope: 'openid profile',
    },
    vault: new Vault('signet-test', keychain),
  });
});

const PASSWORD = 'Sup3r-Secret-Pw!';

async function signIn(s: Scenario, kind: 'database' | 'ad' | 'sms' = 'database') {
  return core.signIn({
    tenant: server.tenant(s),
    clientId: CLIENT_ID,
    connection: kind === 'ad' ? 'corp-ad' : 'Username-Password-Authentication',
    kind,
    username: 'user@signet.test',
    password: PASSWORD,
  });
}

async function failure(
  s: Scenario,
  kind: 'database' | 'ad' | 'sms' = 'database',
): Promise<SignInError> {
  try {
    await signIn(s, kind);
  } catch (err) {
    expect(err).toBeInstanceOf(SignInFailure);
    // Nothing stored, ever, and nothing kept in memory.
    expect(keychain.writes).toEqual([]);
    expect(await core.accounts()).toEqual([]);
    // No password or token reaches the attempts log.
    expect(JSON.stringify(core.attempts())).not.toContain(PASSWORD);
    return (err as SignInFailure).error;
  }
  throw new Error(`scenario ${s} signed in`);
}

describe('a well-behaved answer (control)', () => {
  it('signs in, verifies RS256 against the JWKS and stores the session', async () => {
    const r = await signIn('ok');
    expect(r.verification).toEqual({ status: 'verified', alg: 'RS256', kid: 'k1', reason: null });
    expect(r.stored).toBe('keychain');
    expect(keychain.writes.length).toBeGreaterThan(0);
    expect(r.profile).toMatchObject({
      name: 'Test User',
      email: 'test@signet.test',
      groups: ['a', 'b'],
    });
  });
});

describe('broken transport and bodies', () => {
  it('an HTML 502 from a proxy is bad_response with the first bytes of the page', async () => {
    const e = await failure('html-502');
    expect(e).toMatchObject({ code: 'bad_response', status: 502 });
    expect(e.message).toMatch(/proxy or firewall/);
    expect(String(e.detail?.firstBytes)).toContain('502 Bad Gateway');
  });

  it('truncated JSON is bad_response (not_json) with the first bytes', async () => {
    const e = await failure('truncated-json');
    expect(e).toMatchObject({ code: 'bad_response', status: 200, detail: { problem: 'not_json' } });
    expect(String(e.detail?.firstBytes)).toContain('"access_token"');
  });

  it('a body cut off mid-way is bad_response (truncated)', async () => {
    const e = await failure('cut-body');
    expect(e).toMatchObject({ code: 'bad_response', detail: { problem: 'truncated' } });
  });

  it('a 10 MiB streamed body is refused at the 1 MiB cap', async () => {
    const e = await failure('huge-body');
    expect(e).toMatchObject({
      code: 'bad_response',
      detail: { problem: 'too_large', limit: 1024 * 1024 },
    });
  });

  it('a declared 10 MiB body is refused before reading it', async () => {
    const e = await failure('huge-declared');
    expect(e).toMatchObject({
      code: 'bad_response',
      detail: { problem: 'too_large', bytes: 10 * 1024 * 1024 },
    });
  });

  it('headers that never come time out (headers phase) and the POST is sent once', async () => {
    const t = performance.now();
    const e = await failure('hang-headers');
    expect(e).toMatchObject({ code: 'timeout', detail: { phase: 'headers' } });
    expect(performance.now() - t).toBeLessThan(5000);
    expect(server.posts('hang-headers')).toBe(1);
  });

  it('a reset connection is network_unreachable and the credential POST is not re-sent', async () => {
    const e = await failure('reset');
    expect(e.code).toBe('network_unreachable');
    expect(server.posts('reset')).toBe(1);
  });

  it('a refused connection is network_unreachable', async () => {
    const e = await core
      .signIn({
        tenant: 'http://127.0.0.1:9/',
        clientId: CLIENT_ID,
        connection: 'x',
        username: 'u',
        password: 'p',
      })
      .then(
        () => undefined,
        (err: SignInFailure) => err.error,
      );
    expect(e).toMatchObject({ code: 'network_unreachable', detail: { errno: 'ECONNREFUSED' } });
  });

  it('JSON with the wrong content type is bad_response (wrong_content_type)', async () => {
    const e = await failure('wrong-content-type');
    expect(e).toMatchObject({
      code: 'bad_response',
      detail: { problem: 'wrong_content_type', contentType: 'text/plain' },
    });
  });

  it('a 200 without an access_token is bad_response naming the missing field', async () => {
    const e = await failure('missing-fields');
    expect(e.code).toBe('bad_response');
    expect(JSON.stringify(e.detail?.fields)).toContain('access_token');
  });

  it('a redirect is bad_response (redirect) with its location', async () => {
    const e = await failure('redirect');
    expect(e).toMatchObject({
      code: 'bad_response',
      status: 302,
      detail: { problem: 'redirect', location: 'https://login.example.com/' },
    });
  });

  it('a 500 with a JSON error is server_error keeping the description', async () => {
    const e = await failure('json-500');
    expect(e).toMatchObject({ code: 'server_error', status: 500, description: 'boom' });
  });

  it('an empty 503 is server_error', async () => {
    const e = await failure('empty-503');
    expect(e).toMatchObject({ code: 'server_error', status: 503 });
  });

  it('cancelling through an AbortSignal gives cancelled', async () => {
    const ac = new AbortController();
    const p = core.signIn({
      tenant: server.tenant('hang-headers'),
      clientId: CLIENT_ID,
      connection: 'db',
      username: 'u',
      password: 'p',
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ error: { code: 'cancelled' } });
  });
});

describe('rate limits', () => {
  it('429 too_many_requests is rate_limited with Retry-After in detail', async () => {
    const e = await failure('rate-limited');
    expect(e).toMatchObject({
      code: 'rate_limited',
      status: 429,
      detail: { retryAfterSeconds: 30, error: 'too_many_requests' },
    });
    expect(e.message).toMatch(/30 s/);
  });

  it('429 too_many_attempts keeps its code and tells the user to check their email', async () => {
    const e = await failure('too-many-attempts');
    expect(e).toMatchObject({ code: 'too_many_attempts', status: 429 });
    expect(e.message).toMatch(/email/);
  });

  it('an AD lockout (ldap_status 775) says the directory account is locked and keeps the sub-code', async () => {
    const e = await failure('ad-locked', 'ad');
    expect(e).toMatchObject({
      code: 'too_many_attempts',
      detail: { ldapStatus: '775', ldapMeaning: 'account locked' },
    });
    expect(e.message).toMatch(/directory account is locked/);
  });

  it('an expired AD password (532) asks to change it and keeps the sub-code', async () => {
    const e = await failure('ad-password-expired', 'ad');
    expect(e).toMatchObject({
      code: 'password_change_required',
      status: 401,
      detail: { ldapStatus: '532', ldapMeaning: 'password expired' },
    });
    expect(e.message).toMatch(/directory password/);
  });
});

describe('tokens that must not be trusted', () => {
  const tokenFailure = async (s: Scenario, reason: RegExp) => {
    const e = await failure(s);
    expect(e.code).toBe('token_invalid');
    const v = e.detail?.verification as { status: string; reason: string };
    expect(v.status).toBe('failed');
    expect(v.reason).toMatch(reason);
    return e;
  };

  it('a token signed by an unknown key (same kid) fails on its signature', async () => {
    await tokenFailure('unknown-key', /signature/);
  });

  it('a token with a kid the tenant does not publish fails', async () => {
    await tokenFailure('unknown-kid', /key the tenant does not publish/);
  });

  it('alg none is refused', async () => {
    await tokenFailure('alg-none', /not signed/);
  });

  it('an expired token fails', async () => {
    await tokenFailure('expired', /expired/);
  });

  it('a token from another issuer fails', async () => {
    await tokenFailure('wrong-iss', /evil\.example\.com/);
  });

  it('a token for another audience fails', async () => {
    await tokenFailure('wrong-aud', /someone-else/);
  });

  it('an expired HS256 token fails on its claims', async () => {
    await tokenFailure('hs256-expired', /expired/);
  });

  it('an id_token issued in the future (beyond the 60 s tolerance) fails, RS256 and HS256 alike', async () => {
    const rs = await tokenFailure('future-iat', /issued in the future/);
    const hs = await tokenFailure('hs256-future-iat', /issued in the future/);
    const reason = (e: SignInError) => (e.detail?.verification as { reason: string }).reason;
    expect(reason(rs)).toBe(reason(hs));
  });

  it('a validly signed 700 KB id_token is bad_response before it is verified or stored', async () => {
    const e = await failure('huge-token');
    expect(e.code).toBe('bad_response');
    expect(e.message).toMatch(/id_token/);
    expect(e.message).toMatch(/16 KB/);
    expect(e.detail).toMatchObject({ problem: 'token_too_large', limit: 16 * 1024 });
    // The refusal holds no part of the token.
    expect(JSON.stringify(e)).not.toContain(server.sentTokens('huge-token')[2]!.slice(0, 40));
  });

  it('HS256 is reported unverifiable (never verified) and the session is kept', async () => {
    const r = await signIn('hs256');
    expect(r.verification.status).toBe('unverifiable');
    expect(r.verification.alg).toBe('HS256');
    expect(r.verification.reason).toMatch(/client secret/);
  });

  it('a rotated kid is verified after the tenant publishes the new key', async () => {
    const first = await signIn('rotated');
    expect(first.verification.kid).toBe('k1');
    server.rotate();
    const second = await signIn('rotated');
    expect(second.verification).toMatchObject({ status: 'verified', kid: 'k2' });
  });
});

describe('only the tenant’s own origin is fetched', () => {
  it('check reports a jwks_uri on another origin and never fetches it', async () => {
    const report = await core.check({ tenant: server.tenant('foreign-jwks') });
    const step = report.steps.find((s) => s.name === 'jwks');
    expect(step).toMatchObject({ ok: false, skipped: true });
    expect(step?.summary).toMatch(/another origin/);
    expect(step?.summary).toContain(`127.0.0.1:${(elsewhere.address() as AddressInfo).port}`);
    expect(report.ok).toBe(false);
    expect(elsewhereHits).toBe(0);
  });

  it('the sign-in verifies with the tenant’s own JWKS whatever the discovery names', async () => {
    const before = elsewhereHits;
    const r = await signIn('foreign-jwks');
    expect(r.verification).toMatchObject({ status: 'verified', kid: 'k1' });
    expect(elsewhereHits).toBe(before);
  });
});

describe('no token of a 2xx answer reaches an error', () => {
  /**
   * Fails when any 12-character run of a token the server sent appears in `text`: the whole
   * token, or any piece of it long enough to matter.
   */
  const expectNoTokenIn = (text: string, tokens: string[]) => {
    expect(tokens.length).toBe(3);
    for (const token of tokens)
      for (let i = 0; i + 12 <= token.length; i++)
        if (text.includes(token.slice(i, i + 12)))
          throw new Error(`a piece of a token leaked: …${token.slice(i, i + 12)}… in ${text}`);
  };

  it('a 200 text/plain token answer is bad_response whose detail holds no token', async () => {
    const e = await failure('plain-tokens');
    expect(e).toMatchObject({
      code: 'bad_response',
      status: 200,
      detail: { problem: 'wrong_content_type', contentType: 'text/plain' },
    });
    expectNoTokenIn(JSON.stringify(e), server.sentTokens('plain-tokens'));
    expectNoTokenIn(JSON.stringify(core.attempts()), server.sentTokens('plain-tokens'));
    // IT still sees which fields came back (names and lengths only).
    expect(JSON.stringify(e.detail)).toContain('access_token');
  });

  it('a truncated 200 token answer is bad_response (not_json) with a masked excerpt', async () => {
    const e = await failure('truncated-tokens');
    expect(e).toMatchObject({ code: 'bad_response', status: 200, detail: { problem: 'not_json' } });
    expectNoTokenIn(JSON.stringify(e), server.sentTokens('truncated-tokens'));
    expect(String(e.detail?.firstBytes)).toMatch(/"access_token":"\[redacted: \d+ chars\]"/);
  });

  it('a 200 token answer cut off mid-way is bad_response (truncated) holding no token', async () => {
    const e = await failure('cut-tokens');
    expect(e).toMatchObject({
      code: 'bad_response',
      status: 200,
      detail: { problem: 'truncated' },
    });
    expectNoTokenIn(JSON.stringify(e), server.sentTokens('cut-tokens'));
    expect(String(e.detail?.firstBytes)).toContain('"refresh_token":"[redacted');
  });
});

describe('restore honours cancel', () => {
  const settings = {
    timeouts: { connectMs: 2000, headersMs: 3000, bodyMs: 3000 },
    scope: 'openid profile',
  };
  const snapshot = async () => JSON.stringify(await keychain.findCredentials());

  it('an already-aborted signal rejects cancelled and changes nothing', async () => {
    await signIn('ok');
    const before = await snapshot();
    const writes = keychain.writes.length;
    const fresh = new SignetCore({ settings, vault: new Vault('signet-test', keychain) });
    try {
      const ac = new AbortController();
      ac.abort();
      await expect(
        fresh.restore({ tenant: server.tenant('ok'), clientId: CLIENT_ID, signal: ac.signal }),
      ).rejects.toMatchObject({ error: { code: 'cancelled' } });
      expect(await snapshot()).toBe(before);
      expect(keychain.writes.length).toBe(writes);
      // The session is still there for the next, uncancelled restore.
      const r = await fresh.restore({ tenant: server.tenant('ok'), clientId: CLIENT_ID });
      expect(r?.verification.status).toBe('verified');
    } finally {
      await fresh.close();
    }
  });

  it('cancelling while the signing keys are fetched rejects cancelled at once', async () => {
    // Sign in with one core (its JWKS fetch waits the 1.5 s), restore with a fresh one.
    const first = new SignetCore({ settings, vault: new Vault('signet-test', keychain) });
    try {
      const r = await first.signIn({
        tenant: server.tenant('slow-jwks'),
        clientId: CLIENT_ID,
        connection: 'db',
        username: 'user@signet.test',
        password: PASSWORD,
      });
      expect(r.stored).toBe('keychain');
    } finally {
      await first.close();
    }
    const before = await snapshot();
    const fresh = new SignetCore({ settings, vault: new Vault('signet-test', keychain) });
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const started = performance.now();
      await expect(
        fresh.restore({
          tenant: server.tenant('slow-jwks'),
          clientId: CLIENT_ID,
          signal: ac.signal,
        }),
      ).rejects.toMatchObject({ error: { code: 'cancelled' } });
      expect(performance.now() - started).toBeLessThan(1000);
      expect(await snapshot()).toBe(before);
    } finally {
      await fresh.close();
    }
  });
});
