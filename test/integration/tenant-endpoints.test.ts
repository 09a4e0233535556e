/**
 * The local tenant's other endpoints over real HTTP (spec §3, §4): discovery and JWKS,
 * /userinfo, /tokeninfo, /delegation (refresh, target, rate limit), /oauth/revoke, the modern
 * /oauth/token grants, /user/geoloc/country, and how it answers malformed requests.
 */
import { jwtVerify } from 'jose';
import { generate as totp, generateSecret } from 'otplib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfig } from '../../src/tenant/config';
import { createTenant } from '../../src/tenant/server';
import {
  expectError,
  addDbUser,
  getFrom,
  postTo,
  startTestTenant,
  type TestTenant,
} from '../fixtures/tenant';
import { DEMO_DATABASE as DB, ADA, BLOCKED } from '../fixtures/demo';
import { wrongTotp } from '../fixtures/totp';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
let t: TestTenant;

beforeAll(async () => {
  t = await startTestTenant({
    corpLdap: false,
    clients: [{ client_id: 'other-app', name: 'Another app' }],
    geoloc: { defaultCountry: 'GB' },
    limits: { bodyLimit: 4096 },
  });
});
afterAll(() => t?.close());

const post = (path: string, body: Record<string, unknown> | string, form = false) =>
  postTo(t.url, path, body, { form });
/** A legacy /oauth/ro sign-in as `who` (Ada unless named). */
const signIn = (
  scope: string,
  extra: Record<string, unknown> = {},
  who: { username: string; password: string } = ADA,
) =>
  post('/oauth/ro', {
    client_id: 'signet-demo',
    connection: DB,
    grant_type: 'password',
    ...who,
    scope,
    ...extra,
  });
/** A /delegation call for signet-demo; `body` adds the token and overrides the defaults. */
const delegate = (body: Record<string, unknown>, form = false) =>
  post('/delegation', { client_id: 'signet-demo', grant_type: JWT_BEARER, ...body }, form);

describe('discovery', () => {
  it('serves openid-configuration with the issuer (trailing slash) and the jwks_uri', async () => {
    const res = await getFrom(t.url, '/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    expect(res.body.issuer).toBe(`${t.url}/`);
    expect(res.body.jwks_uri).toBe(`${t.url}/.well-known/jwks.json`);
    expect(res.body.userinfo_endpoint).toBe(`${t.url}/userinfo`);
    expect(res.body.token_endpoint).toBe(`${t.url}/oauth/token`);
    expect(res.body.id_token_signing_alg_values_supported).toContain('RS256');
  });

  it('serves the JWKS: public RSA keys with kid, alg RS256, use sig, and no private parts', async () => {
    const res = await getFrom(t.url, '/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.body.keys).toHaveLength(1); // a fresh tenant has one key (rotation: tenant-keys.test.ts)
    for (const key of res.body.keys) {
      expect(key).toMatchObject({
        kty: 'RSA',
        alg: 'RS256',
        use: 'sig',
        kid: expect.any(String),
        n: expect.any(String),
        e: 'AQAB',
      });
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
        expect(key).not.toHaveProperty(secret);
    }
  });

  it('answers /user/geoloc/country with the configured default country', async () => {
    const res = await getFrom(t.url, '/user/geoloc/country');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ country_code: 'GB' });
  });
});

describe('GET /userinfo', () => {
  it('returns the profile for a Bearer access token issued with openid', async () => {
    const { access_token } = (await signIn('openid')).body;
    const res = await getFrom(t.url, '/userinfo', { authorization: `Bearer ${access_token}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      sub: expect.stringMatching(/^auth0\|[0-9a-f]{24}$/),
      user_id: expect.stringMatching(/^auth0\|/),
      email: 'ada@signet.test',
      name: 'Ada Lovelace',
      nickname: 'ada',
      picture: expect.any(String),
      identities: [expect.objectContaining({ provider: 'auth0', connection: DB })],
    });
    expect(res.body.sub).toBe(res.body.user_id);
    expect(res.body).not.toHaveProperty('mfa_secret');
  });

  it('answers a missing or unknown token with 401 invalid_token and WWW-Authenticate', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer nope' },
      { authorization: 'Basic abc' },
    ] as Array<Record<string, string>>) {
      const res = await getFrom(t.url, '/userinfo', headers);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_token');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
  });

  it('answers POST /userinfo with a Bearer token and no body too (auth0.js 7 sends it)', async () => {
    const { access_token } = (await signIn('openid')).body;
    const res = await fetch(`${t.url}/userinfo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ email: 'ada@signet.test', name: 'Ada Lovelace' });
    const none = await fetch(`${t.url}/userinfo`, { method: 'POST' });
    expect(none.status).toBe(401);
  });

  it('answers a token issued without the openid scope with 403 insufficient_scope', async () => {
    const { access_token } = (await signIn('')).body;
    const res = await getFrom(t.url, '/userinfo', { authorization: `Bearer ${access_token}` });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('insufficient_scope');
  });
});

