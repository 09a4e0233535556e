import { Fragment, type ReactNode } from 'react';
import type { MessageKey, MessageValues, Translate } from '../i18n';

/** Marks a placeholder's place in the translated text (a private-use character, never typed). */
const MARK = '\uE000';

/**
 * A translated sentence with elements inside it ("Expires in {clock}", the `<time>` element
 * being the clock): each language puts the placeholder where its word order wants it, and the
 * element lands there. `values` fills the plain-text placeholders.
 */
export function withElements(
  t: Translate,
  key: MessageKey,
  elements: Record<string, ReactNode>,
  values: MessageValues = {},
): ReactNode[] {
  const marks = Object.fromEntries(Object.keys(elements).map((n) => [n, `${MARK}${n}${MARK}`]));
  return t(key, { ...values, ...marks })
    .split(new RegExp(`${MARK}([^${MARK}]*)${MARK}`))
    .map((part, i) => (i % 2 ? <Fragment key={i}>{elements[part]}</Fragment> : part));
}
