/**
 * Active Directory bind sub-codes: the `data` field of LDAP result 49
 * (`AcceptSecurityContext error, data 52e`), with the meanings of spec §5, for IT. Pure data,
 * shared by core (which puts the meaning in a `SignInError`'s detail) and the renderer.
 */

/** Sub-code (lower-case hex) → what it means. */
export const AD_SUBCODES: Readonly<Record<string, string>> = {
  '52e': 'wrong password',
  '525': 'no such user',
  '530': 'not permitted at this time',
  '531': 'not permitted at this workstation',
  '532': 'password expired',
  '533': 'account disabled',
  '534': 'logon type not granted',
  '701': 'account expired',
  '773': 'must reset password',
  '775': 'account locked',
};

/**
 * The meaning of a sub-code (any case, surrounding blanks ignored), or undefined when it is not
 * one of spec §5's.
 */
export function adSubcodeMeaning(code: string): string | undefined {
  const key = code.trim().toLowerCase();
  return Object.hasOwn(AD_SUBCODES, key) ? AD_SUBCODES[key] : undefined;
}
