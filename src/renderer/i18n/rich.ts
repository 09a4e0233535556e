/**
 * Translated sentences with elements inside them, and data shown as sent: the window's one way
 * to put a `<code>`, a name in `<bdi>`, a `<time>` or a screen-reader-only part into a
 * sentence without gluing the sentence from pieces. The catalog marks each element's place
 * either as a placeholder (`Expires in {clock}`) or, when the element wraps words that are
 * translated too, as a numbered tag (`Show<0> request {n}</0>`); each language puts it where
 * its word order wants it. Lingui's compiled messages keep such tags as literal text, and this
 * small module turns both forms into elements without pulling `@lingui/react` into the bundle.
 * (Plain `createElement`, no JSX: unit tests run it under the Node typecheck.)
 */
import { createElement, Fragment, type ReactNode } from 'react';
import type { MessageKey, MessageValues, Translate } from './keys';

/** An element for a placeholder, or for a tag: then it gets the tag's translated children. */
export type Part = ReactNode | ((children: ReactNode) => ReactNode);

/** Marks a placeholder's place in the translated text (a private-use character, never typed). */
const MARK = '\uE000';
/** `<0/>` or `<0>…</0>` (a name may be a word too: `<link>…</link>`). */
const TAG = /<(\w+)\/>|<(\w+)>([\s\S]*?)<\/\2>/g;

const render = (part: Part, children: ReactNode): ReactNode =>
  typeof part === 'function' ? part(children) : part;

/** The tags of a text piece as elements. */
function tags(text: string, parts: Record<string, Part>, out: ReactNode[]): void {
  let at = 0;
  for (const m of text.matchAll(TAG)) {
    const name = m[1] ?? m[2]!;
    if (!Object.hasOwn(parts, name)) continue;
    if (m.index > at) out.push(text.slice(at, m.index));
    out.push(createElement(Fragment, { key: out.length }, render(parts[name], m[3] ?? null)));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
}

/**
 * `key` in the window's language, each `{name}` placeholder or `<name>` tag of it rendered as
 * `parts[name]`; `values` fills the plain placeholders (counts, numbers).
 */
export function rich(
  t: Translate,
  key: MessageKey,
  parts: Record<string, Part>,
  values: MessageValues = {},
): ReactNode {
  // A value that could read as a tag or a mark (`<0/>` in a name) is shown as text, a part of
  // its own, never parsed; other values stay values (a `select` needs its keyword).
  const all: Record<string, Part> = { ...parts };
  const plain: MessageValues = {};
  for (const [n, v] of Object.entries(values))
    if (typeof v === 'string' && /[<\uE000]/.test(v) && !Object.hasOwn(parts, n)) all[n] = v;
    else plain[n] = v;
  const marks = Object.fromEntries(Object.keys(all).map((n) => [n, `${MARK}${n}${MARK}`]));
  const out: ReactNode[] = [];
  t(key, { ...plain, ...marks })
    .split(new RegExp(`${MARK}([^${MARK}]*)${MARK}`))
    .forEach((piece, i) => {
      if (i % 2) out.push(createElement(Fragment, { key: out.length }, render(all[piece], null)));
      else if (piece) tags(piece, parts, out);
    });
  return createElement(Fragment, null, ...out);
}

/**
 * A value shown as sent (a name, a URL, a file name, a status), never translated and isolated
 * from the sentence around it: URLs, paths and statuses run left to right in every language
 * (`ltr`); names keep their own direction (`dir="auto"`).
 */
export function Data({ children, ltr = false }: { children: ReactNode; ltr?: boolean }) {
  return createElement('bdi', { translate: 'no', dir: ltr ? 'ltr' : 'auto' }, children);
}

/** A code as sent (`invalid_user_password`, `offline_access`, `HTTPS_PROXY`): monospace, LTR. */
export function Code({ children }: { children: ReactNode }) {
  return createElement('code', { translate: 'no', dir: 'ltr' }, children);
}
