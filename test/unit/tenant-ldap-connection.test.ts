/**
 * The pure parts of the AD/LDAP connection (src/tenant/connections/ldap.ts): AD bind sub-codes
 * of spec §5, filter templates and escaping, names, objectGUID text, and the config schema.
 * The connection against real directories: test/integration/tenant-ldap.test.ts (OpenLDAP,
 * the demo directory) and tenant-ad.test.ts (Samba AD).
 */
import { describe, expect, it } from 'vitest';
import {
  bindFailureError,
  fillTemplate,
  firstRdnValue,
  formatGuid,
  guidBytes,
  ldapConnectionSchema,
  loginNames,
  parseAdSubCode,
  type LdapConnectionConfig,
} from '../../src/tenant/connections/ldap';
import { TenantError } from '../../src/tenant/errors';
import { answerOf } from '../fixtures/tenant';

const WRONG = 'Wrong email or password.';

/** The first path of the config's first schema issue ('' for the root, undefined when valid). */
const issue = (cfg: unknown) =>
  ldapConnectionSchema.safeParse(cfg).error?.issues[0]?.path.join('.');

describe('AD bind sub-codes (spec §5), pure', () => {
  const ad = (data: string) =>
    `80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data ${data}, v4563`;
  const rows: [string, number, string, string][] = [
    ['52e', 401, 'invalid_user_password', WRONG],
    ['525', 401, 'invalid_user_password', WRONG],
    ['530', 401, 'invalid_user_password', WRONG],
    ['531', 401, 'invalid_user_password', WRONG],
    ['532', 401, 'password_change_required', 'Password change required.'],
    ['533', 401, 'unauthorized', 'user is blocked'],
    ['534', 401, 'unauthorized', 'user is blocked'],
    ['701', 401, 'unauthorized', 'user is blocked'],
    ['773', 401, 'password_change_required', 'Password change required.'],
    [
      '775',
      429,
      'too_many_attempts',
      'Your account has been blocked after multiple consecutive login attempts. We’ve sent you an email with instructions on how to unblock it.',
    ],
  ];

  it.each(rows)('data %s → %i %s', (data, status, error, description) => {
    const err = bindFailureError(49, ad(data));
    expect(err).toBeInstanceOf(TenantError);
    expect(answerOf(err)).toEqual([status, error, description]);
    expect(err.extra).toEqual({ ldap_status: data, ldap_result: 49 });
    expect(err.toBody()).toEqual({
      error,
      error_description: description,
      ldap_status: data,
      ldap_result: 49,
    });
  });

  it('reads the sub-code whatever the case and the v-suffix (Samba: "data 52e, v1db1")', () => {
    expect(
      parseAdSubCode(
        '80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 52e, v1db1',
      ),
    ).toBe('52e');
    expect(parseAdSubCode('... DATA 775, v3839')).toBe('775');
    expect(parseAdSubCode('invalid credentials')).toBeUndefined();
    expect(parseAdSubCode(undefined)).toBeUndefined();
  });

  it('plain OpenLDAP invalidCredentials (49, no sub-code) → invalid_user_password with ldap_result only', () => {
    const err = bindFailureError(49, '');
    expect(answerOf(err)).toEqual([401, 'invalid_user_password', WRONG]);
    expect(err.extra).toEqual({ ldap_result: 49 });
  });

  it('an unknown sub-code is still a wrong credential, and keeps the raw sub-code', () => {
    const err = bindFailureError(49, ad('568'));
    expect([err.status, err.error]).toEqual([401, 'invalid_user_password']);
    expect(err.extra).toEqual({ ldap_status: '568', ldap_result: 49 });
  });
});

