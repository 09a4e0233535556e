/**
 * The AD/LDAP connection against a real OpenLDAP (slapd started here), the in-process demo
 * directory (the pure parts: test/unit/tenant-ldap-connection.test.ts).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLdapConnection,
  ldapConnectionSchema,
  type LdapConnectionConfig,
} from '../../src/tenant/connections/ldap';
import { startDemoDirectory } from '../../src/tenant/demo-directory';
import type { TenantError } from '../../src/tenant/errors';
import type { PasswordConnection } from '../../src/tenant/types';
import { openLdapSkipped, startOpenLdap, USERS, type OpenLdap } from '../fixtures/openldap';
import { GRACE } from '../fixtures/demo';
import { answerOf, refusal } from '../fixtures/tenant';

const WRONG = 'Wrong email or password.';

/** A TCP server on 127.0.0.1 that accepts connections and never says a word. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ldap://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
describe.skipIf(openLdapSkipped())('AD/LDAP connection against OpenLDAP', () => {
  let ldap: OpenLdap;
  let conn: PasswordConnection;

  beforeAll(async () => {
    ldap = await startOpenLdap({ tls: true });
    conn = createLdapConnection('corp-ldap', ldap.connectionConfig());
  });
  afterAll(async () => {
    await ldap?.close();
  });

  it('signs alan in with his profile and groups', async () => {
    const profile = await conn.authenticate('alan', USERS.alan.password);
    expect(profile.user_id).toMatch(
      /^ad\|corp-ldap\|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(profile).toMatchObject({
      name: 'Alan Turing',
      given_name: 'Alan',
      family_name: 'Turing',
      nickname: 'alan',
      email: 'alan@signet.test',
      dn: USERS.alan.dn,
    });
    expect([...(profile.groups ?? [])].sort()).toEqual(['codebreakers', 'mathematicians']);
  });

  it('takes the name from cn when there is no displayName, and unescapes group names', async () => {
    const profile = await conn.authenticate('katherine', USERS.katherine.password);
    expect(profile.name).toBe('Katherine Johnson');
    expect([...(profile.groups ?? [])].sort()).toEqual(['Orbital, Mechanics', 'mathematicians']);
  });

  it('gives the same stable user_id at every sign-in', async () => {
    const first = await conn.authenticate('alan', USERS.alan.password);
    const second = await conn.authenticate('alan', USERS.alan.password);
    expect(second.user_id).toBe(first.user_id);
  });

  it('finds groups by search when the directory has no memberOf (groupOfNames/member={dn})', async () => {
    const bySearch = createLdapConnection(
      'corp-ldap',
      ldap.connectionConfig({
        groupSearchFilter: '(&(objectClass=groupOfNames)(member={dn}))',
        groupSearchBase: `ou=groups,${ldap.baseDN}`,
      }),
    );
    const profile = await bySearch.authenticate('katherine', USERS.katherine.password);
    // With the memberof overlay both sources find the same groups: no duplicates.
    expect([...(profile.groups ?? [])].sort()).toEqual(['Orbital, Mechanics', 'mathematicians']);
  });

  it('refuses a wrong password: 401 invalid_user_password with ldap_result 49', async () => {
    const err = await refusal(conn.authenticate('alan', 'Enigma-1913!'));
    expect(answerOf(err)).toEqual([401, 'invalid_user_password', WRONG]);
    expect(err.extra).toEqual({ ldap_result: 49 });
  });

  it('refuses an unknown user: 401 invalid_user_password', async () => {
    const err = await refusal(conn.authenticate('charles', 'Difference-Engine-1822'));
    expect(answerOf(err)).toEqual([401, 'invalid_user_password', WRONG]);
  });

  it('refuses an empty password (an unauthenticated bind would succeed)', async () => {
    const err = await refusal(conn.authenticate('alan', ''));
    expect([err.status, err.error]).toEqual([401, 'invalid_user_password']);
  });

  it.each(['*)(uid=*', '*', 'al*', 'alan)(|(uid=*', 'alan\\', '*)(objectClass=*))(&(uid=alan'])(
    'refuses the filter injection %j even with a real password',
    async (username) => {
      const err = await refusal(conn.authenticate(username, USERS.alan.password));
      expect([err.status, err.error]).toEqual([401, 'invalid_user_password']);
    },
  );

  it('finds the user again by id through the service account', async () => {
    const profile = await conn.authenticate('alan', USERS.alan.password);
    await expect(conn.findById(profile.user_id)).resolves.toEqual(profile);
  });

  it('findById: undefined for unknown ids, other connections, and without a service account', async () => {
    await expect(
      conn.findById('ad|corp-ldap|00000000-0000-4000-8000-000000000000'),
    ).resolves.toBeUndefined();
    await expect(conn.findById('ad|corp-ldap|nobody')).resolves.toBeUndefined();
    const profile = await conn.authenticate('alan', USERS.alan.password);
    await expect(
      conn.findById(profile.user_id.replace('corp-ldap', 'other')),
    ).resolves.toBeUndefined();
    const noService = createLdapConnection('corp-ldap', {
      url: ldap.url,
      bindMode: 'upn',
      realm: 'signet.test',
      baseDN: ldap.baseDN,
    });
    await expect(noService.findById(profile.user_id)).resolves.toBeUndefined();
  });

  it('a refused service account is the directory’s problem: 503 connection_unavailable', async () => {
    const bad = createLdapConnection(
      'corp-ldap',
      ldap.connectionConfig({ bindPassword: 'not-it' }),
    );
    const err = await refusal(bad.authenticate('alan', USERS.alan.password));
    expect([err.status, err.error]).toEqual([503, 'connection_unavailable']);
    expect(err.description).toContain('corp-ldap');
    expect(err.description).toContain('service account');
    expect(err.extra).toEqual({ ldap_result: 49 });
  });

  it('signs in over StartTLS and over ldaps:// with the configured CA', async () => {
    const startTls = createLdapConnection(
      'corp-ldap',
      ldap.connectionConfig({ startTLS: true, tlsCA: ldap.caFile }),
    );
    expect((await startTls.authenticate('alan', USERS.alan.password)).email).toBe(
      'alan@signet.test',
    );
    const ldaps = createLdapConnection(
      'corp-ldap',
      ldap.connectionConfig({ url: ldap.ldapsUrl, tlsCA: ldap.caFile }),
    );
    expect((await ldaps.authenticate('alan', USERS.alan.password)).email).toBe('alan@signet.test');
  });

  it('refuses a directory certificate it cannot verify (no CA configured)', async () => {
    const ldaps = createLdapConnection('corp-ldap', ldap.connectionConfig({ url: ldap.ldapsUrl }));
    const err = await refusal(ldaps.authenticate('alan', USERS.alan.password));
    expect([err.status, err.error]).toEqual([503, 'connection_unavailable']);
    expect(err.extra.ldap_error).toBe('SELF_SIGNED_CERT_IN_CHAIN');
  });
});

describe.skipIf(openLdapSkipped())('AD/LDAP connection when the directory is down', () => {
  let ldap: OpenLdap;
  beforeAll(async () => {
    ldap = await startOpenLdap();
  });
  afterAll(async () => {
    await ldap?.close();
  });

  it('answers promptly with 503 connection_unavailable once slapd is gone', async () => {
    const conn = createLdapConnection(
      'corp-ldap',
      ldap.connectionConfig({ connectTimeoutMs: 2000, timeoutMs: 2000 }),
    );
    await conn.authenticate('alan', USERS.alan.password);
    await ldap.stop();

    const started = Date.now();
    const err = await refusal(conn.authenticate('alan', USERS.alan.password));
    expect(Date.now() - started).toBeLessThan(2000);
    expect([err.status, err.error]).toEqual([503, 'connection_unavailable']);
    expect(err.description).toMatch(
      /^The directory of connection "corp-ldap" \(ldap:\/\/127\.0\.0\.1:\d+\) is unavailable: /,
    );
    expect(err.extra).toEqual({ ldap_error: 'ECONNREFUSED' });
  });
});

describe('AD/LDAP connection to a directory that never answers', () => {
  /** Tries alan's sign-in on a connection (timeouts 400 ms) to a server that never answers. */
  async function signInToSilence(
    config: Omit<LdapConnectionConfig, 'url' | 'baseDN' | 'timeoutMs' | 'connectTimeoutMs'>,
  ): Promise<{ err: TenantError; elapsed: number }> {
    const silent = await silentServer();
    try {
      const conn = createLdapConnection('corp-ldap', {
        ...config,
        url: silent.url,
        baseDN: 'dc=signet,dc=test',
        timeoutMs: 400,
        connectTimeoutMs: 400,
      });
      const started = Date.now();
      const err = await refusal(conn.authenticate('alan', 'whatever'));
      return { err, elapsed: Date.now() - started };
    } finally {
      await silent.close();
    }
  }

  it('gives up after timeoutMs with 503 connection_unavailable (ldap_error timeout), never hangs', async () => {
    const { err, elapsed } = await signInToSilence({
      bindMode: 'search',
      bindDN: 'cn=reader,dc=signet,dc=test',
      bindPassword: 'x',
    });
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(1500);
    expect([err.status, err.error]).toEqual([503, 'connection_unavailable']);
    expect(err.extra).toEqual({ ldap_error: 'timeout' });
  });

  it('a StartTLS that never completes times out too', async () => {
    const { err, elapsed } = await signInToSilence({
      bindMode: 'upn',
      realm: 'signet.test',
      startTLS: true,
    });
    expect(elapsed).toBeLessThan(1500);
    expect([err.status, err.error, err.extra.ldap_error]).toEqual([
      503,
      'connection_unavailable',
      'timeout',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('demo directory (in-process, ldapjs)', () => {
  let demo: Awaited<ReturnType<typeof startDemoDirectory>>;
  let conn: PasswordConnection;
  beforeAll(async () => {
    demo = await startDemoDirectory();
    conn = createLdapConnection('corp-ldap', demo.connectionConfig);
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('listens on 127.0.0.1 and hands out a config pointing at itself', () => {
    expect(demo.url).toMatch(/^ldap:\/\/127\.0\.0\.1:\d+$/);
    expect(demo.connectionConfig.url).toBe(demo.url);
    expect(ldapConnectionSchema.safeParse(demo.connectionConfig).success).toBe(true);
  });

  it('signs grace in with her profile and groups', async () => {
    const profile = await conn.authenticate('grace', GRACE.password);
    expect(profile).toMatchObject({
      user_id: expect.stringMatching(/^ad\|corp-ldap\|.+/),
      name: 'Grace Hopper',
      given_name: 'Grace',
      family_name: 'Hopper',
      email: 'grace@corp.signet.test',
      upn: 'grace@corp.signet.test',
      nickname: 'grace',
      groups: ['engineering', 'navy'],
    });
    await expect(conn.findById(profile.user_id)).resolves.toEqual(profile);
  });

  it('accepts her UPN as the user name too', async () => {
    const profile = await conn.authenticate('grace@corp.signet.test', GRACE.password);
    expect(profile.name).toBe('Grace Hopper');
  });

  it('answers a wrong password like AD (data 52e), mapped per §5', async () => {
    const err = await refusal(conn.authenticate('grace', 'Cobol-1960!'));
    expect(answerOf(err)).toEqual([401, 'invalid_user_password', WRONG]);
    expect(err.extra).toEqual({ ldap_status: '52e', ldap_result: 49 });
  });

  it('refuses unknown users and filter injection', async () => {
    await expect(refusal(conn.authenticate('ada', GRACE.password))).resolves.toMatchObject({
      error: 'invalid_user_password',
    });
    await expect(refusal(conn.authenticate('*', GRACE.password))).resolves.toMatchObject({
      error: 'invalid_user_password',
    });
  });

  it('is down once closed: 503 connection_unavailable, at once', async () => {
    const other = await startDemoDirectory();
    const c = createLdapConnection('corp-ldap', other.connectionConfig);
    await other.close();
    const started = Date.now();
    const err = await refusal(c.authenticate('grace', GRACE.password));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err.error).toBe('connection_unavailable');
  });
});
