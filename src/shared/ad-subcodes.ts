/**
 * Active Directory bind sub-codes: the `data` field of LDAP result 49
 * (`AcceptSecurityContext error, data 52e`), with spec §5's answer and meaning for each. The one
 * table: the local tenant answers a refused bind with its status/error/description, core puts
 * its meaning in a `SignInError`'s detail and words the user's sentence by its `account` state,
 * the renderer shows the meaning to IT. Pure data.
 */
import { MESSAGES } from './auth0-protocol';

export interface AdSubcode {
  /** HTTP status of the tenant's answer. */
  status: number;
  /** Auth0's `error` code. */
  error:
    'invalid_user_password' | 'password_change_required' | 'unauthorized' | 'too_many_attempts';
  /** Auth0's `error_description`. */
  description: string;
  /** What the sub-code means, for IT. */
  meaning: string;
  /** The state of an account that cannot sign in, for the user's sentence. */
  account?: 'disabled' | 'expired' | 'locked';
}

const wrong = {
  status: 401,
  error: 'invalid_user_password',
  description: MESSAGES.wrongPassword,
} as const;
const change = {
  status: 401,
  error: 'password_change_required',
  description: MESSAGES.passwordChangeRequired,
} as const;
const blocked = { status: 401, error: 'unauthorized', description: MESSAGES.blocked } as const;

/** Sub-code (lower-case hex) → spec §5's answer and meaning. */
export const AD_SUBCODE_TABLE: Readonly<Record<string, AdSubcode>> = {
  '52e': { ...wrong, meaning: 'wrong password' },
  '525': { ...wrong, meaning: 'no such user' },
  '530': { ...wrong, meaning: 'not permitted at this time' },
  '531': { ...wrong, meaning: 'not permitted at this workstation' },
  '532': { ...change, meaning: 'password expired' },
  '533': { ...blocked, meaning: 'account disabled', account: 'disabled' },
  '534': { ...blocked, meaning: 'logon type not granted', account: 'disabled' },
  '701': { ...blocked, meaning: 'account expired', account: 'expired' },
  '773': { ...change, meaning: 'must reset password' },
  '775': {
    status: 429,
    error: 'too_many_attempts',
    description: MESSAGES.tooManyAttempts,
    meaning: 'account locked',
    account: 'locked',
  },
};

/** Sub-code (lower-case hex) → what it means: the table's meanings alone. */
export const AD_SUBCODES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(AD_SUBCODE_TABLE).map(([code, row]) => [code, row.meaning]),
);

/**
 * The table's row for a sub-code (any case, surrounding blanks ignored), or undefined when it is
 * not one of spec §5's.
 */
export function adSubcode(code: string): AdSubcode | undefined {
  const key = code.trim().toLowerCase();
  return Object.hasOwn(AD_SUBCODE_TABLE, key) ? AD_SUBCODE_TABLE[key] : undefined;
}

/**
 * The meaning of a sub-code (any case, surrounding blanks ignored), or undefined when it is not
 * one of spec §5's.
 */
export function adSubcodeMeaning(code: string): string | undefined {
  return adSubcode(code)?.meaning;
}
