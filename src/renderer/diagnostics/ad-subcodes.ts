/**
 * Active Directory bind sub-codes (the `data` field of LDAP result 49), explained for IT.
 * Core usually sends its own meaning along; this is the fallback.
 */
const MEANINGS: Readonly<Record<string, string>> = {
  '52e': 'wrong password',
  '525': 'no such user',
  '530': 'not permitted to sign in at this time',
  '531': 'not permitted to sign in at this workstation',
  '532': 'password expired',
  '533': 'account disabled',
  '534': 'logon type not granted',
  '701': 'account expired',
  '773': 'must reset password',
  '775': 'account locked',
};

export function adSubcodeMeaning(code: string): string {
  return MEANINGS[code.toLowerCase()] ?? 'unknown sub-code';
}
