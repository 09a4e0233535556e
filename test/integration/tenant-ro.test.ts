/**
 * Conformance of the local tenant's POST /oauth/ro (spec §1) over real HTTP: success shapes,
 * id_token claims per scope verified against the tenant's own JWKS, every error row the
 * tenant can produce, in JSON and form bodies; jwt-bearer; MFA; HS256 clients; brute force.
 */
import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { generate as totp, generateSecret } from 'otplib';
import { connect } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfig, tenantConfigSchema } from '../../src/tenant/config';
import { MESSAGES } from '../../src/tenant/server';
import {
  expectError,
  addDbUser,
  postTo,
  roBody,
  startTestTenant,
  type TestTenant,
} from '../fixtures/tenant';
import { DEMO_DATABASE as DB, ADA, BLOCKED, GRACE } from '../fixtures/demo';
import { wrongTotp } from '../fixtures/totp';

const HS_SECRET = 'a-legacy-client-secret-of-32-chars!';
/** The key bytes of the encoded-secret client (its `client_secret` is their base64url). */
const HS_ENCODED_KEY = new Uint8Array(32).map((_, i) => (i * 37 + 11) % 256);

let t: TestTenant;

beforeAll(async () => {
  t = await startTestTenant({
    clients: [
      {
        client_id: 'legacy-hs256',
        name: 'HS256 legacy client',
        alg: 'HS256',
        client_secret: HS_SECRET,
      },
      {
        client_id: 'legacy-hs256-encoded',
        name: 'HS256 legacy client, secret stored base64url-encoded',
        alg: 'HS256',
        client_secret: Buffer.from(HS_ENCODED_KEY).toString('base64url'),
        secretEncoded: true,
      },
      { client_id: 'oidc-app', name: 'OIDC conformant', oidcConformant: true },
      { client_id: 'db-only', name: 'only the database', connections: [DB] },
    ],
    connections: [{ type: 'database', name: 'disabled-db', enabled: false }],
  });
});
afterAll(() => t?.close());

const ro = (body: Record<string, unknown>, form = false) =>
  postTo(t.url, '/oauth/ro', body, { form });
const signIn = (extra: Record<string, unknown> = {}, form = false) =>
  ro(roBody(DB, ADA.username, ADA.password, extra), form);

async function verify(idToken: string, audience = 'signet-demo'): Promise<JWTPayload> {
  const { payload } = await jwtVerify(idToken, t.jwks, { issuer: t.issuer, audience });
  return payload;
}

