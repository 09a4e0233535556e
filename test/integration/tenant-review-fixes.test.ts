/**
 * The local tenant after the issue 9 review (findings 3, 5, 7 and 10): an IPv6 host gets no
 * fresh password tries by rotating through its /64, jwt-bearer renewals are rate-limited and a
 * session keeps a bounded number of id_token rows, a gateway's error text reaches the log without
 * terminal escapes or bidi overrides, and /userinfo refuses an AD user gone from the directory.
 * Real HTTP over loopback against the tenant, a real gateway on loopback, a real OpenLDAP.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionResolver } from '../../src/tenant/account-keys';
import { BruteForceGuard } from '../../src/tenant/brute-force';
import { ID_TOKENS_PER_SESSION, TenantDatabase } from '../../src/tenant/database';
import { TenantError } from '../../src/tenant/errors';
import { startSmsGateway, startTenantOnGateway, type SmsGateway } from '../fixtures/sms-gateway';
import { openLdapSkipped, startOpenLdap, USERS, type OpenLdap } from '../fixtures/openldap';
import {
  getFrom,
  postTo,
  roBody,
  startSms,
  startTestTenant,
  type TestTenant,
} from '../fixtures/tenant';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const DATABASE = 'Username-Password-Authentication';
const ADA = { email: 'ada@signet.test', password: 'Analytical-Engine-1843' };
/** What may not reach a terminal: C0/C1 controls, DEL, line separators, bidi overrides/isolates. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const signIn = async (t: TestTenant, scope = 'openid') => {
  const res = await postTo(t.url, '/oauth/ro', {
    client_id: t.clientId,
    connection: DATABASE,
    grant_type: 'password',
    username: ADA.email,
    password: ADA.password,
    scope,
  });
  expect(res.status, res.text).toBe(200);
  return res.body as { id_token: string; access_token: string };
};
const renew = (t: TestTenant, id_token: string) =>
  postTo(t.url, '/oauth/ro', {
    client_id: t.clientId,
    grant_type: JWT_BEARER,
    id_token,
    device: 'laptop',
    scope: 'openid',
  });

describe('brute-force protection counts an IPv6 address by its /64 (finding 3)', () => {
  let dir: string;
  let db: TenantDatabase;
  let guard: BruteForceGuard;
  const THRESHOLD = 3;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'signet-guard-'));
    db = new TenantDatabase(join(dir, 'tenant.sqlite'));
    guard = new BruteForceGuard(
      db,
      THRESHOLD,
      { failedSignIns: 0, bruteForceBlocks: 0 },
      connectionResolver(new Map()),
    );
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const wrong = () => Promise.reject(new TenantError(401, 'invalid_user_password', 'wrong'));
  const outcome = (account: string, ip: string) =>
    guard.attempt({ connection: DATABASE, account, ip }, wrong).then(
      () => 'signed in',
      (err: TenantError) => err.error,
    );

  // A loopback socket cannot come from several addresses of one /64, so the guard is fed them.
  it('after the threshold from one address, another address of the same /64 is refused too', async () => {
    for (let i = 1; i <= THRESHOLD; i++)
      expect(await outcome('mallory@signet.test', `2001:db8:1:2::${i.toString(16)}`)).toBe(
        'invalid_user_password',
      );
    for (const rotated of ['2001:db8:1:2:ffff:1:2:3', '2001:0db8:0001:0002::beef'])
      expect(await outcome('mallory@signet.test', rotated)).toBe('too_many_attempts');
    // Another /64 is another host; IPv4 addresses still count one by one.
    expect(await outcome('mallory@signet.test', '2001:db8:1:3::1')).toBe('invalid_user_password');
    for (let i = 1; i <= THRESHOLD; i++)
      expect(await outcome('eve@signet.test', '192.0.2.1')).toBe('invalid_user_password');
    expect(await outcome('eve@signet.test', '192.0.2.1')).toBe('too_many_attempts');
    expect(await outcome('eve@signet.test', '::ffff:192.0.2.1')).toBe('too_many_attempts');
    expect(await outcome('eve@signet.test', '192.0.2.2')).toBe('invalid_user_password');
  });
});

describe('jwt-bearer renewals are limited and a session keeps a bounded number of id_tokens (finding 5)', () => {
  let t: TestTenant;
  /** How far the tenant's clock is ahead of the real one (ms). */
  let offset = 0;
  beforeAll(async () => {
    t = await startTestTenant({ corpLdap: false, now: () => Date.now() + offset });
  });
  afterAll(() => t?.close());

  it('the 11th renewal within a minute is 429 too_many_requests with Retry-After', async () => {
    offset = 0;
    let { id_token } = await signIn(t);
    for (let i = 1; i <= 10; i++) {
      const res = await renew(t, id_token);
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(10 - i));
      id_token = res.body.id_token;
    }
    const refused = await renew(t, id_token);
    expect(refused.status, refused.text).toBe(429);
    expect(refused.body.error).toBe('too_many_requests');
    expect(refused.body.error_description).toMatch(/10 per minute per user and IP/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    // A minute later the user renews again.
    offset = 61_000;
    expect((await renew(t, id_token)).status).toBe(200);
  });

  it(`a session never holds more than ${ID_TOKENS_PER_SESSION} id_token rows, and its newest id_token renews`, async () => {
    offset = 10 * 60_000; // past the previous test's window
    let { id_token } = await signIn(t);
    const rowsOfSession = () =>
      t.tenant.db.db
        .prepare<[string], { n: number }>(
          `SELECT COUNT(*) AS n FROM id_tokens WHERE session_id =
            (SELECT session_id FROM id_tokens WHERE token_hash = ?)`,
        )
        .get(createHash('sha256').update(id_token).digest('hex'))?.n ?? 0;
    let most = 0;
    for (let i = 1; i <= ID_TOKENS_PER_SESSION + 10; i++) {
      // A new second each time (one second's renewals are one token), 10 a minute at most.
      offset += 6_100;
      const res = await renew(t, id_token);
      expect(res.status, res.text).toBe(200);
      id_token = res.body.id_token;
      most = Math.max(most, rowsOfSession());
    }
    expect(most).toBe(ID_TOKENS_PER_SESSION);
    const info = await postTo(t.url, '/tokeninfo', { id_token });
    expect(info.status, info.text).toBe(200);
  });
});

