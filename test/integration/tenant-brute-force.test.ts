/**
 * Brute-force protection counts the account, not the spelling (issue 9, item 1): after 10
 * failures, every other way of writing the same account's name — other case, `@realm`,
 * `DOMAIN\`, email instead of username, another attribute the directory matches — gets 429
 * `too_many_attempts` even with the right password; a name with white space around it is
 * refused (400) rather than counted apart. Against the database, a real OpenLDAP and Samba AD,
 * through the tenant's /oauth/ro and /oauth/token over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRANT, MESSAGES } from '../../src/shared/auth0-protocol';
import { openLdapSkipped, startOpenLdap, USERS, type OpenLdap } from '../fixtures/openldap';
import {
  AD_ACCOUNTS,
  DOMAIN,
  DNS_DOMAIN,
  SAMBA_AD_SETUP_TIMEOUT_MS,
  sambaAdSkipped,
  useSambaAd,
} from '../fixtures/samba-ad';
import { addDbUser, postTo, startTestTenant, type TestTenant, roBody } from '../fixtures/tenant';

const DB = 'Username-Password-Authentication';
const TOO_MANY = { error: 'too_many_attempts', error_description: MESSAGES.tooManyAttempts };

/** /oauth/ro password grant on `connection`. */
const ro = (t: TestTenant, connection: string, username: string, password: string) =>
  postTo(t.url, '/oauth/ro', roBody(connection, username, password, { scope: 'openid' }));

/** /oauth/token password-realm grant on `realm`. */
const realmGrant = (t: TestTenant, realm: string, username: string, password: string) =>
  postTo(t.url, '/oauth/token', {
    client_id: t.clientId,
    grant_type: GRANT.passwordRealm,
    realm,
    username,
    password,
    scope: 'openid',
  });

/** `[spelling, status, error]` of a sign-in per spelling, for one readable assertion. */
async function outcomes(
  spellings: string[],
  signIn: (username: string) => Promise<{ status: number; body: Record<string, unknown> }>,
): Promise<Array<[string, number, unknown]>> {
  const out: Array<[string, number, unknown]> = [];
  for (const s of spellings) {
    const res = await signIn(s);
    out.push([s, res.status, res.body.error]);
  }
  return out;
}

const all = (spellings: string[], status: number, error: unknown) =>
  spellings.map((s): [string, number, unknown] => [s, status, error]);