describe('LDAP helpers, pure', () => {
  it('escapes filter values per RFC 4515', () => {
    expect(fillTemplate('(uid={0})', { '0': '*)(uid=*' })).toBe('(uid=\\2a\\29\\28uid=\\2a)');
    expect(fillTemplate('(uid={0})', { '0': 'a\\b\0c' })).toBe('(uid=a\\5cb\\00c)');
    expect(fillTemplate('(cn={0})', { '0': 'Zoë O’Brien' })).toBe('(cn=Zoë O’Brien)');
  });

  it('fills templates in one pass, so an inserted {dn} is not expanded again', () => {
    expect(fillTemplate('(uid={0})', { '0': '{dn}' })).toBe('(uid={dn})');
    expect(fillTemplate('(&(member={dn})(x={0}))', { dn: 'cn=a\\,b', '0': 'z*' })).toBe(
      '(&(member=cn=a\\5c,b)(x=z\\2a))',
    );
    expect(fillTemplate('(userPrincipalName={upn})', { upn: 'g@corp' })).toBe(
      '(userPrincipalName=g@corp)',
    );
  });

  it('takes the cn of memberOf DNs, escapes included', () => {
    expect(firstRdnValue('CN=Domain Admins,CN=Users,DC=corp,DC=test')).toBe('Domain Admins');
    expect(firstRdnValue('cn=Orbital\\, Mechanics,ou=groups,dc=x')).toBe('Orbital, Mechanics');
    expect(firstRdnValue('cn=Orbital\\2C Mechanics,ou=groups,dc=x')).toBe('Orbital, Mechanics');
    expect(firstRdnValue('cn=Z\\C3\\BCrich,dc=x')).toBe('Zürich');
    expect(firstRdnValue('nonsense')).toBeUndefined();
  });

  it('formats objectGUID as AD prints it', () => {
    const bytes = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    expect(formatGuid(bytes)).toBe('33221100-5544-7766-8899-aabbccddeeff');
  });

  it('builds bind names for upn and domain mode', () => {
    expect(loginNames({ bindMode: 'upn', realm: 'corp.test' }, 'grace')).toEqual({
      bindName: 'grace@corp.test',
      bare: 'grace',
      upn: 'grace@corp.test',
    });
    expect(loginNames({ bindMode: 'upn', realm: 'corp.test' }, 'grace@other.test').bindName).toBe(
      'grace@other.test',
    );
    expect(loginNames({ bindMode: 'domain', domain: 'CORP' }, 'grace')).toEqual({
      bindName: 'CORP\\grace',
      bare: 'grace',
      upn: undefined,
    });
    expect(loginNames({ bindMode: 'domain', domain: 'CORP' }, 'OTHER\\grace')).toEqual({
      bindName: 'OTHER\\grace',
      bare: 'grace',
      upn: undefined,
    });
    expect(loginNames({ bindMode: 'search' }, 'grace').bare).toBe('grace');
  });

  it('validates the connection config and names the field', () => {
    const base: LdapConnectionConfig = {
      url: 'ldap://127.0.0.1:389',
      bindMode: 'search',
      baseDN: 'dc=x',
      bindDN: 'cn=r,dc=x',
      bindPassword: 'p',
    };
    expect(ldapConnectionSchema.safeParse(base).success).toBe(true);
    expect(issue({ ...base, url: 'http://127.0.0.1' })).toBe('url');
    expect(issue({ ...base, url: 'ldap://127.0.0.1/dc=x??sub' })).toBe('url');
    expect(issue({ ...base, bindDN: undefined, bindPassword: undefined })).toBe('bindDN');
    expect(issue({ ...base, tlsCA: '/tmp/ca.pem' })).toBe('tlsCA');
    expect(issue({ ...base, url: 'ldaps://127.0.0.1', startTLS: true })).toBe('startTLS');
    expect(issue({ ...base, userFilter: 'uid={0}' })).toBe('userFilter');
    expect(issue({ ...base, userFilter: '(uid={0}' })).toBe('userFilter');
    expect(issue({ ...base, timeoutMs: 0 })).toBe('timeoutMs');
    expect(issue({ ...base, colour: 'red' })).toBe('');
  });
});

describe('objectGUID bytes, pure', () => {
  it('guidBytes is the inverse of formatGuid (AD’s mixed-endian text form)', () => {
    const bytes = Buffer.from('f1cd5939f5b8fe46a9a209022303 47e8'.replace(/ /g, ''), 'hex');
    const text = formatGuid(bytes);
    expect(text).toBe('3959cdf1-b8f5-46fe-a9a2-0902230347e8');
    expect(guidBytes(text).equals(bytes)).toBe(true);
    expect(guidBytes(text.toUpperCase()).equals(bytes)).toBe(true);
  });
});

describe('tlsServerName, pure', () => {
  const base: LdapConnectionConfig = {
    url: 'ldaps://127.0.0.1:636',
    bindMode: 'upn',
    realm: 'signet.test',
    baseDN: 'DC=signet,DC=test',
  };

  it('is a host name, used only with ldaps:// or startTLS', () => {
    expect(issue({ ...base, tlsServerName: 'dc1.signet.test' })).toBeUndefined();
    expect(
      issue({
        ...base,
        url: 'ldap://127.0.0.1',
        startTLS: true,
        tlsServerName: 'DC1.signet.test',
      }),
    ).toBeUndefined();
    expect(issue({ ...base, url: 'ldap://127.0.0.1', tlsServerName: 'dc1.signet.test' })).toBe(
      'tlsServerName',
    );
    expect(issue({ ...base, tlsServerName: 'ldaps://dc1.signet.test' })).toBe('tlsServerName');
    expect(issue({ ...base, tlsServerName: 'dc1 signet' })).toBe('tlsServerName');
  });
});
