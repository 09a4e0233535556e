/**
 * Active Directory bind sub-codes (the `data` field of LDAP result 49), explained in the
 * window's language. The codes are spec §5's (src/shared/ad-subcodes.ts, the one table core
 * and the local tenant use); their meanings are translated here for the employee, since the
 * window is theirs too. The exported report keeps the English meaning, for IT's ticket.
 */
import { adSubcode, adSubcodeMeaning as meaningOf } from '../../shared/ad-subcodes';
import type { MessageKey, Translate } from '../i18n';

/** Spec §5's sub-code → the catalog key of its meaning. */
const MEANINGS: Readonly<Record<string, MessageKey>> = {
  '52e': 'diagnostics.ad.52e',
  '525': 'diagnostics.ad.525',
  '530': 'diagnostics.ad.530',
  '531': 'diagnostics.ad.531',
  '532': 'diagnostics.ad.532',
  '533': 'diagnostics.ad.533',
  '534': 'diagnostics.ad.534',
  '701': 'diagnostics.ad.701',
  '773': 'diagnostics.ad.773',
  '775': 'diagnostics.ad.775',
};

/**
 * What a sub-code means: the translated meaning for one of spec §5's codes; else what the
 * server said (English, as sent: `sent: true`); else "unknown sub-code".
 */
export function adSubcodeText(
  t: Translate,
  code: string,
  serverMeaning?: string | null,
): { text: string; sent: boolean } {
  const key = adSubcode(code) ? MEANINGS[code.trim().toLowerCase()] : undefined;
  if (key) return { text: t(key), sent: false };
  if (serverMeaning) return { text: serverMeaning, sent: true };
  return { text: t('diagnostics.ad.unknown'), sent: false };
}

/**
 * The English meaning (spec §5's words), or "unknown sub-code": for the error banner's
 * details until it shows `adSubcodeText`.
 */
export function adSubcodeMeaning(code: string): string {
  return meaningOf(code) ?? 'unknown sub-code';
}
