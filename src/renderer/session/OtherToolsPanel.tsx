import { useEffect, useState } from 'react';
import type { SignInError } from '../../shared/errors';
import type { ToolCommand, ToolSetupView } from '../../shared/ipc';
import type { SessionResult } from '../../shared/session';
import { asSignInError, signet } from '../api';
import { CommandBlock } from '../components/CommandBlock';
import { ErrorBanner } from '../components/ErrorBanner';
import { useT, type Translate } from '../i18n';
import { errorSentence } from '../i18n/error-text';
import { KeepFreshStatus } from './KeepFreshStatus';
import { rich } from '../i18n/rich';

/** The command other tools run, as a name (`translate="no"`: it is typed as it is). */
const COMMAND = 'signet';
const command = (
  <code translate="no" dir="ltr">
    {COMMAND}
  </code>
);

/** Whether other tools can run `signet`, and how to make them when they cannot. */
function CliStatusNote({ cli }: { cli: ToolSetupView['cli'] }) {
  const t = useT();
  if (cli.onPath)
    return (
      <p className="fine" data-cli="on-path">
        <span className="badge badge-ok">{t('session.tools.onPath', { command: COMMAND })}</span>{' '}
        <code className="path" translate="no" dir="ltr">
          {cli.onPath}
        </code>
      </p>
    );
  return (
    <div className="fine" data-cli="missing">
      <p>
        <span className="badge badge-warn">
          {t('session.tools.notOnPath', { command: COMMAND })}
        </span>{' '}
        {rich(t, 'session.tools.notFound', { command })}
      </p>
      {cli.hint && (
        <p>
          {cli.hint.kind === 'windows'
            ? rich(t, 'session.tools.hint.windows', {
                folder: (
                  <code translate="no" dir="ltr">
                    {cli.hint.folder}
                  </code>
                ),
              })
            : t(`session.tools.hint.${cli.hint.kind}`)}
        </p>
      )}
      {cli.hint?.command && (
        <pre translate="no" dir="ltr">
          <code>{cli.hint.command}</code>
        </pre>
      )}
    </div>
  );
}

/** A setup's name and note in the window's language (main's English ones are the CLI's). */
function toolTexts(t: Translate, c: ToolCommand): { label: string; note: string } {
  const v = c.noteValues;
  switch (c.tool) {
    case 'git':
      return {
        label: t('session.tools.git.label'),
        note: v.host
          ? t('session.tools.git.noteHost', { host: v.host })
          : t('session.tools.git.note', { placeholder: v.placeholder ?? '' }),
      };
    case 'kubectl':
      return {
        label: t('session.tools.kubectl.label'),
        note: t('session.tools.kubectl.note', { file: v.file ?? '' }),
      };
    case 'curl':
      return {
        label: t('session.tools.curl.label'),
        note: t('session.tools.curl.note', { url: v.url ?? '' }),
      };
  }
}

/**
 * "Use from other tools": git, kubectl and curl set up for this account (main builds the
 * texts, from the same place `signet setup` prints them), each with a Copy button that has main
 * put the text on the clipboard; whether `signet` is on PATH; and whether Signet keeps the
 * token fresh for them.
 */
export function OtherToolsPanel({ session }: { session: SessionResult }) {
  const t = useT();
  const [setup, setSetup] = useState<ToolSetupView | null>(null);
  const [error, setError] = useState<SignInError | null>(null);
  const [copied, setCopied] = useState('');
  const [copiedTool, setCopiedTool] = useState<ToolCommand['tool'] | null>(null);
  const { tenant, clientId, username } = session;

  useEffect(() => {
    let live = true;
    signet.toolSetup({}).then(
      (s) => {
        if (live) {
          setSetup(s);
          setError(null);
        }
      },
      (err: unknown) => {
        if (live) setError(asSignInError(err));
      },
    );
    return () => {
      live = false;
    };
  }, [tenant, clientId, username]);

  async function copy(command: ToolCommand, label: string) {
    // Cleared first, so the same message twice is announced twice.
    setCopied('');
    setCopiedTool(null);
    try {
      await signet.copyToolCommand({ tool: command.tool });
      setCopied(t('session.tools.copied', { label }));
      setCopiedTool(command.tool);
    } catch (err) {
      setCopied(
        t('session.tools.copyFailed', {
          label,
          reason: errorSentence(t, asSignInError(err)).message,
        }),
      );
    }
  }

  return (
    <section className="other-tools" aria-labelledby="other-tools-heading">
      <h3 id="other-tools-heading">{t('session.tools.heading')}</h3>
      <p className="muted fine">{rich(t, 'session.tools.intro', { command })}</p>
      <KeepFreshStatus session={session} />
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {setup && (
        <>
          <CliStatusNote cli={setup.cli} />
          {setup.commands.map((c) => {
            const { label, note } = toolTexts(t, c);
            return (
              <CommandBlock
                key={c.tool}
                name={c.tool}
                label={label}
                note={note}
                text={c.text}
                onCopy={() => void copy(c, label)}
                copied={copiedTool === c.tool}
              />
            );
          })}
        </>
      )}
      <p role="status" className="muted fine copy-status">
        {copied}
      </p>
    </section>
  );
}
