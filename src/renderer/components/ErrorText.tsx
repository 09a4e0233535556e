import type { SignInError } from '../../shared/errors';
import { useErrorText } from '../i18n/error-text';

/**
 * An error's sentence inline (a warning line, a failed step, a table cell), in the window's
 * language: the one-line form of what ErrorBanner shows up front.
 */
export function ErrorText({ error }: { error: Pick<SignInError, 'message' | 'hint' | 'i18n'> }) {
  return <>{useErrorText()(error).message}</>;
}
