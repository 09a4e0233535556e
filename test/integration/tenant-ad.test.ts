/**
 * The AD/LDAP connection against a real Active Directory: a Samba AD domain controller
 * (test/fixtures/samba-ad.ts, provisioned once per run), through `createLdapConnection` and
 * through the local tenant's `/oauth/ro` over HTTP. Every account state answers with the
 * sub-code Samba really sends (spec §5), kept in the body's `ldap_status`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLdapConnection,
  formatGuid,
  type LdapConnectionConfig,
} from '../../src/tenant/connections/ldap';
import type { PasswordConnection, UserProfile } from '../../src/tenant/types';
import {
  AD_ACCOUNTS,
  DOMAIN,
  DNS_DOMAIN,
  LDAPS_URL,
  LOCKOUT_THRESHOLD,
  SAMBA_AD_SETUP_TIMEOUT_MS,
  SAMBA_TOOL,
  sambaAdSkipped,
  useSambaAd,
  type AdAccount,
  type SambaAd,
} from '../fixtures/samba-ad';
import {
  answerOf,
  postTo,
  startTestTenant,
  type TestTenant,
  roBody,
  refusal,
} from '../fixtures/tenant';

const run = promisify(execFile);

const WRONG = 'Wrong email or password.';
const BLOCKED = 'user is blocked';
const CHANGE = 'Password change required.';
const TOO_MANY =
  'Your account has been blocked after multiple consecutive login attempts. We’ve sent you an email with instructions on how to unblock it.';

type StateKey = 'disabled' | 'accountExpired' | 'passwordExpired' | 'mustChange' | 'locked';

/** Spec §5 for each state account: [account, AD sub-code, status, error, description]. */
const STATES: [StateKey, string, number, string, string][] = [
  ['disabled', '533', 401, 'unauthorized', BLOCKED],
  ['accountExpired', '701', 401, 'unauthorized', BLOCKED],
  ['passwordExpired', '532', 401, 'password_change_required', CHANGE],
  ['mustChange', '773', 401, 'password_change_required', CHANGE],
  ['locked', '775', 429, 'too_many_attempts', TOO_MANY],
];

const { ada, katherine, outsider, lockMe } = AD_ACCOUNTS;
const sortedGroups = (p: UserProfile) => [...(p.groups ?? [])].sort();

function guidOf(userId: string): string {
  return userId.slice(userId.lastIndexOf('|') + 1);
}

