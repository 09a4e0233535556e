/**
 * The sign-in core against the local tenant over real HTTP (test/fixtures/tenant.ts), with the
 * real keychain where the session is stored. Run alone: `npm test -- test/integration/core-tenant`.
 */
import { randomBytes } from 'node:crypto';
import keytar from '@github/keytar';
import { generate, generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignetCore, SignInFailure, Vault } from '../../src/core/index.js';
import type { SignInError } from '../../src/shared/errors.js';
import { keyringMissing } from '../fixtures/keyring.js';
import { addDbUser, CHECK_STEPS, startTestTenant, type TestTenant } from '../fixtures/tenant.js';
import { ADA, BLOCKED, GRACE } from '../fixtures/demo';

const noKeyring = await keyringMissing();
const service = `signet-test-tenant-${process.pid}-${randomBytes(3).toString('hex')}`;
const DB = 'Username-Password-Authentication';

let t: TestTenant;
let core: SignetCore;

/** A core like the app's: real keychain when there is one, otherwise none. */
const newCore = (settings: Record<string, unknown> = {}) =>
  new SignetCore({
    settings: { scope: 'openid profile offline_access', device: 'test-device', ...settings },
    vault: noKeyring ? null : new Vault(service),
  });

beforeAll(async () => {
  t = await startTestTenant();
  core = newCore();
});
afterAll(async () => {
  await core?.close();
  await t?.close();
  if (!noKeyring)
    for (const c of await keytar.findCredentials(service))
      await keytar.deletePassword(service, c.account);
});

const err = (p: Promise<unknown>): Promise<SignInError> =>
  p.then(
    () => {
      throw new Error('expected a SignInError');
    },
    (e: unknown) => {
      if (!(e instanceof SignInFailure)) throw e;
      return e.error;
    },
  );

/** The tenant and client of a call: the demo tenant, signet-demo unless named. */
const at = (clientId: string = t.clientId) => ({ tenant: t.url, clientId });

type SignInRequest = Parameters<SignetCore['signIn']>[0];
/** A database sign-in request as Ada (signet-demo unless named); `extra` adds or overrides. */
const asAda = (extra: Partial<SignInRequest> = {}, clientId?: string): SignInRequest => ({
  ...at(clientId),
  connection: DB,
  ...ADA,
  ...extra,
});

/** Runs `use` with a fresh core (own attempts log and memory) and closes it after. */
async function withCore(
  use: (c: SignetCore) => Promise<void>,
  settings: Record<string, unknown> = {},
): Promise<void> {
  const c = newCore(settings);
  try {
    await use(c);
  } finally {
    await c.close();
  }
}

const storedKind = noKeyring ? 'none' : 'keychain';