describe.each([
  ['JSON', false],
  ['form', true],
])('/oauth/ro with a %s body', (_kind, form) => {
  it('answers a database sign-in with access_token, id_token and token_type bearer, and no expires_in', async () => {
    const res = await signIn({ scope: 'openid' }, form);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'id_token', 'token_type']);
    expect(res.body.token_type.toLowerCase()).toBe('bearer');
    expect(res.body.access_token).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(res.body.access_token.split('.')).toHaveLength(1); // opaque, not a JWT
  });

  it('gives scope openid an id_token with iss (trailing slash), sub, aud, exp, iat only', async () => {
    const res = await signIn({ scope: 'openid' }, form);
    const claims = await verify(res.body.id_token);
    expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'sub']);
    expect(claims.iss).toBe(t.issuer);
    expect(claims.iss!.endsWith('/')).toBe(true);
    expect(claims.aud).toBe('signet-demo');
    expect(claims.sub).toMatch(/^auth0\|[0-9a-f]{24}$/);
    expect(claims.exp! - claims.iat!).toBe(36000);
    expect(Math.abs(claims.iat! - Date.now() / 1000)).toBeLessThan(60);
    const header = decodeProtectedHeader(res.body.id_token);
    expect(header).toMatchObject({ typ: 'JWT', alg: 'RS256' });
    expect(typeof header.kid).toBe('string');
  });

  it('adds name and email for scope "openid name email" and nothing else', async () => {
    const claims = await verify((await signIn({ scope: 'openid name email' }, form)).body.id_token);
    expect(claims).toMatchObject({ name: 'Ada Lovelace', email: 'ada@signet.test' });
    expect(Object.keys(claims).sort()).toEqual([
      'aud',
      'email',
      'exp',
      'iat',
      'iss',
      'name',
      'sub',
    ]);
  });

  it('adds every public attribute for scope "openid profile", never the MFA secret or blocked flag', async () => {
    const claims = await verify((await signIn({ scope: 'openid profile' }, form)).body.id_token);
    expect(claims).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@signet.test',
      nickname: 'ada',
      email_verified: true,
    });
    expect(claims.identities).toEqual([
      expect.objectContaining({ provider: 'auth0', connection: DB }),
    ]);
    expect(typeof claims.picture).toBe('string');
    expect(claims).not.toHaveProperty('mfa_secret');
    expect(claims).not.toHaveProperty('blocked');
    expect(claims).not.toHaveProperty('password_hash');
  });

  it('adds a refresh_token for offline_access with a device, and none without a device', async () => {
    const withDevice = await signIn({ scope: 'openid offline_access', device: 'Browser' }, form);
    expect(withDevice.status).toBe(200);
    expect(typeof withDevice.body.refresh_token).toBe('string');
    const without = await signIn({ scope: 'openid offline_access' }, form);
    expect(without.status).toBe(200);
    expect(without.body).not.toHaveProperty('refresh_token');
  });

  it('answers without scope with an access token only', async () => {
    const res = await signIn({}, form);
    expect(res.status).toBe(200);
    expect(res.body).toHaveProperty('access_token');
    expect(res.body).not.toHaveProperty('id_token');
  });

  it('tolerates extra fields auth0.js v7 sends (sso, response_type, Auth0-Client header)', async () => {
    const res = await postTo(
      t.url,
      '/oauth/ro',
      {
        client_id: 'signet-demo',
        connection: DB,
        grant_type: 'password',
        ...ADA,
        scope: 'openid',
        sso: 'false',
        response_type: 'token',
      },
      {
        form,
        headers: {
          'Auth0-Client': Buffer.from('{"name":"auth0.js","version":"7.6.1"}').toString(
            'base64url',
          ),
        },
      },
    );
    expect(res.status).toBe(200);
  });

  const base = roBody(DB, ADA.username, ADA.password);
  const without = (field: string) =>
    Object.fromEntries(Object.entries(base).filter(([k]) => k !== field));
  it.each([
    ['client_id', 'missing client_id parameter'],
    ['username', 'missing username parameter'],
    ['password', 'missing password parameter'],
    ['connection', 'missing connection parameter'],
  ])('answers 400 invalid_request when %s is missing', async (field, description) => {
    const res = await ro(without(field), form);
    expectError(res, 400, 'invalid_request', description);
  });

  it('answers 400 when scope is not a string', async () => {
    const res = await ro({ ...base, scope: form ? ['openid', 'email'] : ['openid'] }, form);
    expectError(res, 400, 'invalid_request', 'scope parameter must be a string');
  });

  it('refuses dotted fields with the exact description', async () => {
    const res = await ro({ ...base, 'user.name': 'x' }, form);
    expectError(res, 400, 'invalid_request', MESSAGES.dottedFields);
    expect(res.body.error_description).toBe(
      'Fields with "." are not allowed, please remove all dotted fields. Example: "user.name"',
    );
  });

  it.each([
    [
      'answers an unknown connection with "the connection was not found"',
      { connection: 'nope' },
      400,
      'invalid_request',
      'the connection was not found',
    ],
    [
      'answers a social connection with the strategy error',
      { connection: 'google-oauth2' },
      400,
      'invalid_request',
      'specified strategy does not support requested operation',
    ],
    [
      'answers an unknown client with 403 unauthorized_client "invalid client"',
      { client_id: 'who' },
      403,
      'unauthorized_client',
      'invalid client',
    ],
    [
      'answers a client without the legacy grant with the exact Grant type text',
      { client_id: 'signet-modern' },
      403,
      'unauthorized_client',
      "Grant type 'http://auth0.com/oauth/legacy/grant-type/ro' not allowed for the client.",
    ],
    [
      'answers an OIDC-conformant client with 400',
      { client_id: 'oidc-app' },
      400,
      'invalid_request',
      'OIDC conformant clients cannot use /oauth/ro',
    ],
    [
      'answers a blocked user with the right password 401 unauthorized "user is blocked"',
      { username: 'blocked@signet.test', password: BLOCKED.password },
      401,
      'unauthorized',
      'user is blocked',
    ],
  ])('%s', async (_name, change, status, error, description) => {
    const res = await ro({ ...base, ...change }, form);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error, error_description: description });
  });

  it('answers a disabled connection (or one not enabled for the client) with "the connection was disabled"', async () => {
    const disabled = await ro({ ...base, connection: 'disabled-db' }, form);
    expectError(disabled, 400, 'invalid_request', 'the connection was disabled');
    const notForClient = await ro({ ...base, client_id: 'db-only', connection: 'sms' }, form);
    expect(notForClient.body).toEqual({
      error: 'invalid_request',
      error_description: 'the connection was disabled',
    });
  });

  it('answers a wrong password and an unknown user alike: 401 invalid_user_password', async () => {
    const wrong = await ro({ ...base, password: 'nope' }, form);
    const unknown = await ro({ ...base, username: 'nobody@signet.test' }, form);
    for (const res of [wrong, unknown]) {
      expectError(res, 401, 'invalid_user_password', 'Wrong email or password.');
    }
  });
});

