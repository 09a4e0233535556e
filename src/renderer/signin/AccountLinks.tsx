import type { FormConnection } from '../../shared/client-config';
import type { SignInMode } from './mode';
import { useT } from '../i18n';

/**
 * Lock's links under the password form, for the chosen database connection: "Don't remember
 * your password?" (unless the client's configuration says `showForgot: false`) and "Create an
 * account" (unless `showSignup: false`). Nothing for AD/LDAP connections: their passwords
 * and accounts live in the directory.
 */
export function AccountLinks({
  connection,
  username,
  onMode,
  disabled,
}: {
  connection: FormConnection | undefined;
  username: string;
  onMode: (mode: SignInMode) => void;
  disabled: boolean;
}) {
  const t = useT();
  if (connection?.kind !== 'database') return null;
  const forgot = connection.showForgot !== false;
  const signup = connection.showSignup !== false;
  if (!forgot && !signup) return null;
  const open = (view: 'signup' | 'forgot') =>
    onMode({ view, connection: connection.name, username: username.trim() });
  return (
    <div className="account-links">
      {forgot && (
        <button
          type="button"
          className="link-button"
          disabled={disabled}
          onClick={() => open('forgot')}
        >
          {t('signin.forgotLink')}
        </button>
      )}
      {signup && (
        <button
          type="button"
          className="link-button"
          disabled={disabled}
          onClick={() => open('signup')}
        >
          {t('signin.signupLink')}
        </button>
      )}
    </div>
  );
}
