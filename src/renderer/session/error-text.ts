import type { SignInError } from '../../shared/errors';
import type { MessageKey, Translate } from '../i18n';

/**
 * An error's sentence in the window's language when core gave it one (`SignInError.i18n`),
 * else its English message (as the error banner does).
 */
export function errorText(t: Translate, error: SignInError): string {
  return error.i18n ? t(error.i18n.key as MessageKey, error.i18n.values) : error.message;
}
