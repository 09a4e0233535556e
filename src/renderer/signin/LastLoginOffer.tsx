import { useId } from 'react';
import type { FormConnection } from '../../shared/client-config';
import type { LastLogin } from '../../shared/ipc';
import { lastLoginNames } from './shown-text';
import { connectionLabel } from './username-label';
import { useT } from '../i18n';
import { rich } from '../i18n/rich';

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
  const t = useT();
  const id = useId();
  const { name, detail } = lastLoginNames(last);
  return (
    <section className="last-login" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('signin.last.title')}</h3>
      <p className="field-hint">
        {rich(t, 'signin.last.with', {
          connection: (
            <strong translate="no" dir="auto">
              {connectionLabel(connection, t)}
            </strong>
          ),
        })}
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={onContinue}>
          {rich(t, detail ? 'signin.last.continueDetail' : 'signin.last.continue', {
            name: <bdi translate="no">{name}</bdi>,
            detail: <bdi translate="no">{detail}</bdi>,
          })}
        </button>
        <button type="button" className="link-button" onClick={onForget}>
          {t('signin.last.notYou')}
        </button>
      </div>
    </section>
  );
}
