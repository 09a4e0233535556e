import type { FormConnection } from '../../shared/client-config';
import type { SettingsView } from '../../shared/ipc';
import type { SessionResult } from '../../shared/session';
import type { Prefill, SignInMode } from './mode';

/** What a sign-in form (and the screen holding them) takes: the settings, and where a session goes. */
export interface SignInFormProps {
  view: SettingsView;
  /** The connections the form offers: settings' or the client's (`formConnections`). */
  connections: FormConnection[];
  onSignedIn: (session: SessionResult) => void;
  /** Filled in at mount ("Continue as…", back from sign-up or reset); focus goes to what is left. */
  prefill?: Prefill | undefined;
  /** Opens sign-up or the password reset (the password form's links under it). */
  onMode?: ((mode: SignInMode) => void) | undefined;
}
