import { Fragment, type ReactNode } from 'react';

/**
 * A translated sentence with elements inside it ("Continue as <bdi>Ada</bdi>", a bold name):
 * the message is looked up with each element's placeholder left as `{name}` (`slots`), then
 * each `{name}` becomes its element, wherever the language put it. So word order stays the
 * translator's, and no sentence is glued together from pieces.
 */
export function RichText({ text, parts }: { text: string; parts: Record<string, ReactNode> }) {
  const out = text.split(/\{(\w+)\}/g);
  return out.map((piece, i) =>
    i % 2 === 1 && piece in parts ? (
      <Fragment key={i}>{parts[piece]}</Fragment>
    ) : (
      <Fragment key={i}>{i % 2 === 1 ? `{${piece}}` : piece}</Fragment>
    ),
  );
}

/** Values that leave each named placeholder as `{name}`, for `RichText` to fill. */
export function slots(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, `{${n}}`]));
}