describe('database connection, legacy /oauth/ro', () => {
  it('signs ada in, verifies RS256 against the tenant JWKS and stores the session', async () => {
    const r = await core.signIn(asAda());
    expect(r.protocol).toBe('legacy');
    expect(r.verification).toMatchObject({ status: 'verified', alg: 'RS256', reason: null });
    expect(r.verification.kid).toBeTruthy();
    expect(r.tenant).toBe(t.issuer);
    expect(r.profile).toMatchObject({ name: 'Ada Lovelace', email: 'ada@signet.test' });
    expect(r.profile.sub).toMatch(/^auth0\|[0-9a-f]{24}$/);
    expect(r.stored).toBe(storedKind);
    expect(r.refreshable).toBe(true);
    const exp = r.claims.find((c) => c.name === 'exp');
    expect(exp).toMatchObject({ kind: 'time', label: 'Expires' });
    expect(Date.parse(r.expiresAt ?? '') - Date.now()).toBeGreaterThan(9 * 3600_000);
    expect(r.timings.totalMs).toBeGreaterThan(0);
  });

  it('a wrong password is invalid_user_password with the database sentence', async () => {
    const e = await err(core.signIn(asAda({ password: 'nope', keep: 'memory' })));
    expect(e).toMatchObject({
      code: 'invalid_user_password',
      status: 401,
      description: 'Wrong email or password.',
    });
    expect(e.message).toBe('The email or password is incorrect.');
  });

  it('a blocked user is told the account is blocked', async () => {
    const e = await err(
      core.signIn({
        ...at(),
        connection: DB,
        username: 'blocked@signet.test',
        password: BLOCKED.password,
      }),
    );
    expect(e).toMatchObject({ code: 'unauthorized', status: 401, description: 'user is blocked' });
    expect(e.message).toMatch(/blocked/);
  });

  it('an unknown connection names the connection', async () => {
    const e = await err(
      core.signIn({ ...at(), connection: 'nope-db', username: 'x', password: 'y' }),
    );
    expect(e).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(e.message).toMatch(/nope-db/);
  });

  it('the attempts log shows each call with the password and tokens redacted', async () => {
    const log = core.attempts();
    // One /oauth/ro call for each sign-in above: ada, the wrong password, blocked, nope-db.
    expect(log).toHaveLength(4);
    const text = JSON.stringify(log);
    expect(text).not.toContain(ADA.password);
    expect(text).not.toContain(BLOCKED.password);
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    const first = log.find((a) => a.status === 200 && a.endpoint === '/oauth/ro');
    expect(first?.request).toMatchObject({
      username: ADA.username,
      password: '[redacted]',
      connection: DB,
    });
    expect(String(first?.response?.id_token)).toMatch(/^\[redacted: \d+ chars\]$/);
  });

  it('a /userinfo answer is logged without the user’s name or email (only error answers keep §7 fields)', async () => {
    const profile = await core.userinfo({
      tenant: t.url,
      clientId: t.clientId,
      username: ADA.username,
    });
    expect(profile.name).toBe('Ada Lovelace');
    const answer = core.attempts().at(-1);
    expect(answer).toMatchObject({ endpoint: '/userinfo', status: 200 });
    expect(answer?.response?.name).toBe('[redacted: 12 chars]');
    expect(JSON.stringify(answer)).not.toContain('Ada Lovelace');
    expect(JSON.stringify(answer)).not.toContain(ADA.username);
  });
});

describe('AD/LDAP connection (demo directory)', () => {
  it('signs grace in with her groups as a list', async () => {
    const r = await core.signIn({
      ...at(),
      connection: 'corp-ldap',
      username: 'grace',
      password: GRACE.password,
      keep: 'memory',
    });
    expect(r.connection).toMatchObject({ name: 'corp-ldap', kind: 'ad' });
    expect(r.verification.status).toBe('verified');
    expect(r.profile).toMatchObject({
      name: 'Grace Hopper',
      groups: expect.arrayContaining(['engineering', 'navy']),
    });
    expect(r.profile.sub).toMatch(/^ad\|corp-ldap\|/);
    const groups = r.claims.find((c) => c.name === 'groups');
    expect(groups).toMatchObject({ kind: 'list', label: 'Groups' });
    expect(groups?.items).toEqual(expect.arrayContaining(['engineering', 'navy']));
    expect(r.stored).toBe('none');
  });

  it('a wrong directory password reads as a directory problem and keeps the sub-code when sent', async () => {
    const e = await err(
      core.signIn({ ...at(), connection: 'corp-ldap', username: 'grace', password: 'wrong' }),
    );
    expect(e.code).toBe('invalid_user_password');
    expect(e.message).toMatch(/directory/);
    expect(e.detail).toMatchObject({
      ldapStatus: '52e',
      ldapMeaning: 'wrong password',
      ldapResult: 49,
    });
  });
});