describe('POST /tokeninfo', () => {
  it('validates an id_token and returns the profile', async () => {
    const { id_token } = (await signIn('openid')).body;
    for (const form of [false, true]) {
      const res = await post('/tokeninfo', { id_token }, form);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        email: 'ada@signet.test',
        name: 'Ada Lovelace',
        user_id: expect.stringMatching(/^auth0\|/),
      });
    }
  });

  it('answers a missing id_token with 400 and a tampered one with 401 invalid_token', async () => {
    expect((await post('/tokeninfo', {})).status).toBe(400);
    const { id_token } = (await signIn('openid')).body;
    const tampered = id_token.slice(0, -4) + (id_token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const res = await post('/tokeninfo', { id_token: tampered });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
  });
});

describe('POST /delegation', () => {
  /** Creates a database user and signs them in with offline_access: their refresh token. */
  const newUserSession = async (email: string, password: string) => {
    const user = await addDbUser(t, { email, password });
    const { refresh_token } = (
      await signIn('openid offline_access', { device: 'd' }, { username: email, password })
    ).body;
    return { user, refresh_token: refresh_token as string };
  };

  it('renews an id_token from a refresh token: {token_type Bearer, expires_in 36000, id_token}', async () => {
    // The sign-in grants `name`: a renewal may not ask for more (tenant-sessions.test.ts).
    const { refresh_token } = (await signIn('openid name offline_access', { device: 'laptop' }))
      .body;
    for (const form of [false, true]) {
      const res = await delegate({ refresh_token, api_type: 'app', scope: 'openid name' }, form);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['expires_in', 'id_token', 'token_type']);
      expect(res.body.token_type).toBe('Bearer');
      expect(res.body.expires_in).toBe(36000);
      const { payload } = await jwtVerify(res.body.id_token, t.jwks, {
        issuer: t.issuer,
        audience: 'signet-demo',
      });
      expect(payload.name).toBe('Ada Lovelace');
      expect(payload.email).toBeUndefined();
    }
  });

  it("accepts auth0.js 7's api_type=auth0 with scope=passthrough: the sign-in's own scope", async () => {
    const { refresh_token } = (await signIn('openid name email offline_access', { device: 'd' }))
      .body;
    const res = await delegate({ refresh_token, api_type: 'auth0', scope: 'passthrough' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { payload } = await jwtVerify(res.body.id_token, t.jwks, { audience: 'signet-demo' });
    expect([payload.name, payload.email]).toEqual(['Ada Lovelace', 'ada@signet.test']);
    const other = await delegate({ refresh_token, api_type: 'salesforce_api', scope: 'openid' });
    expect(other.status).toBe(400);
  });

  it('makes the target client the audience', async () => {
    const { id_token } = (await signIn('openid')).body;
    const res = await delegate({ id_token, target: 'other-app', api_type: 'app', scope: 'openid' });
    expect(res.status).toBe(200);
    const { payload } = await jwtVerify(res.body.id_token, t.jwks, {
      issuer: t.issuer,
      audience: 'other-app',
    });
    expect(payload.aud).toBe('other-app');
  });

  it('refuses a revoked refresh token, another client’s, and an unknown target', async () => {
    const { refresh_token } = (await signIn('openid offline_access', { device: 'laptop' })).body;
    const foreign = await delegate({ client_id: 'other-app', refresh_token });
    expectError(foreign, 401, 'unauthorized', 'invalid refresh token');
    const badTarget = await delegate({ refresh_token, target: 'nope' });
    expect(badTarget.status).toBe(400);

    const revoke = await post('/oauth/revoke', { client_id: 'signet-demo', token: refresh_token });
    expect(revoke.status).toBe(200);
    expect(revoke.text).toBe('');
    const after = await delegate({ refresh_token });
    expectError(after, 401, 'unauthorized', 'invalid refresh token');
  });

  it('answers missing parameters, an unknown client and a modern client as the spec says', async () => {
    expect(
      (await post('/delegation', { grant_type: JWT_BEARER, refresh_token: 'x' })).body,
    ).toEqual({
      error: 'invalid_request',
      error_description: 'missing client_id parameter',
    });
    expect(
      (await post('/delegation', { client_id: 'signet-demo', grant_type: JWT_BEARER })).status,
    ).toBe(400);
    const unknown = await delegate({ client_id: 'who', refresh_token: 'x' });
    expectError(unknown, 403, 'unauthorized_client', 'invalid client');
    const modern = await delegate({ client_id: 'signet-modern', refresh_token: 'x' });
    expect(modern.status).toBe(403);
    expect(modern.body.error).toBe('unauthorized_client');
  });

  it('allows 10 calls per minute per user and IP, then answers 429 too_many_requests with Retry-After', async () => {
    const { user, refresh_token } = await newUserSession('often@signet.test', 'Renew-Often-1');
    for (let i = 1; i <= 10; i++) {
      const res = await delegate({ refresh_token });
      expect(res.status, `call ${i}`).toBe(200);
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(10 - i));
    }
    const eleventh = await delegate({ refresh_token });
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error).toBe('too_many_requests');
    expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(eleventh.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    // Another user is not limited.
    const { refresh_token: adaRt } = (await signIn('openid offline_access', { device: 'd' })).body;
    expect((await delegate({ refresh_token: adaRt })).status).toBe(200);
    expect(user.user_id).toMatch(/^auth0\|/);
  });

  it('refuses to renew for a user who was blocked since', async () => {
    const { user, refresh_token } = await newUserSession(
      'later-blocked@signet.test',
      'Blocked-Later-1',
    );
    t.tenant.db.setBlocked(user.user_id, true);
    const res = await delegate({ refresh_token });
    expectError(res, 401, 'unauthorized', 'user is blocked');
  });
});

