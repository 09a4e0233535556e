import { Fragment, type ReactNode } from 'react';
import type { MessageKey, MessageValues, Translate } from '../i18n';

/** Marks where a part goes in the translated text; never in a translation or a value shown. */
const MARK = '\u0001';

/**
 * A translated sentence with elements inside it (a path in `<code>`, the tenant in
 * `<strong>`): each `{name}` placeholder of the message becomes `parts[name]`, wherever the
 * language puts it, so word order stays the translator's and no sentence is glued from pieces.
 */
export function rich(
  t: Translate,
  key: MessageKey,
  parts: Record<string, ReactNode>,
  values: MessageValues = {},
): ReactNode {
  const marks = Object.fromEntries(Object.keys(parts).map((name) => [name, MARK + name + MARK]));
  // Split on the marks: even pieces are text, odd ones the names of parts.
  return t(key, { ...values, ...marks })
    .split(MARK)
    .map((piece, i) => (i % 2 ? <Fragment key={i}>{parts[piece]}</Fragment> : piece));
}

/**
 * A value that is data, not words (a path, URL, scope, variable name): shown as-is, left to
 * right also in Arabic, and skipped by translators (`translate="no"`).
 */
export function Data({ children }: { children: string }) {
  return (
    <code translate="no" dir="ltr">
      {children}
    </code>
  );
}