describe('SMS connection', () => {
  const phone = '+14155550123';

  it('sends a code, reads it from the outbox, and signs in with it', async () => {
    const sent = await core.startSms({ ...at(), phone });
    expect(sent.phone).toBe(phone);
    const code = await t.lastCode(phone);
    const r = await core.signInWithSms({
      ...at(),
      phone,
      code,
      keep: 'memory',
    });
    expect(r.connection).toMatchObject({ name: 'sms', kind: 'sms' });
    expect(r.verification.status).toBe('verified');
    expect(r.profile.sub).toMatch(/^sms\|[0-9a-f]{24}$/);
    // The code never reaches the attempts log.
    expect(JSON.stringify(core.attempts())).not.toContain(`"${code}"`);
  });

  it('a wrong code reads as an SMS problem, not a password one', async () => {
    await core.startSms({ ...at(), phone });
    const e = await err(core.signInWithSms({ ...at(), phone, code: '000000' }));
    expect(e).toMatchObject({ code: 'invalid_user_password', status: 401 });
    expect(e.message).toMatch(/code/);
    expect(e.message).not.toMatch(/password/);
  });

  it('guessing codes ends in a wait, told as an SMS block (no email to check)', async () => {
    const guessed = '+14155550129';
    await core.startSms({ ...at(), phone: guessed });
    let e: SignInError | undefined;
    // The tenant allows 10 wrong codes per phone in 15 minutes; the 11th try is refused.
    for (let i = 0; i < 11 && e?.code !== 'too_many_attempts'; i++)
      e = await err(core.signInWithSms({ ...at(), phone: guessed, code: '000000' }));
    expect(e).toMatchObject({ code: 'too_many_attempts', status: 429 });
    expect(e?.message).toMatch(/^Too many wrong codes for this phone number\. Try again in /);
    expect(e?.message).not.toMatch(/email/);
  });

  it('an invalid phone number is refused before any request', async () => {
    const e = await err(core.startSms({ ...at(), phone: '555-0100' }));
    expect(e.code).toBe('invalid_input');
  });

  it('a code of the wrong length is refused by core before any request', async () => {
    // The tenant texts OTP_CODE_LENGTH (6) digits: a 4-digit code can only be a typo, and sending
    // it would spend one of the phone's 10 wrong-code tries.
    const c = newCore();
    try {
      await c.startSms({ tenant: t.url, clientId: t.clientId, phone: '+14155550131' });
      const sent = c.attempts().length;
      for (const code of ['1234', '1234567']) {
        const e = await err(
          c.signInWithSms({ tenant: t.url, clientId: t.clientId, phone: '+14155550131', code }),
        );
        expect(e).toMatchObject({ code: 'invalid_input', detail: { field: 'code' } });
      }
      expect(c.attempts()).toHaveLength(sent);
    } finally {
      await c.close();
    }
  });
});

describe('protocols: legacy, modern, auto', () => {
  it('legacy against a client without the legacy grant explains how to switch', async () => {
    const e = await err(core.signIn(asAda({ protocol: 'legacy' }, 'signet-modern')));
    expect(e).toMatchObject({ code: 'unauthorized_client', status: 403 });
    expect(e.description).toMatch(/Grant type .* not allowed/);
    expect(e.message).toMatch(/modern/);
  });

  it('modern signs in through /oauth/token (password-realm)', () =>
    withCore(async (c) => {
      const r = await c.signIn(asAda({ protocol: 'modern', keep: 'memory' }, 'signet-modern'));
      expect(r.protocol).toBe('modern');
      expect(r.verification).toMatchObject({ status: 'verified', alg: 'RS256' });
      expect(c.attempts().map((a) => a.endpoint)).toEqual(['/oauth/token']);
    }));

  it('modern wrong password is invalid_grant (403) with the database sentence', async () => {
    const e = await err(
      core.signIn(asAda({ password: 'nope', protocol: 'modern' }, 'signet-modern')),
    );
    expect(e).toMatchObject({ code: 'invalid_grant', status: 403 });
    expect(e.message).toBe('The email or password is incorrect.');
  });

  it('auto tries legacy, switches to modern on "grant type not allowed", and remembers it', () =>
    withCore(async (c) => {
      const first = await c.signIn(asAda({ protocol: 'auto', keep: 'memory' }, 'signet-modern'));
      expect(first.protocol).toBe('modern');
      expect(c.attempts().map((a) => `${a.endpoint} ${a.status}`)).toEqual([
        '/oauth/ro 403',
        '/oauth/token 200',
      ]);
      const second = await c.signIn(asAda({ protocol: 'auto', keep: 'memory' }, 'signet-modern'));
      expect(second.protocol).toBe('modern');
      expect(c.attempts().map((a) => a.endpoint)).toEqual([
        '/oauth/ro',
        '/oauth/token',
        '/oauth/token',
      ]);
    }));

  it('auto stays on legacy where the tenant allows it', async () => {
    const r = await core.signIn(asAda({ protocol: 'auto', keep: 'memory' }));
    expect(r.protocol).toBe('legacy');
  });

  it('modern SMS uses the passwordless/otp grant', async () => {
    const phone = '+14155550124';
    await core.startSms({ ...at('signet-modern'), phone });
    const r = await core.signInWithSms({
      ...at('signet-modern'),
      phone,
      code: await t.lastCode(phone),
      protocol: 'modern',
      keep: 'memory',
    });
    expect(r).toMatchObject({ protocol: 'modern', verification: { status: 'verified' } });
  });
});

