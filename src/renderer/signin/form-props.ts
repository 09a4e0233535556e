import type { FormConnection } from '../../shared/client-config';
import type { SettingsView } from '../../shared/ipc';
import type { SessionResult } from '../../shared/session';

/** What a sign-in form (and the screen holding them) takes: the settings, and where a session goes. */
export interface SignInFormProps {
  view: SettingsView;
  /** The connections the form offers: settings' or the client's (`formConnections`). */
  connections: FormConnection[];
  onSignedIn: (session: SessionResult) => void;
}
