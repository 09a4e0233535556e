import { useId } from 'react';
import type { FormConnection } from '../../shared/client-config';
import type { LastLogin } from '../../shared/ipc';
import { lastLoginNames } from './shown-text';
import { connectionLabel } from './username-label';

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
