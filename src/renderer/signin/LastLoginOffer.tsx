import { useId } from 'react';
import type { FormConnection } from '../../shared/client-config';
import type { LastLogin } from '../../shared/ipc';
import { shownText } from './shown-text';
import { connectionLabel } from './username-label';

/**
 * Who "Continue as…" names: the name from the last id_token (else the email, else what was
 * typed), then the email or username in brackets when it says more. Tenant text, made safe by
 * `shownText` (no control, bidi or invisible characters) and shown in `<bdi>` so a
 * right-to-left name keeps to its place.
 */
export function lastLoginNames(last: LastLogin): { name: string; detail: string } {
  const username = shownText(last.username, 80);
  const email = shownText(last.email, 80);
  const name = shownText(last.name, 80) || email || username;
  const detail = email || username;
  return { name, detail: detail === name ? '' : detail };
}

/**
 * Lock's `rememberLastLogin`, over the sign-in form when signed out: "Continue as Ada Lovelace
 * (ada@signet.test)" opens that connection with the username filled in, "Not you?" forgets it.
 * Only names and the connection are remembered, never a secret.
 */
export function LastLoginOffer({
  last,
  connection,
  onContinue,
  onForget,
}: {
  last: LastLogin;
  connection: FormConnection;
  onContinue: () => void;
  onForget: () => void;
}) {
  const id = useId();
  const { name, detail } = lastLoginNames(last);
  return (
    <section className="last-login" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Welcome back</h3>
      <p className="field-hint">
        You last signed in here with <strong>{connectionLabel(connection)}</strong>.
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={onContinue}>
          Continue as <bdi>{name}</bdi>
          {detail && (
            <>
              {' '}
              (<bdi>{detail}</bdi>)
            </>
          )}
        </button>
        <button type="button" className="link-button" onClick={onForget}>
          Not you?
        </button>
      </div>
    </section>
  );
}