describe('POST /oauth/revoke', () => {
  it('answers 200 with an empty body, also for an unknown token, and 400 without a token', async () => {
    expect(
      (await post('/oauth/revoke', { client_id: 'signet-demo', token: 'unknown' })).status,
    ).toBe(200);
    const missing = await post('/oauth/revoke', { client_id: 'signet-demo' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_request');
  });

  it('revokes an access token so /userinfo refuses it', async () => {
    const { access_token } = (await signIn('openid')).body;
    expect(
      (await post('/oauth/revoke', { client_id: 'signet-demo', token: access_token }, true)).status,
    ).toBe(200);
    expect(
      (await getFrom(t.url, '/userinfo', { authorization: `Bearer ${access_token}` })).status,
    ).toBe(401);
  });
});

describe('POST /oauth/token (modern grants)', () => {
  const realm = 'http://auth0.com/oauth/grant-type/password-realm';
  const otpGrant = 'http://auth0.com/oauth/grant-type/passwordless/otp';
  const MFA_OTP = 'http://auth0.com/oauth/grant-type/mfa-otp';
  /** A password-realm sign-in on signet-modern; `body` adds the credentials and overrides. */
  const realmSignIn = (body: Record<string, unknown>, form = false) =>
    post(
      '/oauth/token',
      { grant_type: realm, realm: DB, client_id: 'signet-modern', ...body },
      form,
    );
  /** The refresh_token grant on signet-modern. */
  const refreshModern = (refresh_token: string) =>
    post('/oauth/token', {
      grant_type: 'refresh_token',
      client_id: 'signet-modern',
      refresh_token,
    });
  /** The mfa-otp grant on signet-modern: redeems `mfaToken` with `otp`. */
  const redeem = (mfaToken: string, otp: string) =>
    post('/oauth/token', {
      grant_type: MFA_OTP,
      client_id: 'signet-modern',
      mfa_token: mfaToken,
      otp,
    });
  /** The passwordless/otp grant on signet-modern. */
  const smsOtp = (phone: string, otp: string, extra: Record<string, unknown> = {}) =>
    post('/oauth/token', {
      grant_type: otpGrant,
      realm: 'sms',
      username: phone,
      otp,
      client_id: 'signet-modern',
      ...extra,
    });

  it.each([
    ['JSON', false],
    ['form', true],
  ])(
    'signs in with password-realm (%s) on a client whose legacy grant is off',
    async (_k, form) => {
      const res = await realmSignIn({ ...ADA, scope: 'openid email offline_access' }, form);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        access_token: expect.any(String),
        id_token: expect.any(String),
        refresh_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 86400,
        scope: 'openid email offline_access',
      });
      const { payload } = await jwtVerify(res.body.id_token, t.jwks, {
        issuer: t.issuer,
        audience: 'signet-modern',
      });
      expect(payload.email).toBe('ada@signet.test');
    },
  );

  it('answers a wrong password with 403 invalid_grant "Wrong email or password."', async () => {
    const res = await realmSignIn({ username: 'ada@signet.test', password: 'nope' });
    expectError(res, 403, 'invalid_grant', 'Wrong email or password.');
  });

  it('answers a blocked user with 401 unauthorized', async () => {
    const res = await realmSignIn({ username: 'blocked@signet.test', password: BLOCKED.password });
    expectError(res, 401, 'unauthorized', 'user is blocked');
  });

  it('signs in with passwordless/otp and answers a wrong code with 403 invalid_grant', async () => {
    const phone = '+14155557777';
    expect(
      (
        await post('/passwordless/start', {
          client_id: 'signet-modern',
          connection: 'sms',
          phone_number: phone,
          send: 'code',
        })
      ).status,
    ).toBe(200);
    const code = await t.lastCode(phone);
    const wrong = await smsOtp(phone, code === '000000' ? '111111' : '000000');
    expectError(wrong, 403, 'invalid_grant', 'Wrong phone number or verification code.');
    const ok = await smsOtp(phone, code, { scope: 'openid' });
    expect(ok.status).toBe(200);
    const { payload } = await jwtVerify(ok.body.id_token, t.jwks, {
      issuer: t.issuer,
      audience: 'signet-modern',
    });
    expect(payload.sub).toMatch(/^sms\|[0-9a-f]{24}$/);
  });

  it('refreshes with the refresh_token grant and refuses a revoked one with 403 invalid_grant', async () => {
    const { refresh_token } = (await realmSignIn({ ...ADA, scope: 'openid offline_access' })).body;
    const res = await refreshModern(refresh_token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      access_token: expect.any(String),
      id_token: expect.any(String),
      token_type: 'Bearer',
    });
    expect(res.body).not.toHaveProperty('refresh_token');
    await post('/oauth/revoke', { client_id: 'signet-modern', token: refresh_token });
    const after = await refreshModern(refresh_token);
    expectError(after, 403, 'invalid_grant', 'Unknown or invalid refresh token.');
  });

  it('answers MFA users with 403 mfa_required and an mfa_token that the mfa-otp grant redeems', async () => {
    const secret = generateSecret();
    await addDbUser(t, {
      email: 'mfa-modern@signet.test',
      password: 'Modern-MFA-1',
      mfa_secret: secret,
    });
    const first = await realmSignIn({
      username: 'mfa-modern@signet.test',
      password: 'Modern-MFA-1',
      scope: 'openid',
    });
    expect(first.status).toBe(403);
    expect(first.body).toMatchObject({ error: 'mfa_required', mfa_token: expect.any(String) });
    const bad = await redeem(first.body.mfa_token, 'abcdef');
    expect(bad.status).toBe(403);
    expect(bad.body.error).toBe('invalid_grant');
    const ok = await redeem(first.body.mfa_token, await totp({ secret }));
    expect(ok.status).toBe(200);
    expect(ok.body.id_token).toEqual(expect.any(String));
  });

  describe('mfa-otp guessing', () => {
    const DROPPED = { error: 'invalid_grant', error_description: 'Malformed mfa_token' };
    const WRONG_OTP = { error: 'invalid_grant', error_description: 'Invalid otp_code.' };
    let n = 0;
    const mfaUser = async () => {
      const secret = generateSecret();
      const email = `mfa-guess-${n++}@signet.test`;
      await addDbUser(t, { email, password: 'Modern-MFA-2', mfa_secret: secret });
      const passwordStep = () => realmSignIn({ username: email, password: 'Modern-MFA-2' });
      const mfaToken = async () => {
        const res = await passwordStep();
        expect(res.body.error).toBe('mfa_required');
        return res.body.mfa_token as string;
      };
      return { secret, email, passwordStep, mfaToken, wrong: await wrongTotp(secret) };
    };

    it('drops an mfa_token after 5 wrong codes: then even the right code is 403 Malformed mfa_token', async () => {
      const u = await mfaUser();
      const token = await u.mfaToken();
      for (let i = 1; i <= 5; i++) {
        const res = await redeem(token, u.wrong);
        expect([i, res.status, res.body]).toEqual([i, 403, WRONG_OTP]);
      }
      const after = await redeem(token, await totp({ secret: u.secret }));
      expect([after.status, after.body]).toEqual([403, DROPPED]);
    });

    it('holds the 5 under concurrency: of 12 simultaneous wrong codes on one token, 5 are checked', async () => {
      const u = await mfaUser();
      const token = await u.mfaToken();
      const results = await Promise.all(Array.from({ length: 12 }, () => redeem(token, u.wrong)));
      const descriptions = results.map((r) => r.body.error_description);
      expect(descriptions.filter((d) => d === 'Invalid otp_code.')).toHaveLength(5);
      expect(descriptions.filter((d) => d === 'Malformed mfa_token')).toHaveLength(7);
    });

    it('redeems a token once, also when the right code is sent twice at once', async () => {
      const u = await mfaUser();
      const token = await u.mfaToken();
      const code = await totp({ secret: u.secret });
      const results = await Promise.all([redeem(token, code), redeem(token, code)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 403]);
    });

    it('counts wrong codes against the account: 10 over two tokens block the password step (429)', async () => {
      const u = await mfaUser();
      for (const token of [await u.mfaToken(), await u.mfaToken()])
        for (let i = 0; i < 5; i++) expect((await redeem(token, u.wrong)).body).toEqual(WRONG_OTP);
      const blocked = await u.passwordStep();
      expect(blocked.status).toBe(429);
      expect(blocked.body.error).toBe('too_many_attempts');
    });
  });

  it('answers missing parameters, unknown clients and unknown grants', async () => {
    const missing = await realmSignIn({ realm: undefined, username: 'a', password: 'b' });
    expectError(missing, 400, 'invalid_request', 'Missing required parameter: realm');
    expect((await realmSignIn({ ...ADA, client_id: 'who' })).status).toBe(401);
    const grant = await post('/oauth/token', {
      grant_type: 'client_credentials',
      client_id: 'signet-modern',
    });
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe('unsupported_grant_type');
  });
});

