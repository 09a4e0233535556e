import { describe, expect, it } from 'vitest';
import { adSubcode, adSubcodeMeaning, AD_SUBCODES } from '../../src/shared/ad-subcodes';
import { E164, EMAIL, OTP_CODE_LENGTH } from '../../src/shared/auth0-protocol';
import { homeRealm } from '../../src/shared/client-config';
import { z } from 'zod';
import { requests } from '../../src/main/ipc-requests';

describe('one-time code length (shared/auth0-protocol.ts)', () => {
  const sms = (code: string) =>
    requests.signInWithSms.safeParse({ phone: '+14155550100', code, scope: 'basic' }).success;
  const mfa = (mfaCode: string) =>
    requests.signIn.safeParse({
      connection: 'db',
      username: 'u',
      password: 'p',
      scope: 'basic',
      mfaCode,
    }).success;

  it('is 6 digits, as Auth0 sends them', () => {
    expect(OTP_CODE_LENGTH).toBe(6);
  });

  it.each([
    ['123456', true],
    ['1234', false],
    ['12345', false],
    ['1234567', false],
    ['12345678', false],
    ['12345a', false],
  ])(
    'IPC takes an SMS code of 6 digits only (a 4- or 8-digit code never reaches core): %j → %s',
    (code, accepted) => {
      expect(sms(code)).toBe(accepted);
    },
  );

  it.each([
    ['654321', true],
    ['65432', false],
    ['6543210', false],
  ])('IPC takes an authenticator code of the same length only: %j → %s', (code, accepted) => {
    expect(mfa(code)).toBe(accepted);
  });
});

describe('the phone rule (E164, shared/auth0-protocol.ts)', () => {
  it('IPC takes exactly the numbers core and the tenant take, Auth0’s pattern', () => {
    const numbers = ['+14155550100', '+4420794600', '+290123', '+0123', '+', '14155550100'];
    const ipc = numbers.filter((phone) => requests.startSms.safeParse({ phone }).success);
    expect(ipc).toEqual(numbers.filter((phone) => E164.test(phone)));
    expect(ipc).toEqual(['+14155550100', '+4420794600', '+290123', '+0123']);
    expect(requests.startSms.safeParse({ phone: `+${'1'.repeat(16)}` }).success).toBe(false);
  });
});

describe('the AD sub-code table (shared/ad-subcodes.ts)', () => {
  it("gives spec §5's answer and meaning for every sub-code", () => {
    expect(Object.keys(AD_SUBCODES).sort()).toEqual(
      ['525', '52e', '530', '531', '532', '533', '534', '701', '773', '775'].sort(),
    );
    expect(adSubcode('52E')).toMatchObject({ status: 401, error: 'invalid_user_password' });
    expect(adSubcode('773')).toMatchObject({ status: 401, error: 'password_change_required' });
    expect(adSubcode('701')).toMatchObject({ error: 'unauthorized', account: 'expired' });
    expect(adSubcode('775')).toMatchObject({ status: 429, error: 'too_many_attempts' });
    expect(adSubcodeMeaning(' 533')).toBe('account disabled');
    expect(adSubcode('toString')).toBeUndefined();
  });
});

describe('one email rule (shared/auth0-protocol.ts EMAIL)', () => {
  const samples = [
    'ada@signet.test',
    'Ada.Lovelace+work@Corp.Example',
    "o'brien@x-y.example",
    'adá@x.test',
    'a@b.c',
    'a b@c.test',
    'a@b@c.test',
    '.a@b.test',
    'a..b@c.test',
    'a@-b.test',
    'a@b.test.',
    'a@localhost',
    '@b.test',
    'a@',
  ];

  it('accepts exactly what the tenant’s sign-up accepts (zod’s email), so core never sends what it refuses', () => {
    const tenant = z.email();
    for (const email of samples)
      expect([email, EMAIL.test(email)]).toEqual([email, tenant.safeParse(email).success]);
    expect(EMAIL.test('adá@x.test')).toBe(false);
    expect(EMAIL.test('a@b.c')).toBe(false);
  });

  it('home-realm discovery reads a domain only from such an address', () => {
    const ad = [{ name: 'corp', kind: 'ad', domains: ['corp.example'] }];
    expect(homeRealm(' Ada@Corp.Example ', ad)?.name).toBe('corp');
    expect(homeRealm('adá@corp.example', ad)).toBeUndefined();
    expect(homeRealm('a b@corp.example', ad)).toBeUndefined();
  });
});
