import type { ReactNode } from 'react';
import { adSubcodeMeaning } from './ad-subcodes';

/**
 * A results-table cell for a code (an error code, an AD sub-code): the code, then what
 * explains it, or a dash when the row has none. `shown` overrides "has a code" where the
 * row's outcome decides (a failure shows its code cell even when the code is empty).
 */
export function CodeCell({
  code,
  shown = Boolean(code),
  children,
}: {
  code: string | null | undefined;
  shown?: boolean;
  children?: ReactNode;
}) {
  return (
    <td>
      {shown ? (
        <>
          <code>{code}</code>
          {children}
        </>
      ) : (
        '—'
      )}
    </td>
  );
}

/** The AD bind sub-code cell: the sub-code and its meaning (the server's, else the table's). */
export function AdSubcodeCell({
  code,
  meaning,
}: {
  code: string | null | undefined;
  meaning: string | null | undefined;
}) {
  return (
    <CodeCell code={code}>
      {code && <div className="muted">{meaning ?? adSubcodeMeaning(code)}</div>}
    </CodeCell>
  );
}