describe('/oauth/ro grants', () => {
  it('rejects a missing grant_type and an unsupported one', async () => {
    const missing = await ro({ client_id: 'signet-demo', connection: DB, ...ADA });
    expectError(missing, 400, 'invalid_request', 'missing grant_type parameter');
    const other = await ro({
      client_id: 'signet-demo',
      connection: DB,
      ...ADA,
      grant_type: 'client_credentials',
    });
    expect(other.status).toBe(400);
    expect(other.body.error).toBe('unsupported_grant_type');
  });

  it('signs a user in by username as well as by email, case-insensitively', async () => {
    await addDbUser(t, { email: 'Linus@Signet.test', username: 'linus', password: 'Kernel-1991' });
    for (const username of ['linus', 'LINUS', 'linus@signet.test']) {
      const res = await ro(roBody(DB, username, 'Kernel-1991'));
      expect(res.status, username).toBe(200);
    }
  });

  it('re-authenticates with the jwt-bearer grant (id_token + device) in its session, without a refresh_token', async () => {
    // An id_token never buys a refresh token, nor a scope its sign-in was not granted
    // (tenant-sessions.test.ts); offline_access was granted here, and is still not honoured.
    const first = await signIn({ scope: 'openid name offline_access', device: 'laptop' });
    const sub = (await verify(first.body.id_token)).sub;
    const res = await ro({
      client_id: 'signet-demo',
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      id_token: first.body.id_token,
      device: 'Touch ID',
      scope: 'openid name offline_access',
      connection: DB,
    });
    expect(res.status).toBe(200);
    expect(res.body.token_type.toLowerCase()).toBe('bearer');
    expect(res.body).not.toHaveProperty('refresh_token');
    const claims = await verify(res.body.id_token);
    expect(claims.sub).toBe(sub);
    expect(claims.name).toBe('Ada Lovelace');
  });

  it('answers the jwt-bearer grant without device or id_token with 400 invalid_request', async () => {
    const idToken = (await signIn({ scope: 'openid' })).body.id_token;
    const grant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
    const noDevice = await ro({ client_id: 'signet-demo', grant_type: grant, id_token: idToken });
    expectError(noDevice, 400, 'invalid_request', 'missing device parameter');
    const noToken = await ro({ client_id: 'signet-demo', grant_type: grant, device: 'd' });
    expectError(noToken, 400, 'invalid_request', 'missing id_token parameter');
  });

  it('answers the jwt-bearer grant with a forged, foreign or orphaned id_token with 400 invalid_grant', async () => {
    const grant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
    const idToken: string = (await signIn({ scope: 'openid' })).body.id_token;
    const [h, p, s] = idToken.split('.');
    const forged = [
      h,
      Buffer.from(
        JSON.stringify({
          ...JSON.parse(Buffer.from(p!, 'base64url').toString()),
          sub: 'auth0|000000000000000000000000',
        }),
      ).toString('base64url'),
      s,
    ].join('.');
    const user = await addDbUser(t, { email: 'gone@signet.test', password: 'Gone-Soon-1' });
    const goneToken = (await ro(roBody(DB, 'gone@signet.test', 'Gone-Soon-1', { scope: 'openid' })))
      .body.id_token;
    t.tenant.db.deleteUser(user.user_id);
    for (const token of [forged, 'not-a-jwt', goneToken]) {
      const res = await ro({
        client_id: 'signet-demo',
        grant_type: grant,
        id_token: token,
        device: 'd',
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
    }
  });

  it('signs an AD user in through corp-ldap with groups in the profile scope', async () => {
    const res = await ro(roBody('corp-ldap', 'grace', GRACE.password, { scope: 'openid profile' }));
    expect(res.status).toBe(200);
    const claims = await verify(res.body.id_token);
    expect(claims.sub).toMatch(/^ad\|corp-ldap\|.+/);
    expect(claims.groups).toEqual(expect.arrayContaining(['engineering', 'navy']));
    expect(claims.name).toBe('Grace Hopper');
    const wrong = await ro(roBody('corp-ldap', 'grace', 'nope'));
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({
      error: 'invalid_user_password',
      error_description: 'Wrong email or password.',
      ldap_status: '52e',
    });
  });
});

describe('/oauth/ro for an HS256 client', () => {
  it('signs the id_token with the client secret (aud = client_id, no kid)', async () => {
    const res = await ro(
      roBody(DB, ADA.username, ADA.password, { client_id: 'legacy-hs256', scope: 'openid' }),
    );
    expect(res.status).toBe(200);
    expect(decodeProtectedHeader(res.body.id_token)).toEqual({ typ: 'JWT', alg: 'HS256' });
    const { payload } = await jwtVerify(res.body.id_token, new TextEncoder().encode(HS_SECRET), {
      issuer: t.issuer,
      audience: 'legacy-hs256',
    });
    expect(payload.sub).toMatch(/^auth0\|/);
    await expect(
      jwtVerify(res.body.id_token, new TextEncoder().encode('another-secret-of-32-characters!!')),
    ).rejects.toThrow();
  });
});

describe('/oauth/ro for an HS256 client whose secret is stored encoded (secretEncoded)', () => {
  it('signs with the decoded secret bytes, as older Auth0 clients (node-auth0 2 decodes first)', async () => {
    const res = await ro(
      roBody(DB, ADA.username, ADA.password, {
        client_id: 'legacy-hs256-encoded',
        scope: 'openid',
      }),
    );
    expect(res.status).toBe(200);
    const { payload } = await jwtVerify(res.body.id_token, HS_ENCODED_KEY, {
      issuer: t.issuer,
      audience: 'legacy-hs256-encoded',
    });
    expect(payload.sub).toMatch(/^auth0\|/);
    // Not with the secret's text: that is what a client that forgot to decode would try.
    const text = new TextEncoder().encode(Buffer.from(HS_ENCODED_KEY).toString('base64url'));
    await expect(jwtVerify(res.body.id_token, text)).rejects.toThrow();
    // The tenant reads its own token back with the same key.
    const info = await postTo(t.url, '/tokeninfo', { id_token: res.body.id_token });
    expect(info.status).toBe(200);
  });

  it('refuses a secretEncoded client whose secret is not base64url, naming the field', () => {
    const r = tenantConfigSchema.safeParse({
      ...demoConfig(),
      clients: [
        {
          client_id: 'bad',
          name: 'bad',
          alg: 'HS256',
          client_secret: 'not base64url at all!!',
          secretEncoded: true,
        },
      ],
    });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/client_secret/);
  });
});

describe('/oauth/ro with MFA (TOTP)', () => {
  const secret = generateSecret();
  const creds = { username: 'mfa@signet.test', password: 'Second-Factor-1' };
  beforeAll(async () => {
    await addDbUser(t, { email: creds.username, password: creds.password, mfa_secret: secret });
  });
  const mfaSignIn = (extra: Record<string, unknown>) =>
    ro(roBody(DB, creds.username, creds.password, { scope: 'openid', ...extra }));

  it('answers a correct password without mfa_code with 401 a0.mfa_required', async () => {
    const res = await mfaSignIn({});
    expectError(res, 401, 'a0.mfa_required', MESSAGES.mfaRequired);
  });

  it('answers a wrong mfa_code with 401 a0.mfa_invalid_code', async () => {
    const good = await totp({ secret });
    const wrong = good === '000000' ? '111111' : '000000';
    const res = await mfaSignIn({ mfa_code: wrong });
    expectError(res, 401, 'a0.mfa_invalid_code', MESSAGES.mfaInvalid);
  });

  it('signs in with the current TOTP code', async () => {
    const res = await mfaSignIn({ mfa_code: await totp({ secret }) });
    expect(res.status).toBe(200);
    expect((await verify(res.body.id_token)).sub).toMatch(/^auth0\|/);
  });

  it('answers a wrong password before asking for MFA', async () => {
    const res = await mfaSignIn({ password: 'wrong' });
    expect(res.body.error).toBe('invalid_user_password');
  });
});

describe('/oauth/ro brute-force protection', () => {
  /** Adds a database user with TOTP enrolled: the TOTP secret. */
  const mfaUser = async (email: string, password: string) => {
    const secret = generateSecret();
    await addDbUser(t, { email, password, mfa_secret: secret });
    return secret;
  };
  const attempt = (username: string, password: string, dispatcher?: Agent) =>
    request(`${t.url}/oauth/ro`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(roBody(DB, username, password)),
      ...(dispatcher ? { dispatcher } : {}),
    }).then(async (r) => ({
      status: r.statusCode,
      body: (await r.body.json()) as Record<string, string>,
    }));

  it('answers the 10th wrong attempt 401 and the 11th (even with the right password) 429 too_many_attempts', async () => {
    const user = await addDbUser(t, { email: 'brute@signet.test', password: 'Right-Password-1' });
    for (let i = 1; i <= 10; i++) {
      const res = await attempt('brute@signet.test', `wrong-${i}`);
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    const eleventh = await attempt('brute@signet.test', 'Right-Password-1');
    expectError(eleventh, 429, 'too_many_attempts', MESSAGES.tooManyAttempts);
    expect(eleventh.body.error_description).toBe(
      'Your account has been blocked after multiple consecutive login attempts. We’ve sent you an email with instructions on how to unblock it.',
    );

    // Only attempts from that IP are blocked: 127.0.0.2 is another origin on loopback.
    const other = new Agent({
      connect: (opts, callback) => {
        const socket = connect({
          host: opts.hostname,
          port: Number(opts.port),
          localAddress: '127.0.0.2',
        });
        socket.once('connect', () => callback(null, socket));
        socket.once('error', (err) => callback(err, null));
        return socket;
      },
    });
    try {
      expect((await attempt('brute@signet.test', 'Right-Password-1', other)).status).toBe(200);
    } finally {
      await other.close();
    }

    // Unblocking the account lifts it.
    t.tenant.db.setBlocked(user.user_id, false);
    expect((await attempt('brute@signet.test', 'Right-Password-1')).status).toBe(200);
  });

  it('resets the count on a successful sign-in', async () => {
    await addDbUser(t, { email: 'reset@signet.test', password: 'Right-Password-2' });
    for (let i = 0; i < 9; i++)
      expect((await attempt('reset@signet.test', 'wrong')).status).toBe(401);
    expect((await attempt('reset@signet.test', 'Right-Password-2')).status).toBe(200);
    for (let i = 0; i < 9; i++)
      expect((await attempt('reset@signet.test', 'wrong')).status).toBe(401);
    expect((await attempt('reset@signet.test', 'Right-Password-2')).status).toBe(200);
  });

  it('holds the limit under concurrency: of 40 simultaneous wrong passwords exactly 10 are checked (401), 30 refused (429)', async () => {
    await addDbUser(
      t,
      { email: 'race@signet.test', password: 'Right-Password-4' },
      10, // slow enough (tens of ms) that the 40 checks overlap
    );
    const before = t.tenant.stats();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt('race@signet.test', `wrong-${i}`)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    for (const r of results.filter((x) => x.status === 429))
      expect(r.body).toEqual({
        error: 'too_many_attempts',
        error_description: MESSAGES.tooManyAttempts,
      });
    // Exactly 10 reached the password check; the others were refused before it.
    const after = t.tenant.stats();
    expect(after.failedSignIns - before.failedSignIns).toBe(10);
    expect(after.bruteForceBlocks - before.bruteForceBlocks).toBe(30);
    expect(t.tenant.db.failureCount(DB, 'race@signet.test', '127.0.0.1')).toBe(10);
    expect((await attempt('race@signet.test', 'Right-Password-4')).status).toBe(429);
  });

  it('does not refuse many simultaneous correct sign-ins of one account (no false 429)', async () => {
    await addDbUser(t, { email: 'busy@signet.test', password: 'Right-Password-5' });
    // 9 failures leave a budget of one unsettled attempt at a time; the rest wait, none is refused.
    for (let i = 0; i < 9; i++)
      expect((await attempt('busy@signet.test', 'wrong')).status).toBe(401);
    const results = await Promise.all(
      Array.from({ length: 25 }, () => attempt('busy@signet.test', 'Right-Password-5')),
    );
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 25 }, () => 200));
    expect(t.tenant.db.failureCount(DB, 'busy@signet.test', '127.0.0.1')).toBe(0);
  });

  it('counts a wrong mfa_code as a failed attempt: after 10, even the right password and code are 429', async () => {
    const secret = await mfaUser('mfa-brute@signet.test', 'Right-Password-6');
    const withCode = (mfa_code: string) =>
      ro(roBody(DB, 'mfa-brute@signet.test', 'Right-Password-6', { mfa_code }));
    const wrong = await wrongTotp(secret);
    for (let i = 1; i <= 10; i++) {
      const res = await withCode(wrong);
      expect([i, res.status, res.body.error]).toEqual([i, 401, 'a0.mfa_invalid_code']);
    }
    const blocked = await withCode(await totp({ secret }));
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('too_many_attempts');
  });

  it('neither counts nor resets on a correct password that is only asked for its mfa_code', async () => {
    const secret = await mfaUser('mfa-ask@signet.test', 'Right-Password-7');
    const body = roBody(DB, 'mfa-ask@signet.test', 'Right-Password-7');
    const wrong = await wrongTotp(secret);
    for (let i = 0; i < 9; i++) expect((await ro({ ...body, mfa_code: wrong })).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await ro(body)).body.error).toBe('a0.mfa_required');
    expect(t.tenant.db.failureCount(DB, 'mfa-ask@signet.test', '127.0.0.1')).toBe(9);
    expect((await ro({ ...body, mfa_code: await totp({ secret }) })).status).toBe(200);
    expect(t.tenant.db.failureCount(DB, 'mfa-ask@signet.test', '127.0.0.1')).toBe(0);
  });

  it('lifts the block when the password changes', async () => {
    const user = await addDbUser(t, { email: 'change@signet.test', password: 'Old-Password-3' });
    for (let i = 0; i < 10; i++) await attempt('change@signet.test', 'wrong');
    expect((await attempt('change@signet.test', 'Old-Password-3')).status).toBe(429);
    await t.tenant.db.setPassword(user.user_id, 'New-Password-3', 4);
    expect((await attempt('change@signet.test', 'New-Password-3')).status).toBe(200);
  });
});