describe('MFA (TOTP enrolled on the tenant)', () => {
  const secret = generateSecret();
  const user = { username: 'turing@signet.test', password: 'Enigma-Bombe-1940' };

  beforeAll(async () => {
    await addDbUser(t, {
      email: user.username,
      password: user.password,
      name: 'Alan Turing',
      mfa_secret: secret,
    });
  });

  it('legacy: the first answer asks for the code, the follow-up with mfa_code signs in', async () => {
    const e = await err(core.signIn(asAda({ ...user, keep: 'memory' })));
    expect(e).toMatchObject({ code: 'a0.mfa_required', status: 401 });
    expect(e.message).toMatch(/6-digit code/);
    const r = await core.signIn(
      asAda({ ...user, mfaCode: await generate({ secret }), keep: 'memory' }),
    );
    expect(r.profile.name).toBe('Alan Turing');
  });

  it('legacy: a wrong code is a0.mfa_invalid_code', async () => {
    const e = await err(core.signIn(asAda({ ...user, mfaCode: '000000', keep: 'memory' })));
    expect(e.code).toBe('a0.mfa_invalid_code');
  });

  it('modern: 403 mfa_required keeps the mfa_token in memory only, and the code redeems it', async () => {
    const e = await err(
      core.signIn(asAda({ ...user, protocol: 'modern', keep: 'memory' }, 'signet-modern')),
    );
    expect(e).toMatchObject({ code: 'mfa_required', status: 403 });
    expect(JSON.stringify(e)).not.toMatch(/mfa_token"?\s*:/);
    const r = await core.signIn(
      asAda(
        { ...user, protocol: 'modern', mfaCode: await generate({ secret }), keep: 'memory' },
        'signet-modern',
      ),
    );
    expect(r).toMatchObject({ protocol: 'modern', profile: { name: 'Alan Turing' } });
  });
});

describe('token companions: userinfo, tokeninfo, jwt-bearer', () => {
  it('/userinfo and /tokeninfo return ada’s profile', async () => {
    await core.signIn(asAda({ keep: 'memory' }));
    const info = await core.userinfo({
      ...at(),
      username: ADA.username,
    });
    expect(info).toMatchObject({ email: 'ada@signet.test' });
    const ti = await core.tokeninfo({
      ...at(),
      username: ADA.username,
    });
    expect(ti).toMatchObject({ email: 'ada@signet.test' });
  });

  it('re-authenticates with the id_token and device (jwt-bearer) without the password', async () => {
    const r = await core.reauthenticate({
      ...at(),
      username: ADA.username,
    });
    expect(r.verification.status).toBe('verified');
    expect(core.attempts().at(-1)?.request).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      id_token: '[redacted]',
    });
  });
});