describe('malformed requests', () => {
  it('answers an unknown route with an Auth0-like JSON 404', async () => {
    for (const res of [
      await getFrom(t.url, '/nope'),
      await post('/oauth/nope', {}),
      await getFrom(t.url, '/oauth/ro'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    }
  });

  it('answers malformed JSON with 400 invalid_request, and keeps serving', async () => {
    for (const body of ['{"client_id":', '[1,2]', '"text"', '{"__proto__":{"x":1}}']) {
      const res = await post('/oauth/ro', body);
      expect(res.status, body).toBe(400);
      expect(res.body.error, body).toBe('invalid_request');
    }
    expect((await signIn('openid')).status).toBe(200);
  });

  it('answers a body over the limit with 413 and an unknown content type with 415', async () => {
    const big = await post('/oauth/ro', { client_id: 'signet-demo', pad: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    expect(big.body.error).toBe('request_entity_too_large');
    const res = await fetch(`${t.url}/oauth/ro`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
  });
});

describe('pending mfa_tokens on a clock', () => {
  it('expire after 600 s and are swept, so unredeemed ones do not pile up', async () => {
    let clock = Date.now();
    const dataDir = mkdtempSync(join(tmpdir(), 'signet-tenant-'));
    const config = demoConfig();
    const tenant = await createTenant(
      { ...config, port: 0, connections: config.connections.filter((c) => c.type !== 'ad') },
      { dataDir, now: () => clock },
    );
    try {
      const secret = generateSecret();
      await tenant.db.createUser(
        {
          connection: DB,
          email: 'mfa-sweep@signet.test',
          password: 'Sweep-MFA-1',
          mfa_secret: secret,
        },
        4,
      );
      const passwordStep = async () => {
        const res = await postTo(tenant.url, '/oauth/token', {
          grant_type: 'http://auth0.com/oauth/grant-type/password-realm',
          realm: DB,
          username: 'mfa-sweep@signet.test',
          password: 'Sweep-MFA-1',
          client_id: 'signet-modern',
        });
        expect(res.body.error).toBe('mfa_required');
        return res.body.mfa_token as string;
      };
      const first = await passwordStep();
      for (let i = 0; i < 19; i++) await passwordStep();
      expect(tenant.stats().pendingMfaTokens).toBe(20);

      clock += 601_000;
      const late = await postTo(tenant.url, '/oauth/token', {
        grant_type: 'http://auth0.com/oauth/grant-type/mfa-otp',
        client_id: 'signet-modern',
        mfa_token: first,
        otp: await totp({ secret, epoch: Math.floor(clock / 1000) }),
      });
      expect([late.status, late.body]).toEqual([
        403,
        { error: 'invalid_grant', error_description: 'Malformed mfa_token' },
      ]);
      await passwordStep(); // issuing sweeps the expired ones
      expect(tenant.stats().pendingMfaTokens).toBe(1);
    } finally {
      await tenant.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
