/**
 * Active Directory bind sub-codes (the `data` field of LDAP result 49), explained for IT: the
 * shared table core uses too, with a fallback for a code outside spec §5. Core usually sends
 * its own meaning along; this is for when it does not.
 */
import { adSubcodeMeaning as meaningOf } from '../../shared/ad-subcodes';

export function adSubcodeMeaning(code: string): string {
  return meaningOf(code) ?? 'unknown sub-code';
}
