import { useState } from 'react';
import type { TokenName } from '../../shared/ipc';
import type { RevealedTokens } from '../../shared/session';
import { signet } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { useCancellableCall } from '../hooks/use-cancellable-call';

const NAMES: readonly (readonly [TokenName, string])[] = [
  ['id_token', 'ID token'],
  ['access_token', 'Access token'],
  ['refresh_token', 'Refresh token'],
] as const;

/** The raw tokens: hidden until the user asks; then shown with copy buttons, and hidden again. */
export function TokensPanel({ refreshable }: { refreshable: boolean }) {
  const [tokens, setTokens] = useState<RevealedTokens | null>(null);
  const [copied, setCopied] = useState('');
  const call = useCancellableCall();
  const { busy, error, setError } = call;

  async function reveal() {
    const revealed = await call.run('Revealing…', () => signet.revealTokens({}));
    if (revealed) setTokens(revealed);
  }

  // Main copies the token itself (the page's clipboard permission is refused): the page only
  // names which one, on the user's click.
  async function copy(token: TokenName, label: string) {
    try {
      await signet.copyToken({ token });
      setCopied(`${label} copied to the clipboard.`);
    } catch {
      setCopied(`${label} could not be copied: select it and copy it yourself.`);
    }
  }

  const present = NAMES.filter(([key]) =>
    tokens ? Boolean(tokens[key]) : key !== 'refresh_token' || refreshable,
  );

  return (
    <section className="tokens" aria-labelledby="tokens-heading">
      <h3 id="tokens-heading">Tokens</h3>
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      <dl className="token-list">
        {present.map(([key, label]) => (
          <div key={key} className="token-row">
            <dt>{label}</dt>
            <dd>
              {tokens?.[key] ? (
                <>
                  <textarea
                    className="token"
                    data-token={key}
                    readOnly
                    rows={4}
                    spellCheck={false}
                    aria-label={label}
                    value={tokens[key]}
                    onFocus={(e) => e.target.select()}
                  />
                  <button
                    type="button"
                    className="secondary small"
                    onClick={() => void copy(key, label)}
                  >
                    Copy<span className="visually-hidden"> {label}</span>
                  </button>
                </>
              ) : (
                <span className="masked">
                  <span aria-hidden="true">••••••••••••••••</span>
                  <span className="visually-hidden">hidden</span>
                </span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      <div className="actions">
        {tokens ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setTokens(null);
              setCopied('');
            }}
          >
            Hide tokens
          </button>
        ) : (
          <button type="button" className="secondary" disabled={busy} onClick={() => void reveal()}>
            Reveal tokens
          </button>
        )}
      </div>
      <p role="status" className="muted">
        {copied}
      </p>
    </section>
  );
}
