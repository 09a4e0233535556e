/**
 * Load: 200 concurrent /oauth/ro database sign-ins of 50 distinct users all succeed, none is
 * lost or mixed up, and every counter is exact (per-user logins_count, the tenant's totals).
 * The 50 users have bcrypt cost 4 so the test measures the server, not the hash.
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postTo, startTestTenant, type TestTenant } from '../fixtures/tenant';

const DB = 'Username-Password-Authentication';
const USERS = 50;
const REQUESTS = 200;
let t: TestTenant;
const ids = new Map<string, string>();

beforeAll(async () => {
  t = await startTestTenant({ corpLdap: false });
  for (let i = 0; i < USERS; i++) {
    const u = await t.tenant.db.createUser(
      { connection: DB, email: `load${i}@signet.test`, password: `Load-Password-${i}` },
      4,
    );
    ids.set(`load${i}@signet.test`, u.user_id);
  }
});
afterAll(() => t?.close());

it('serves 200 concurrent sign-ins of 50 users: all succeed, none lost, counters exact', async () => {
  const before = t.tenant.stats();
  const jwks = createRemoteJWKSet(new URL(`${t.url}/.well-known/jwks.json`));
  const results = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, n) => {
      const i = n % USERS;
      const res = await postTo(t.url, '/oauth/ro', {
        client_id: 'signet-demo',
        connection: DB,
        grant_type: 'password',
        username: `load${i}@signet.test`,
        password: `Load-Password-${i}`,
        scope: 'openid email',
      });
      return { i, res };
    }),
  );
  expect(results.filter((r) => r.res.status !== 200).map((r) => r.res.text)).toEqual([]);

  // Each answer is for the user who asked.
  for (const { i, res } of results) {
    const { payload } = await jwtVerify(res.body.id_token, jwks, {
      issuer: t.issuer,
      audience: 'signet-demo',
    });
    expect(payload.email).toBe(`load${i}@signet.test`);
    expect(payload.sub).toBe(ids.get(`load${i}@signet.test`));
  }
  expect(new Set(results.map((r) => r.res.body.access_token)).size).toBe(REQUESTS);

  const after = t.tenant.stats();
  expect(after.signIns - before.signIns).toBe(REQUESTS);
  expect(after.failedSignIns - before.failedSignIns).toBe(0);
  expect(after.accessTokens - before.accessTokens).toBe(REQUESTS);
  const counts = t.tenant.db.listUsers(DB).filter((u) => u.email?.startsWith('load'));
  expect(counts).toHaveLength(USERS);
  for (const u of counts) expect(u.logins_count, u.email).toBe(REQUESTS / USERS);
});