describe('database connection: the account, whatever its spelling', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await startTestTenant({ corpLdap: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  const user = async (email: string, username: string, password: string) =>
    addDbUser(t, { email, username, password });

  it('after 10 wrong passwords as the email, the username and other-case spellings with the right password are 429 on /oauth/ro and /oauth/token', async () => {
    await user('spell@signet.test', 'speller', 'Right-Spelling-1');
    for (let i = 1; i <= 10; i++) {
      const res = await ro(t, DB, 'spell@signet.test', `wrong-${i}`);
      expect([i, res.status, res.body.error]).toEqual([i, 401, 'invalid_user_password']);
    }
    const others = ['speller', 'SPELLER', 'Speller', 'SPELL@SIGNET.TEST', 'Spell@Signet.Test'];
    const viaRo = await outcomes(others, (u) => ro(t, DB, u, 'Right-Spelling-1'));
    expect(viaRo).toEqual(all(others, 429, 'too_many_attempts'));
    const viaToken = await outcomes(others, (u) => realmGrant(t, DB, u, 'Right-Spelling-1'));
    expect(viaToken).toEqual(all(others, 429, 'too_many_attempts'));
    expect((await ro(t, DB, 'speller', 'Right-Spelling-1')).body).toEqual(TOO_MANY);
  });

  it('after 10 wrong passwords as the username, the email with the right password is 429', async () => {
    await user('other-way@signet.test', 'otherway', 'Right-Spelling-2');
    for (let i = 0; i < 10; i++) expect((await ro(t, DB, 'OtherWay', 'wrong')).status).toBe(401);
    expect((await ro(t, DB, 'other-way@signet.test', 'Right-Spelling-2')).body).toEqual(TOO_MANY);
    expect((await realmGrant(t, DB, 'other-way@signet.test', 'Right-Spelling-2')).body).toEqual(
      TOO_MANY,
    );
  });

  it('failures spread over spellings add up: 10 in all, then every spelling is 429', async () => {
    await user('spread@signet.test', 'spreader', 'Right-Spelling-3');
    const spellings = ['spread@signet.test', 'SPREADER', 'Spread@signet.test', 'spreader'];
    for (let i = 0; i < 10; i++) {
      const res = await ro(t, DB, spellings[i % spellings.length]!, 'wrong');
      expect([i, res.status]).toEqual([i, 401]);
    }
    expect(await outcomes(spellings, (u) => ro(t, DB, u, 'Right-Spelling-3'))).toEqual(
      all(spellings, 429, 'too_many_attempts'),
    );
  });

  it('holds under concurrency across spellings: of 40 simultaneous wrong passwords in 4 spellings exactly 10 are checked', async () => {
    await addDbUser(
      t,
      { email: 'race-spell@signet.test', username: 'racer', password: 'Right-Spelling-4' },
      10, // slow enough that the checks overlap
    );
    const spellings = ['race-spell@signet.test', 'RACER', 'racer', 'Race-Spell@Signet.Test'];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => ro(t, DB, spellings[i % 4]!, `wrong-${i}`)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    expect((await ro(t, DB, 'racer', 'Right-Spelling-4')).status).toBe(429);
  });

  it('refuses a user name with white space around it (400 invalid_request), without counting it', async () => {
    await user('spaced@signet.test', 'spaced', 'Right-Spelling-5');
    const spaced = [
      ' spaced@signet.test',
      'spaced@signet.test ',
      ' spaced',
      'spaced\t',
      '\u00a0spaced', // no-break space
      'spaced\u3000', // ideographic space
    ];
    for (const u of spaced) {
      for (const res of [
        await ro(t, DB, u, 'Right-Spelling-5'),
        await realmGrant(t, DB, u, 'Right-Spelling-5'),
      ]) {
        expect([JSON.stringify(u), res.status, res.body]).toEqual([
          JSON.stringify(u),
          400,
          { error: 'invalid_request', error_description: MESSAGES.usernameWhitespace },
        ]);
      }
    }
    // Many of them with a wrong password still count nothing.
    for (let i = 0; i < 12; i++) expect((await ro(t, DB, ' spaced ', 'wrong')).status).toBe(400);
    expect((await ro(t, DB, 'spaced', 'Right-Spelling-5')).status).toBe(200);
  });

  it('a success under one spelling resets the count of every spelling', async () => {
    await user('reset-spell@signet.test', 'resetter', 'Right-Spelling-6');
    for (let i = 0; i < 9; i++) expect((await ro(t, DB, 'resetter', 'wrong')).status).toBe(401);
    expect((await ro(t, DB, 'reset-spell@signet.test', 'Right-Spelling-6')).status).toBe(200);
    // A fresh 10 for the account, whatever spelling is used next.
    for (let i = 0; i < 9; i++) expect((await ro(t, DB, 'RESETTER', 'wrong')).status).toBe(401);
    expect((await ro(t, DB, 'resetter', 'Right-Spelling-6')).status).toBe(200);
  });

  it('unblock and a new password lift the block for every spelling', async () => {
    const u = await user('lift@signet.test', 'lifter', 'Right-Spelling-7');
    const spellings = ['lift@signet.test', 'LIFTER', 'lifter', 'LIFT@signet.test'];
    for (let i = 0; i < 10; i++) await ro(t, DB, spellings[i % 4]!, 'wrong');
    expect((await ro(t, DB, 'lifter', 'Right-Spelling-7')).status).toBe(429);
    t.tenant.db.setBlocked(u.user_id, false);
    expect(await outcomes(spellings, (s) => ro(t, DB, s, 'Right-Spelling-7'))).toEqual(
      all(spellings, 200, undefined),
    );
    for (let i = 0; i < 10; i++) await ro(t, DB, spellings[i % 4]!, 'wrong');
    expect((await ro(t, DB, 'LIFT@SIGNET.TEST', 'Right-Spelling-7')).status).toBe(429);
    await t.tenant.db.setPassword(u.user_id, 'New-Spelling-7', 4);
    expect(await outcomes(spellings, (s) => ro(t, DB, s, 'New-Spelling-7'))).toEqual(
      all(spellings, 200, undefined),
    );
  });

  it('an unknown user is counted under its normalised name: other case and width share the 10', async () => {
    for (let i = 0; i < 10; i++)
      expect((await ro(t, DB, 'ghost@signet.test', 'wrong')).status).toBe(401);
    for (const u of ['GHOST@signet.test', 'ｇｈｏｓｔ@signet.test'])
      expect((await ro(t, DB, u, 'wrong')).body).toEqual(TOO_MANY);
    // Another domain is another account.
    expect((await ro(t, DB, 'ghost@other.test', 'wrong')).status).toBe(401);
  });
});

describe.skipIf(openLdapSkipped())('OpenLDAP: the entry, whatever its spelling', () => {
  let ldap: OpenLdap;
  let t: TestTenant;
  const LDAP = 'corp-ldap';

  beforeAll(async () => {
    ldap = await startOpenLdap();
    // alan is found by uid, mail or cn: three names of one entry.
    t = await startTestTenant({
      corpLdap: ldap.connectionConfig({
        userFilter: '(&(objectClass=inetOrgPerson)(|(uid={0})(mail={0})(cn={0})))',
      }),
    });
  });
  afterAll(async () => {
    await t?.close();
    await ldap?.close();
  });

  it('every spelling signs alan in (so each is a real name of the account), fullwidth too', async () => {
    const spellings = [
      'alan',
      'ALAN',
      'alan@signet.test',
      'Alan Turing',
      'ALAN TURING',
      'ａｌａｎ',
    ];
    expect(await outcomes(spellings, (u) => ro(t, LDAP, u, USERS.alan.password))).toEqual(
      all(spellings, 200, undefined),
    );
  });

  it('after 10 wrong passwords as `alan`, his mail, his cn and other case with the right password are 429', async () => {
    for (let i = 1; i <= 10; i++) {
      const res = await ro(t, LDAP, 'alan', `Wrong-${i}`);
      expect([i, res.status, res.body.error]).toEqual([i, 401, 'invalid_user_password']);
    }
    const others = [
      'ALAN',
      'alan@signet.test',
      'ALAN@SIGNET.TEST',
      'Alan Turing',
      'alan turing',
      'ａｌａｎ', // fullwidth: OpenLDAP's string preparation (RFC 4518) folds it to alan
    ];
    expect(await outcomes(others, (u) => ro(t, LDAP, u, USERS.alan.password))).toEqual(
      all(others, 429, 'too_many_attempts'),
    );
    expect(await outcomes(others, (u) => realmGrant(t, LDAP, u, USERS.alan.password))).toEqual(
      all(others, 429, 'too_many_attempts'),
    );
    // White space around the name, which the directory would ignore, is refused.
    const spaced = await ro(t, LDAP, 'alan ', USERS.alan.password);
    expect([spaced.status, spaced.body.error_description]).toEqual([
      400,
      MESSAGES.usernameWhitespace,
    ]);
  });

  it('failures spread over katherine’s names add up to one block', async () => {
    const spellings = ['katherine', 'Katherine Johnson', 'katherine@signet.test', 'KATHERINE'];
    for (let i = 0; i < 10; i++) {
      const res = await ro(t, LDAP, spellings[i % spellings.length]!, 'Wrong-1!');
      expect([i, res.status]).toEqual([i, 401]);
    }
    expect(await outcomes(spellings, (u) => ro(t, LDAP, u, USERS.katherine.password))).toEqual(
      all(spellings, 429, 'too_many_attempts'),
    );
  });
});

describe.skipIf(sambaAdSkipped())('Samba AD: the account, whatever its spelling', () => {
  let t: TestTenant;
  const { ada, katherine } = AD_ACCOUNTS;

  beforeAll(async () => {
    const ad = await useSambaAd();
    const domain = { bindMode: 'domain' as const, domain: DOMAIN, realm: DNS_DOMAIN };
    t = await startTestTenant({
      corpLdap: false,
      connections: [
        // No service account: a failed bind tells nothing; the normalised name counts.
        {
          type: 'ad',
          name: 'ad-domain',
          ldap: ad.connectionConfig({ ...domain, bindDN: undefined, bindPassword: undefined }),
        },
        // With one, the account behind a name is found first: sAMAccountName and UPN are one.
        { type: 'ad', name: 'ad-domain-reader', ldap: ad.connectionConfig(domain) },
        {
          type: 'ad',
          name: 'ad-search',
          ldap: ad.connectionConfig({
            userFilter: '(|(sAMAccountName={0})(userPrincipalName={0}))',
          }),
        },
      ],
    });
  }, SAMBA_AD_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await t?.close();
  });

  const adaSpellings = ['ada', 'ADA', `ada@${DNS_DOMAIN.toUpperCase()}`, `${DOMAIN}\\ada`];

  it('user, USER, user@REALM and DOMAIN\\user all sign ada in (domain bind mode)', async () => {
    expect(await outcomes(adaSpellings, (u) => ro(t, 'ad-domain', u, ada.password))).toEqual(
      all(adaSpellings, 200, undefined),
    );
  });

  it('without a service account: after 10 wrong passwords as `ada`, USER, user@REALM and DOMAIN\\user with the right password are 429', async () => {
    for (let i = 1; i <= 10; i++) {
      const res = await ro(t, 'ad-domain', 'ada', `Wrong-${i}!`);
      expect([i, res.status, res.body.error]).toEqual([i, 401, 'invalid_user_password']);
    }
    const others = adaSpellings.slice(1);
    expect(await outcomes(others, (u) => ro(t, 'ad-domain', u, ada.password))).toEqual(
      all(others, 429, 'too_many_attempts'),
    );
    expect(await outcomes(others, (u) => realmGrant(t, 'ad-domain', u, ada.password))).toEqual(
      all(others, 429, 'too_many_attempts'),
    );
  });

  it('with a service account: 10 wrong passwords as the UPN block the sAMAccountName spellings (katherine.johnson@ ≠ kjohnson)', async () => {
    const others = [
      katherine.sam,
      katherine.sam.toUpperCase(),
      `${DOMAIN}\\${katherine.sam}`,
      `${katherine.sam}@${DNS_DOMAIN}`,
    ];
    // Each is a real name of her account.
    expect(
      await outcomes([katherine.upn, ...others], (u) =>
        ro(t, 'ad-domain-reader', u, katherine.password),
      ),
    ).toEqual(all([katherine.upn, ...others], 200, undefined));
    for (let i = 1; i <= 10; i++) {
      const res = await ro(t, 'ad-domain-reader', katherine.upn, `Wrong-${i}!`);
      expect([i, res.status]).toEqual([i, 401]);
    }
    expect(await outcomes(others, (u) => ro(t, 'ad-domain-reader', u, katherine.password))).toEqual(
      all(others, 429, 'too_many_attempts'),
    );
  });

  it('without a service account, once she signed in: 10 wrong passwords as the UPN block `DOMAIN\\kjohnson` and `kjohnson`', async () => {
    // The first success tells the tenant that both names are her account.
    expect((await ro(t, 'ad-domain', katherine.sam, katherine.password)).status).toBe(200);
    for (let i = 1; i <= 10; i++) {
      const res = await ro(t, 'ad-domain', katherine.upn, `Wrong-${i}!`);
      expect([i, res.status]).toEqual([i, 401]);
    }
    const others = [`${DOMAIN}\\${katherine.sam}`, katherine.sam, katherine.upn.toUpperCase()];
    expect(await outcomes(others, (u) => ro(t, 'ad-domain', u, katherine.password))).toEqual(
      all(others, 429, 'too_many_attempts'),
    );
  });

  it('search mode: 10 wrong passwords as `kjohnson` block her UPN and `KJOHNSON` (the service account finds one entry)', async () => {
    const others = [katherine.upn, katherine.upn.toUpperCase(), katherine.sam.toUpperCase()];
    expect(
      await outcomes([katherine.sam, ...others], (u) => ro(t, 'ad-search', u, katherine.password)),
    ).toEqual(all([katherine.sam, ...others], 200, undefined));
    for (let i = 0; i < 10; i++)
      expect((await ro(t, 'ad-search', katherine.sam, 'Wrong-Search-1!')).status).toBe(401);
    expect(await outcomes(others, (u) => ro(t, 'ad-search', u, katherine.password))).toEqual(
      all(others, 429, 'too_many_attempts'),
    );
  });
});
