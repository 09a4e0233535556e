/**
 * What the signed-out Account screen shows (Lock's views): the sign-in tabs, the sign-up form
 * or the password-reset form. App holds it, so the screen's heading names the view and focus
 * moves to that heading when the view changes; the two other views carry the database
 * connection they were opened for and what the user had typed as a username.
 */
import type { Translate } from '../i18n';

export type SignInMode =
  { view: 'signin' } | { view: 'signup' | 'forgot'; connection: string; username: string };

export const SIGN_IN: SignInMode = { view: 'signin' };

/** The screen's heading for a view, in the window's language. */
export function modeTitle(mode: SignInMode, t: Translate): string {
  if (mode.view === 'signup') return t('screen.signUp');
  if (mode.view === 'forgot') return t('screen.forgot');
  return t('screen.signIn');
}

/** What a form fills in: after "Continue as…", or back from sign-up or reset. */
export interface Prefill {
  connection: string;
  username: string;
}
