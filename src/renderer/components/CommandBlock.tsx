import { useT } from '../i18n';

/**
 * A command (or config snippet) to copy into a terminal or a file: its name as a heading,
 * where it goes, the text itself (wrapped, selectable) and a Copy button whose accessible name
 * says which text it copies. The copy itself is the caller's (main copies over IPC).
 */
export function CommandBlock({
  label,
  note,
  text,
  onCopy,
  copyDisabled,
  name,
  copied,
}: {
  label: string;
  note: string;
  text: string;
  onCopy: () => void;
  copyDisabled?: boolean;
  /** A stable name for the block (`data-command`), e.g. the tool. */
  name: string;
  /**
   * Shows "Copied" beside the button, for the eye: the caller's live region says it aloud
   * (hidden here so it is not read twice).
   */
  copied?: boolean;
}) {
  const t = useT();
  return (
    <div className="command-block" data-command={name}>
      <div className="command-head">
        <h4>{label}</h4>
        {copied && (
          <span className="copied" aria-hidden="true">
            {t('shell.copied')}
          </span>
        )}
        <button type="button" className="secondary small" disabled={copyDisabled} onClick={onCopy}>
          <span aria-hidden="true">{t('shell.copy')}</span>
          <span className="visually-hidden">{t('shell.copyNamed', { name: label })}</span>
        </button>
      </div>
      <p className="muted fine">{note}</p>
      {/* The text is typed into a terminal as it is: no translator, left to right in Arabic. */}
      <pre translate="no" dir="ltr">
        <code>{text}</code>
      </pre>
    </div>
  );
}