describe('refresh, restore, sign out', () => {
  it('refresh renews the id_token through /delegation and verifies it', async () => {
    await core.signIn(asAda());
    const r = await core.refresh({ ...at(), username: ADA.username });
    expect(r.verification.status).toBe('verified');
    expect(core.attempts().at(-1)).toMatchObject({ endpoint: '/delegation', status: 200 });
  });

  it('modern refresh uses the refresh_token grant', () =>
    withCore(async (c) => {
      await c.signIn(asAda({ protocol: 'modern', keep: 'memory' }, 'signet-modern'));
      const r = await c.refresh(at('signet-modern'));
      expect(r.protocol).toBe('modern');
      expect(c.attempts().at(-1)).toMatchObject({
        endpoint: '/oauth/token',
        status: 200,
        request: { grant_type: 'refresh_token', refresh_token: '[redacted]' },
      });
    }));

  it.skipIf(noKeyring)(
    'a new process restores the session from the keychain and lists it in accounts',
    () =>
      withCore(async (fresh) => {
        const r = await fresh.restore(at());
        expect(r).toMatchObject({
          stored: 'keychain',
          username: ADA.username,
          verification: { status: 'verified' },
          profile: { name: 'Ada Lovelace' },
        });
        const accounts = await fresh.accounts();
        expect(accounts).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ username: ADA.username, stored: 'keychain', tenant: t.url }),
          ]),
        );
      }),
  );

  it.skipIf(noKeyring)('sign-out revokes the refresh token and deletes every keychain entry', () =>
    withCore(async (fresh) => {
      const before = await fresh.revealTokens({
        ...at(),
        username: ADA.username,
      });
      const out = await fresh.signOut({
        ...at(),
        username: ADA.username,
      });
      expect(out.revoked).toBe(true);
      expect(out.deleted).toBeGreaterThan(0);
      expect(
        (await keytar.findCredentials(service)).filter((c) => c.account.includes(ADA.username)),
      ).toEqual([]);
      expect(await fresh.restore({ ...at(), username: ADA.username })).toBeNull();
      // The revoked refresh token no longer renews anything.
      const direct = await fetch(`${t.url}/delegation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_id: t.clientId,
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          refresh_token: before.refresh_token,
          api_type: 'app',
          scope: 'openid',
        }),
      });
      expect(direct.status).toBe(401);
    }),
  );
});

describe('restore of an expired session', () => {
  let short: TestTenant;
  beforeAll(async () => {
    short = await startTestTenant({ idTokenLifetime: 30 });
  });
  afterAll(async () => {
    await short?.close();
  });

  it('refreshes through /delegation when a refresh token is held', () =>
    withCore(async (c) => {
      await c.signIn({ tenant: short.url, clientId: short.clientId, connection: DB, ...ADA });
      const r = await c.restore({ tenant: short.url, clientId: short.clientId });
      expect(r?.verification.status).toBe('verified');
      expect(c.attempts().at(-1)).toMatchObject({ endpoint: '/delegation', status: 200 });
      await c.signOut({ tenant: short.url, clientId: short.clientId });
    }));

  it('asks to sign in again when there is no refresh token', () =>
    withCore(
      async (c) => {
        await c.signIn({ tenant: short.url, clientId: short.clientId, connection: DB, ...ADA });
        const e = await err(c.restore({ tenant: short.url, clientId: short.clientId }));
        expect(e.code).toBe('not_signed_in');
        await c.signOut({ tenant: short.url, clientId: short.clientId });
      },
      { scope: 'openid profile' },
    ));
});

describe('check (diagnostics)', () => {
  it('reports TCP, openid-configuration, JWKS and clock skew for the local tenant', async () => {
    const report = await core.check({ tenant: t.url });
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.name)).toEqual(CHECK_STEPS);
    expect(report.steps.find((s) => s.name === 'tls')).toMatchObject({ skipped: true });
    expect(report.steps.find((s) => s.name === 'jwks')?.summary).toMatch(/1 key|\d+ key/);
    expect(Math.abs(report.clockSkewSeconds ?? 99)).toBeLessThanOrEqual(2);
  });

  it('reports an unreachable tenant step by step without throwing', async () => {
    const report = await core.check({ tenant: 'http://127.0.0.1:9' });
    expect(report.ok).toBe(false);
    expect(report.steps.find((s) => s.name === 'tcp')).toMatchObject({
      ok: false,
      error: { code: 'network_unreachable' },
    });
  });
});
