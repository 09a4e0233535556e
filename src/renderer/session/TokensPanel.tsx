import { useState } from 'react';
import type { TokenName } from '../../shared/ipc';
import type { RevealedTokens } from '../../shared/session';
import { signet } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { useCancellableCall } from '../hooks/use-cancellable-call';
import { useT } from '../i18n';

/** The tokens in the order shown; each one's label is `session.tokens.<name>`. */
const NAMES: readonly TokenName[] = ['id_token', 'access_token', 'refresh_token'];

/** The raw tokens: hidden until the user asks; then shown with copy buttons, and hidden again. */
export function TokensPanel({ refreshable }: { refreshable: boolean }) {
  const t = useT();
  const [tokens, setTokens] = useState<RevealedTokens | null>(null);
  const [copied, setCopied] = useState('');
  const call = useCancellableCall();
  const { busy, error, setError } = call;

  async function reveal() {
    const revealed = await call.run('reveal', () => signet.revealTokens({}));
    if (revealed) setTokens(revealed);
  }

  // Main copies the token itself (the page's clipboard permission is refused): the page only
  // names which one, on the user's click.
  async function copy(token: TokenName, label: string) {
    try {
      await signet.copyToken({ token });
      setCopied(t('session.tokens.copied', { token: label }));
    } catch {
      setCopied(t('session.tokens.copyFailed', { token: label }));
    }
  }

  const present = NAMES.filter((key) =>
    tokens ? Boolean(tokens[key]) : key !== 'refresh_token' || refreshable,
  ).map((key) => [key, t(`session.tokens.${key}`)] as const);

  return (
    <section className="tokens" aria-labelledby="tokens-heading">
      <h3 id="tokens-heading">{t('session.tokens.heading')}</h3>
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
                    translate="no"
                    dir="ltr"
                    value={tokens[key]}
                    onFocus={(e) => e.target.select()}
                  />
                  <button
                    type="button"
                    className="secondary small"
                    aria-label={t('session.tokens.copyNamed', { token: label })}
                    onClick={() => void copy(key, label)}
                  >
                    {t('session.tokens.copy')}
                  </button>
                </>
              ) : (
                <span className="masked">
                  <span aria-hidden="true">••••••••••••••••</span>
                  <span className="visually-hidden">{t('session.tokens.hidden')}</span>
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
            {t('session.tokens.hide')}
          </button>
        ) : (
          <button type="button" className="secondary" disabled={busy} onClick={() => void reveal()}>
            {t('session.tokens.reveal')}
          </button>
        )}
      </div>
      <p role="status" className="muted">
        {copied}
      </p>
    </section>
  );
}
