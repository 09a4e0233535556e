/**
 * A `SignInError`'s sentence and hint in the window's language (issue 13): core sends the
 * English `message` (and `hint`) with `i18n` keys and values; the window shows `t(key, values)`
 * when the key is in its catalog, else the English text as sent (an error built outside core's
 * sentences file, or a tenant's own words). Every place the window shows an error's text goes
 * through here.
 */
import type { SignInError } from '../../shared/errors';
import { i18n } from '@lingui/core';
import { languageDirection, type LanguageTag } from '../../shared/languages';
import { shownText } from '../signin/shown-text';
import { hasMessage, useT, type MessageValues, type Translate } from './index';

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
  const { key, hintKey } = error.i18n ?? {};
  const values = shownValues(t, error.i18n ?? { key: '' });
  const message = key && hasMessage(key) && values !== null ? t(key, values) : error.message;
  const hint = hintKey && hasMessage(hintKey) && values !== null ? t(hintKey, values) : error.hint;
  return hint ? { message, hint } : { message };
}

/** First strong isolate … pop directional isolate: a value keeps its own direction. */
const FSI = '\u2068';
const PDI = '\u2069';
/** A right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko … and their presentation forms). */
const RTL_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;

/**
 * `text` isolated where its direction could reorder the sentence around it: in a right-to-left
 * window (`localhost:3000` in Arabic), or when it holds right-to-left letters itself; plain
 * left-to-right text in a left-to-right window needs nothing (and stays as it reads).
 */
const isolated = (text: string, rtl: boolean) =>
  rtl || RTL_LETTER.test(text) ? FSI + text + PDI : text;

/**
 * An error's values as the sentence shows them: data (a host, a connection's name, the
 * tenant's description) cleaned of control and bidi-override characters and isolated, so in
 * Arabic `localhost:3000.` does not reorder and a tenant's RLO cannot flip the sentence; a
 * nested sentence (a failed check's reason) translated in turn. `null` when a nested key is
 * unknown: then the whole English message is shown rather than a half-translated one.
 */
function shownValues(
  t: Translate,
  { values = {}, sentences = {} }: NonNullable<SignInError['i18n']>,
): MessageValues | null {
  const rtl = languageDirection(i18n.locale as LanguageTag) === 'rtl';
  const shown = (data: Record<string, string | number>) => {
    const out: MessageValues = {};
    for (const [name, v] of Object.entries(data))
      out[name] = typeof v === 'number' ? v : isolated(shownText(v, 500), rtl);
    return out;
  };
  const out = shown(values);
  for (const [name, s] of Object.entries(sentences)) {
    if (!hasMessage(s.key)) return null;
    out[name] = t(s.key, shown(s.values ?? {}));
  }
  return out;
}

/** `errorSentence` for a component: re-renders with the language. */
export function useErrorText(): (
  error: Pick<SignInError, 'message' | 'hint' | 'i18n'>,
) => ErrorSentence {
  const t = useT();
  return (error) => errorSentence(t, error);
}
