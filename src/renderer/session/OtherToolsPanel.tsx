import { useEffect, useState } from 'react';
import type { SignInError } from '../../shared/errors';
import type { ToolCommand, ToolSetupView } from '../../shared/ipc';
import type { SessionResult } from '../../shared/session';
import { asSignInError, signet } from '../api';
import { CommandBlock } from '../components/CommandBlock';
import { ErrorBanner } from '../components/ErrorBanner';
import { KeepFreshStatus } from './KeepFreshStatus';

/** Whether other tools can run `signet`, and how to make them when they cannot. */
function CliStatusNote({ cli }: { cli: ToolSetupView['cli'] }) {
  if (cli.onPath)
    return (
      <p className="fine" data-cli="on-path">
        <span className="badge badge-ok">signet is on PATH</span>{' '}
        <code className="path">{cli.onPath}</code>
      </p>
    );
  return (
    <div className="fine" data-cli="missing">
      <p>
        <span className="badge badge-warn">signet is not on PATH</span> These commands run{' '}
        <code>signet</code>, which your terminal cannot find yet.
      </p>
      {cli.hint && <p>{cli.hint.text}</p>}
      {cli.hint?.command && (
        <pre>
          <code>{cli.hint.command}</code>
        </pre>
      )}
    </div>
  );
}

/**
 * "Use from other tools": git, kubectl and curl set up for this account (main builds the
 * texts, from the same place `signet setup` prints them), each with a Copy button that has main
 * put the text on the clipboard; whether `signet` is on PATH; and whether Signet keeps the
 * token fresh for them.
 */
export function OtherToolsPanel({ session }: { session: SessionResult }) {
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

  async function copy(command: ToolCommand) {
    // Cleared first, so the same message twice is announced twice.
    setCopied('');
    setCopiedTool(null);
    try {
      await signet.copyToolCommand({ tool: command.tool });
      setCopied(`Copied the ${command.label}.`);
      setCopiedTool(command.tool);
    } catch (err) {
      setCopied(`Could not copy the ${command.label}: ${asSignInError(err).message}`);
    }
  }

  return (
    <section className="other-tools" aria-labelledby="other-tools-heading">
      <h3 id="other-tools-heading">Use from other tools</h3>
      <p className="muted fine">
        git, kubectl, curl and your scripts can ask Signet for this account’s token with the{' '}
        <code>signet</code> command. The commands below hold no password or token.
      </p>
      <KeepFreshStatus session={session} />
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {setup && (
        <>
          <CliStatusNote cli={setup.cli} />
          {setup.commands.map((c) => (
            <CommandBlock
              key={c.tool}
              name={c.tool}
              label={c.label}
              note={c.note}
              text={c.text}
              onCopy={() => void copy(c)}
              copied={copiedTool === c.tool}
            />
          ))}
        </>
      )}
      <p role="status" className="muted fine copy-status">
        {copied}
      </p>
    </section>
  );
}