describe('a gateway’s error text is logged without control characters (finding 7)', () => {
  let gateway: SmsGateway;
  let gatewayUrl: string;
  const HOSTILE =
    'gateway-says: \u202eevil\u202c \u001b]0;pwned\u0007\u001b[2J\u009b31m\r\nforged line\u2066x\u2069';
  beforeAll(async () => {
    gateway = await startSmsGateway(() => ({ status: 500, type: 'text/plain', body: HOSTILE }));
    gatewayUrl = gateway.url;
  });
  afterAll(() => gateway.close());

  it('a 500 body with ESC sequences and a bidi override reaches the log as one clean line', async () => {
    const lines: string[] = [];
    const t = await startTenantOnGateway(gatewayUrl, { log: (line) => lines.push(line) });
    try {
      const res = await startSms(t.url, '+14155550123');
      expect(res.body.error).toBe('sms_provider_error');
      const logged = lines.filter((l) => l.includes('gateway-says'));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toContain('evil');
      expect(logged[0]).toContain('forged line');
      expect(logged[0]).not.toMatch(CONTROL);
    } finally {
      await t.close();
    }
  });
});

describe.skipIf(openLdapSkipped())(
  '/userinfo refuses an AD user gone from the directory (finding 10)',
  () => {
    let ldap: OpenLdap;
    let t: TestTenant;
    beforeAll(async () => {
      ldap = await startOpenLdap();
      t = await startTestTenant({ corpLdap: ldap.connectionConfig() });
    });
    afterAll(async () => {
      await t?.close();
      await ldap?.close();
    });

    it('an access token of a deleted directory user is refused at /userinfo', async () => {
      const signedIn = await postTo(
        t.url,
        '/oauth/ro',
        roBody('corp-ldap', 'alan', USERS.alan.password, { scope: 'openid' }),
      );
      expect(signedIn.status, signedIn.text).toBe(200);
      const bearer = { authorization: `Bearer ${signedIn.body.access_token as string}` };
      const before = await getFrom(t.url, '/userinfo', bearer);
      expect(before.status, before.text).toBe(200);
      expect(before.body.sub).toMatch(/^ad\|corp-ldap\|/);

      const admin = new Client({ url: ldap.url });
      await admin.bind(ldap.adminDN, ldap.adminPassword);
      try {
        await admin.del(USERS.alan.dn);
      } finally {
        await admin.unbind();
      }
      const after = await getFrom(t.url, '/userinfo', bearer);
      expect(after.status, after.text).toBe(401);
      expect(after.body.error).toBe('invalid_token');
    });
  },
);

describe('/userinfo of an AD user on the demo directory (finding 10)', () => {
  it('looks the user up through the service account and answers while the user is there', async () => {
    const t = await startTestTenant();
    try {
      const res = await postTo(
        t.url,
        '/oauth/ro',
        roBody('corp-ldap', 'grace', 'Cobol-1959!', { scope: 'openid' }),
      );
      expect(res.status, res.text).toBe(200);
      const info = await getFrom(t.url, '/userinfo', {
        authorization: `Bearer ${res.body.access_token as string}`,
      });
      expect(info.status, info.text).toBe(200);
      expect(info.body.nickname).toBe('grace');
    } finally {
      await t.close();
    }
  });
});
