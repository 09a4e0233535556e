import { createElement, Fragment, type ReactNode } from 'react';

/** `<0/>` or `<0>…</0>`: an element the translation places, its children translated too. */
const TAG = /<(\d+)\/>|<(\d+)>([\s\S]*?)<\/\2>/g;

/**
 * A translated sentence with elements inside (a code, a file name, a screen-reader-only
 * part): the catalog writes `Loaded # accounts from <0/>.` or `Show<0> request {n}</0>`, so
 * each language places the element where its word order wants it, and `parts[i]` renders
 * tag `i` (with the tag's inner text as children for the paired form). Lingui's compiled
 * messages keep such tags as literal text; this is the small helper that turns them into
 * elements, without pulling @lingui/react into the bundle. (Plain `createElement`, no JSX:
 * the unit tests run it under the Node typecheck.)
 */
export function rich(text: string, parts: ((children: ReactNode) => ReactNode)[]): ReactNode {
  const out: ReactNode[] = [];
  let at = 0;
  for (const m of text.matchAll(TAG)) {
    if (m.index > at) out.push(text.slice(at, m.index));
    const part = parts[Number(m[1] ?? m[2])];
    out.push(createElement(Fragment, { key: m.index }, part ? part(m[3] ?? null) : null));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return createElement(Fragment, null, ...out);
}

/**
 * A value shown as sent (a name, a URL, a file name, a status): never translated. URLs, file
 * names and statuses run left-to-right in every language (`ltr`); names (a username, a
 * connection) keep their own direction (`dir="auto"`), isolated from the sentence around them.
 */
export function Data({ children, ltr = false }: { children: ReactNode; ltr?: boolean }) {
  return createElement('bdi', { translate: 'no', dir: ltr ? 'ltr' : 'auto' }, children);
}

/** A code as sent (`invalid_user_password`, `ldap:533`): monospace, untranslated, LTR. */
export function Code({ children }: { children: ReactNode }) {
  return createElement('code', { translate: 'no', dir: 'ltr' }, children);
}