describe.skipIf(sambaAdSkipped())('AD connection against Samba AD', () => {
  let ad: SambaAd;
  /** One config per bind mode, all on plain LDAP with nested groups. */
  let modes: Record<'search' | 'upn' | 'domain', LdapConnectionConfig>;

  beforeAll(async () => {
    ad = await useSambaAd();
    modes = {
      search: ad.connectionConfig({ nestedGroups: true }),
      upn: ad.connectionConfig({
        bindMode: 'upn',
        realm: DNS_DOMAIN,
        bindDN: undefined,
        bindPassword: undefined,
        nestedGroups: true,
      }),
      domain: ad.connectionConfig({
        bindMode: 'domain',
        domain: DOMAIN,
        bindDN: undefined,
        bindPassword: undefined,
        nestedGroups: true,
      }),
    };
  }, SAMBA_AD_SETUP_TIMEOUT_MS);

  afterAll(() => {
    if (!ad) return;
    const t = ad.timings;
    const m = ad.measureMemory();
    const mib = (kib: number) => (kib / 1024).toFixed(0);
    console.log(
      `[samba-ad] waited ${t.waitMs} ms, provision ${t.provisionMs} ms, seed ${t.seedMs} ms, start ${t.startMs} ms, ` +
        `lockout ${t.lockoutMs} ms, total ${t.totalMs} ms${ad.startedHere ? '' : ' (started by another file)'}; ` +
        `after the tests: samba ${mib(m.sambaRssKiB)} MiB RSS, ${m.processes} samba/smbd processes ` +
        `${mib(m.totalRssKiB)} MiB RSS / ${mib(m.totalPssKiB)} MiB PSS`,
    );
  });

  // -------------------------------------------------------------------------------------------
  describe('through createLdapConnection', () => {
    const conn = (mode: 'search' | 'upn' | 'domain', extra: Partial<LdapConnectionConfig> = {}) =>
      createLdapConnection('corp-ad', { ...modes[mode], ...extra });
    /** One account's sign-ins under several `[mode, typed name]`, all at once: the profiles. */
    const signInAs = (password: string, ways: ['search' | 'upn' | 'domain', string][]) =>
      Promise.all(ways.map(([mode, name]) => conn(mode).authenticate(name, password)));

    it('search mode: service account finds ada by sAMAccountName, then she binds; profile and memberOf groups', async () => {
      const profile = await conn('search', { nestedGroups: false }).authenticate(
        'ada',
        ada.password,
      );
      expect(profile).toMatchObject({
        user_id: expect.stringMatching(
          /^ad\|corp-ad\|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        ),
        dn: ada.dn,
        name: 'Ada Lovelace',
        given_name: 'Ada',
        family_name: 'Lovelace',
        nickname: 'ada',
        email: 'ada@signet.test',
        upn: 'ada@signet.test',
      });
      expect(sortedGroups(profile)).toEqual([...ada.groups].sort());
      expect(ada.groups).toEqual(['Mathematicians', 'Engineering']);
    });

    it('nestedGroups adds the group she is in only through nesting (1.2.840.113556.1.4.1941)', async () => {
      const profile = await conn('search').authenticate('ada', ada.password);
      expect(ada.nestedGroups).toEqual(['All Staff']);
      expect(sortedGroups(profile)).toEqual(['All Staff', 'Engineering', 'Mathematicians']);
    });

    it('user_id is the objectGUID exactly as Samba prints it', async () => {
      const profile = await conn('search').authenticate('ada', ada.password);
      const { stdout } = await run(
        SAMBA_TOOL,
        ['user', 'show', 'ada', '--attributes=objectGUID', '-s', join(ad.dcDir, 'etc/smb.conf')],
        { env: { ...process.env, PYTHONPATH: '', PYTHONHOME: '' }, timeout: 30_000 },
      );
      const printed = /^objectGUID: ([0-9a-f-]{36})$/m.exec(stdout)?.[1];
      expect(printed).toBeDefined();
      expect(guidOf(profile.user_id)).toBe(printed);
      // …and as the raw bytes format through formatGuid.
      const client = new Client({ url: ad.url });
      try {
        await client.bind(AD_ACCOUNTS.reader.dn, AD_ACCOUNTS.reader.password);
        const { searchEntries } = await client.search(ada.dn, {
          scope: 'base',
          attributes: ['objectGUID'],
          explicitBufferAttributes: ['objectGUID'],
        });
        expect(formatGuid(searchEntries[0]?.objectGUID as Buffer)).toBe(printed);
      } finally {
        await client.unbind();
      }
    });

    it('binds as the UPN (typed in full or with the realm appended) and as DOMAIN\\user: same account, same profile', async () => {
      const bySearch = await conn('search').authenticate('ada', ada.password);
      const results = await signInAs(ada.password, [
        ['upn', 'ada'],
        ['upn', 'ada@signet.test'],
        ['upn', 'ADA@SIGNET.TEST'],
        ['domain', 'ada'],
        ['domain', 'SIGNET\\ada'],
        ['domain', 'signet\\ada'],
      ]);
      for (const profile of results) expect(profile).toEqual(bySearch);
    });

    it('the user whose UPN differs from its sAMAccountName signs in every way as one account', async () => {
      expect(katherine).toMatchObject({
        sam: 'kjohnson',
        upn: 'katherine.johnson@signet.test',
      });
      const bySearch = await conn('search').authenticate('kjohnson', katherine.password);
      expect(bySearch).toMatchObject({
        nickname: 'kjohnson',
        upn: 'katherine.johnson@signet.test',
        name: 'Katherine Johnson',
        email: 'katherine.johnson@signet.test',
        dn: katherine.dn,
      });
      expect(sortedGroups(bySearch)).toEqual(['Mathematicians']);
      const others = await signInAs(katherine.password, [
        ['upn', 'katherine.johnson'],
        ['upn', 'katherine.johnson@signet.test'],
        // AD also takes the implicit UPN sAMAccountName@domain: still her entry, not a stub.
        ['upn', 'kjohnson'],
        ['domain', 'kjohnson'],
        ['domain', 'SIGNET\\kjohnson'],
        // A UPN typed into a domain-mode connection is used as it is.
        ['domain', 'katherine.johnson@signet.test'],
      ]);
      for (const profile of others) expect(profile).toEqual(bySearch);
      // Search mode finds users by sAMAccountName only (its default filter).
      const err = await refusal(
        conn('search').authenticate('katherine.johnson', katherine.password),
      );
      expect(err.error).toBe('invalid_user_password');
    });

    describe.each(['search', 'upn', 'domain'] as const)(
      '%s mode: account states (spec §5)',
      (mode) => {
        it.each(STATES)(
          '%s with the right password → AD data %s → %i %s',
          async (key, subCode, status, error, description) => {
            const account: AdAccount = AD_ACCOUNTS[key];
            expect(account.subCode).toBe(subCode);
            const err = await refusal(conn(mode).authenticate(account.sam, account.password));
            expect(answerOf(err)).toEqual([status, error, description]);
            expect(err.extra).toEqual({ ldap_status: subCode, ldap_result: 49 });
          },
        );
      },
    );

    it.each(STATES)(
      '%s with a wrong password: AD tells nothing but 52e (775 stays 775)',
      async (key, subCode) => {
        const account: AdAccount = AD_ACCOUNTS[key];
        const err = await refusal(conn('upn').authenticate(account.sam, 'Not-The-Password-1!'));
        if (subCode === '775') {
          expect([err.status, err.error, err.extra.ldap_status]).toEqual([
            429,
            'too_many_attempts',
            '775',
          ]);
        } else {
          expect(answerOf(err)).toEqual([401, 'invalid_user_password', WRONG]);
          expect(err.extra).toEqual({ ldap_status: '52e', ldap_result: 49 });
        }
      },
    );

    it('a wrong password is 52e → 401 invalid_user_password, in every mode', async () => {
      for (const mode of ['search', 'upn', 'domain'] as const) {
        const err = await refusal(conn(mode).authenticate('ada', 'Analytical-Engine-1844'));
        expect([mode, ...answerOf(err)]).toEqual([mode, 401, 'invalid_user_password', WRONG]);
        expect(err.extra).toEqual({ ldap_status: '52e', ldap_result: 49 });
      }
    });

    it('an unknown user: Samba answers 52e to the bind; search mode finds nobody', async () => {
      const bind = await refusal(conn('upn').authenticate('charles', 'Difference-Engine-1822'));
      expect([bind.status, bind.error]).toEqual([401, 'invalid_user_password']);
      expect(bind.extra).toEqual({ ldap_status: '52e', ldap_result: 49 });
      const search = await refusal(
        conn('search').authenticate('charles', 'Difference-Engine-1822'),
      );
      expect([search.status, search.error, search.extra]).toEqual([
        401,
        'invalid_user_password',
        {},
      ]);
    });

    it('the lockout policy: 3 wrong passwords (52e each) lock the account, then even the right one is 775 → 429', async () => {
      const c = conn('upn');
      for (let i = 1; i <= LOCKOUT_THRESHOLD; i++) {
        const err = await refusal(c.authenticate(lockMe.sam, `Wrong-Guess-${i}!`));
        expect([i, err.error, err.extra.ldap_status]).toEqual([i, 'invalid_user_password', '52e']);
      }
      const locked = await refusal(c.authenticate(lockMe.sam, lockMe.password));
      expect(answerOf(locked)).toEqual([429, 'too_many_attempts', TOO_MANY]);
      expect(locked.extra).toEqual({ ldap_status: '775', ldap_result: 49 });
    });

    it('accounts outside the policy (no-lockout PSO) take any number of wrong passwords', async () => {
      const c = conn('upn');
      for (let i = 0; i <= LOCKOUT_THRESHOLD; i++) {
        const err = await refusal(c.authenticate('ada', `Wrong-Guess-${i}!`));
        expect(err.extra.ldap_status).toBe('52e');
      }
      await expect(c.authenticate('ada', ada.password)).resolves.toMatchObject({ nickname: 'ada' });
    });

    it('refuses a user outside the search base even with the right password', async () => {
      expect(outsider.outsideBase).toBe(true);
      // The directory itself accepts the bind…
      const client = new Client({ url: ad.url });
      await client.bind(outsider.upn, outsider.password);
      await client.unbind();
      // …the connection, whose baseDN is OU=Staff, does not.
      for (const [mode, name] of [
        ['search', 'outsider'],
        ['upn', 'outsider'],
        ['upn', 'outsider@signet.test'],
        ['domain', 'SIGNET\\outsider'],
      ] as const) {
        const err = await refusal(conn(mode).authenticate(name, outsider.password));
        expect([mode, name, ...answerOf(err)]).toEqual([
          mode,
          name,
          401,
          'invalid_user_password',
          WRONG,
        ]);
        expect(err.extra).toEqual({});
      }
      // The service account itself is outside too: it cannot sign in.
      const reader = await refusal(
        conn('upn').authenticate(AD_ACCOUNTS.reader.sam, AD_ACCOUNTS.reader.password),
      );
      expect(reader.error).toBe('invalid_user_password');
    });

    it('finds ada again by objectGUID through the service account', async () => {
      const c: PasswordConnection = conn('search');
      const profile = await c.authenticate('ada', ada.password);
      await expect(c.findById(profile.user_id)).resolves.toEqual(profile);
      // upn mode with a service account can look users up too; without one it cannot.
      const upnWithReader = createLdapConnection('corp-ad', {
        ...modes.upn,
        bindDN: AD_ACCOUNTS.reader.dn,
        bindPassword: AD_ACCOUNTS.reader.password,
      });
      const viaUpn = await upnWithReader.authenticate('ada', ada.password);
      await expect(upnWithReader.findById(viaUpn.user_id)).resolves.toEqual(viaUpn);
      await expect(conn('upn').findById(viaUpn.user_id)).resolves.toBeUndefined();
      await expect(
        c.findById('ad|corp-ad|00000000-0000-4000-8000-000000000000'),
      ).resolves.toBeUndefined();
    });

    it('reads a disabled or expired account as blocked when looking it up, so its tokens stop', async () => {
      const c: PasswordConnection = conn('search');
      for (const account of [AD_ACCOUNTS.disabled, AD_ACCOUNTS.accountExpired]) {
        // accountId gives the entry's stable id (its objectGUID); a token's sub carries it.
        const guid = await c.accountId?.(account.sam);
        expect(guid, account.sam).toMatch(/^[0-9a-f-]{36}$/);
        await expect(c.findById(`ad|corp-ad|${guid}`)).resolves.toMatchObject({ blocked: true });
      }
      const profile = await c.authenticate('ada', ada.password);
      expect(profile.blocked).toBeUndefined();
      await expect(c.findById(profile.user_id)).resolves.not.toHaveProperty('blocked');
    });

    describe('TLS with Samba’s own certificate', () => {
      const tls = (overrides: Partial<LdapConnectionConfig>) =>
        createLdapConnection('corp-ad', { ...modes.search, ...overrides });

      it('is issued to the DC’s name, not to 127.0.0.1', () => {
        expect(ad.tlsServerName.toLowerCase()).toBe(`dc1.${DNS_DOMAIN}`);
      });

      it('LDAPS and StartTLS sign in with tlsCA (Samba’s ca.pem) and tlsServerName', async () => {
        const ldaps = await tls({
          url: ad.ldapsUrl,
          tlsCA: ad.caFile,
          tlsServerName: ad.tlsServerName,
        }).authenticate('ada', ada.password);
        const startTls = await tls({
          startTLS: true,
          tlsCA: ad.caFile,
          tlsServerName: ad.tlsServerName,
        }).authenticate('ada', ada.password);
        const plain = await conn('search').authenticate('ada', ada.password);
        expect(ldaps).toEqual(plain);
        expect(startTls).toEqual(plain);
        // States come through TLS the same way.
        const err = await refusal(
          tls({
            url: ad.ldapsUrl,
            bindMode: 'upn',
            realm: DNS_DOMAIN,
            tlsCA: ad.caFile,
            tlsServerName: ad.tlsServerName,
          }).authenticate('disabled', AD_ACCOUNTS.disabled.password),
        );
        expect([err.error, err.extra.ldap_status]).toEqual(['unauthorized', '533']);
      });

      it.each([
        ['LDAPS', { url: LDAPS_URL }],
        ['StartTLS', { startTLS: true }],
      ] as const)(
        '%s without the CA: 503 connection_unavailable with tls_error, saying to set tlsCA',
        async (_label, overrides: Partial<LdapConnectionConfig>) => {
          const err = await refusal(
            tls({ ...overrides, tlsServerName: ad.tlsServerName }).authenticate(
              'ada',
              ada.password,
            ),
          );
          expect([err.status, err.error]).toEqual([503, 'connection_unavailable']);
          expect(err.extra).toEqual({
            ldap_error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
            tls_error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
          });
          expect(err.description).toMatch(
            /^The directory of connection "corp-ad" \(ldaps?:\/\/127\.0\.0\.1:(389|636)\) is unavailable: TLS failed \(.+\): the directory's certificate could not be verified: .+; set tlsCA to the PEM file of the CA that signed it\.$/,
          );
        },
      );

      it('with the CA but checked against 127.0.0.1: says which name the certificate carries', async () => {
        const err = await refusal(
          tls({ url: ad.ldapsUrl, tlsCA: ad.caFile }).authenticate('ada', ada.password),
        );
        expect([err.status, err.error, err.extra.tls_error]).toEqual([
          503,
          'connection_unavailable',
          'ERR_TLS_CERT_ALTNAME_INVALID',
        ]);
        expect(err.description).toContain(`CN=${ad.tlsServerName}`);
        expect(err.description).toContain('is not issued to "127.0.0.1"');
        expect(err.description).toContain('tlsServerName');
      });
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('through the tenant’s /oauth/ro over HTTP', () => {
    let t: TestTenant;
    let jwks: ReturnType<typeof createRemoteJWKSet>;

    beforeAll(async () => {
      const tlsBase = { tlsCA: ad.caFile, tlsServerName: ad.tlsServerName };
      t = await startTestTenant({
        corpLdap: modes.search,
        connections: [
          { type: 'ad', name: 'corp-ad-upn', ldap: modes.upn },
          { type: 'ad', name: 'corp-ad-domain', ldap: modes.domain },
          {
            type: 'ad',
            name: 'corp-ad-ldaps',
            ldap: { ...modes.search, url: ad.ldapsUrl, ...tlsBase },
          },
          {
            type: 'ad',
            name: 'corp-ad-starttls',
            ldap: { ...modes.upn, startTLS: true, ...tlsBase },
          },
          {
            type: 'ad',
            name: 'corp-ad-no-ca',
            ldap: { ...modes.search, url: ad.ldapsUrl, tlsServerName: ad.tlsServerName },
          },
        ],
      });
      jwks = createRemoteJWKSet(new URL(`${t.url}/.well-known/jwks.json`));
    });
    afterAll(async () => {
      await t?.close();
    });

    const ro = (connection: string, username: string, password: string) =>
      postTo(
        t.url,
        '/oauth/ro',
        roBody(connection, username, password, { scope: 'openid profile' }),
      );

    async function claimsOf(idToken: string): Promise<JWTPayload> {
      const { payload } = await jwtVerify(idToken, jwks, {
        issuer: t.issuer,
        audience: t.clientId,
      });
      return payload;
    }

    it('signs ada in: id_token with her objectGUID id, profile and groups (nested resolved)', async () => {
      const res = await ro('corp-ldap', 'ada', ada.password);
      expect(res.status).toBe(200);
      expect(res.body.token_type.toLowerCase()).toBe('bearer');
      const claims = await claimsOf(res.body.id_token);
      expect(claims.sub).toMatch(/^ad\|corp-ldap\|[0-9a-f-]{36}$/);
      expect(claims).toMatchObject({
        name: 'Ada Lovelace',
        email: 'ada@signet.test',
        upn: 'ada@signet.test',
        nickname: 'ada',
      });
      expect([...(claims.groups as string[])].sort()).toEqual([
        'All Staff',
        'Engineering',
        'Mathematicians',
      ]);
    });

    it('the same person through upn (implicit UPN too), domain, LDAPS and StartTLS connections', async () => {
      const guid = async (connection: string, username: string, password: string) => {
        const res = await ro(connection, username, password);
        expect([connection, username, res.status]).toEqual([connection, username, 200]);
        const claims = await claimsOf(res.body.id_token);
        expect(claims.sub?.startsWith(`ad|${connection}|`)).toBe(true);
        return guidOf(claims.sub as string);
      };
      const ids = await Promise.all([
        guid('corp-ldap', 'kjohnson', katherine.password),
        guid('corp-ad-upn', 'katherine.johnson', katherine.password),
        guid('corp-ad-upn', 'kjohnson', katherine.password),
        guid('corp-ad-domain', 'SIGNET\\kjohnson', katherine.password),
        guid('corp-ad-ldaps', 'kjohnson', katherine.password),
        guid('corp-ad-starttls', 'katherine.johnson@signet.test', katherine.password),
      ]);
      expect(new Set(ids).size).toBe(1);
    });

    it.each(STATES)(
      '%s → AD data %s → %i %s, with ldap_status in the body',
      async (key, subCode, status, error, description) => {
        const account: AdAccount = AD_ACCOUNTS[key];
        for (const connection of ['corp-ldap', 'corp-ad-upn', 'corp-ad-domain']) {
          const res = await ro(connection, account.sam, account.password);
          expect([connection, res.status]).toEqual([connection, status]);
          expect(res.body).toEqual({
            error,
            error_description: description,
            ldap_status: subCode,
            ldap_result: 49,
          });
        }
      },
    );

    it('a wrong password → 401 invalid_user_password with ldap_status 52e', async () => {
      const res = await ro('corp-ad-upn', 'ada', 'Analytical-Engine-1844');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        error: 'invalid_user_password',
        error_description: WRONG,
        ldap_status: '52e',
        ldap_result: 49,
      });
    });

    it('a user outside the search base → 401 invalid_user_password', async () => {
      for (const [connection, username] of [
        ['corp-ldap', 'outsider'],
        ['corp-ad-upn', 'outsider'],
        ['corp-ad-domain', 'SIGNET\\outsider'],
      ]) {
        const res = await ro(connection as string, username as string, outsider.password);
        expect([connection, res.status, res.body]).toEqual([
          connection,
          401,
          { error: 'invalid_user_password', error_description: WRONG },
        ]);
      }
    });

    it('LDAPS without the CA → 503 connection_unavailable with tls_error', async () => {
      const res = await ro('corp-ad-no-ca', 'ada', ada.password);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        error: 'connection_unavailable',
        ldap_error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
        tls_error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      });
      expect(res.body.error_description).toContain('set tlsCA');
    });
  });
});
