import type { ReactNode } from 'react';
import { useT } from '../i18n';
import { adSubcodeText } from './ad-subcodes';
import { Code } from '../i18n/rich';

/**
 * A results-table cell for a code (an error code, an AD sub-code): the code as sent, then
 * what explains it, or a dash when the row has none. `shown` overrides "has a code" where the
 * row's outcome decides (a failure shows its code cell even when the code is empty). `label`
 * is the column's name, shown above the value when the table is stacked into cards.
 */
export function CodeCell({
  code,
  label,
  shown = Boolean(code),
  children,
}: {
  code: string | null | undefined;
  label: string;
  shown?: boolean;
  children?: ReactNode;
}) {
  return (
    <td data-label={label}>
      {shown ? (
        <>
          <Code>{code}</Code>
          {children}
        </>
      ) : (
        '—'
      )}
    </td>
  );
}

/**
 * The AD bind sub-code cell: the sub-code and its meaning, translated for spec §5's codes;
 * a meaning only the server knew stays as sent (English, marked so).
 */
export function AdSubcodeCell({
  code,
  meaning,
}: {
  code: string | null | undefined;
  meaning: string | null | undefined;
}) {
  const t = useT();
  const explained = code ? adSubcodeText(t, code, meaning) : null;
  return (
    <CodeCell code={code} label={t('diagnostics.col.adSubcode')}>
      {explained && (
        <div className="muted">
          {explained.sent ? (
            <bdi translate="no" lang="en">
              {explained.text}
            </bdi>
          ) : (
            explained.text
          )}
        </div>
      )}
    </CodeCell>
  );
}
