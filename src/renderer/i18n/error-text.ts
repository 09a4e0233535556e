/**
 * A `SignInError`'s sentence and hint in the window's language (issue 13): core sends the
 * English `message` (and `hint`) with `i18n` keys and values; the window shows `t(key, values)`
 * when the key is in its catalog, else the English text as sent (an error built outside core's
 * sentences file, or a tenant's own words). Every place the window shows an error's text goes
 * through here.
 */
import type { SignInError } from '../../shared/errors';
import { hasMessage, useT, type Translate } from './index';

/** What the user reads of an error. */
export interface ErrorSentence {
  message: string;
  hint?: string;
}

/** `error`'s sentence and hint through `t`. */
export function errorSentence(
  t: Translate,
  error: Pick<SignInError, 'message' | 'hint' | 'i18n'>,
): ErrorSentence {
  const { key, hintKey, values } = error.i18n ?? {};
  const message = key && hasMessage(key) ? t(key, values) : error.message;
  const hint = hintKey && hasMessage(hintKey) ? t(hintKey, values) : error.hint;
  return hint ? { message, hint } : { message };
}

/** `errorSentence` for a component: re-renders with the language. */
export function useErrorText(): (
  error: Pick<SignInError, 'message' | 'hint' | 'i18n'>,
) => ErrorSentence {
  const t = useT();
  return (error) => errorSentence(t, error);
}
