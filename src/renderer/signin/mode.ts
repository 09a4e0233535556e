/**
 * What the signed-out Account screen shows (Lock's views): the sign-in tabs, the sign-up form
 * or the password-reset form. App holds it, so the screen's heading names the view and focus
 * moves to that heading when the view changes; the two other views carry the database
 * connection they were opened for and what the user had typed as a username.
 */
export type SignInMode =
  { view: 'signin' } | { view: 'signup' | 'forgot'; connection: string; username: string };

export const SIGN_IN: SignInMode = { view: 'signin' };

/** The screen's heading for a view. */
export function modeTitle(mode: SignInMode): string {
  if (mode.view === 'signup') return 'Create an account';
  if (mode.view === 'forgot') return 'Reset your password';
  return 'Sign in';
}

/** What a form fills in: after "Continue as…", or back from sign-up or reset. */
export interface Prefill {
  connection: string;
  username: string;
}
