/**
 * What a user reads when a session cannot give a token: none is remembered, or the tenant
 * ended it. Each names the tenant and says how to sign in again, in one wording (the CLI's
 * credential helpers use `signInAgain` too).
 */
import { invalidInput, notSignedIn, type SignInError } from '../../shared/errors.js';
import { englishText, errorText } from '../../shared/error-text.js';
import type { RecordKey, SessionRecord } from '../vault/vault.js';

/** The `signet login` flags naming an account (`…` where it is not known). */
function loginFlags(k: Partial<RecordKey> & { connection?: string }): string {
  return [
    k.tenant ? `--tenant ${k.tenant}` : '--tenant …',
    k.clientId ? `--client-id ${k.clientId}` : '',
    k.connection ? `--connection ${k.connection}` : '--connection …',
    k.username ? `--username ${k.username}` : '--username …',
  ]
    .filter(Boolean)
    .join(' ');
}

/** What to do to get a session again: open Signet, or the CLI's `login` for this account. */
export function signInAgain(k: Partial<RecordKey> & { connection?: string }): string {
  return englishText('errors.hint.signInAgain', { flags: loginFlags(k) });
}

/** `not_signed_in` for a session the tenant ended, naming the tenant and what to do. */
export function sessionEnded(record: SessionRecord, refusal: SignInError): SignInError {
  return {
    ...notSignedIn(
      errorText(
        'errors.session.ended',
        {
          username: record.username,
          tenant: record.tenant,
          reason: refusal.description ?? refusal.message,
          flags: loginFlags(record),
        },
        'errors.hint.signInAgain',
      ),
      {
        tenant: record.tenant,
        clientId: record.clientId,
        refusal: refusal.code,
        status: refusal.status ?? null,
      },
    ),
  };
}

/** `not_signed_in` when no session matches, naming the tenant asked about (when known). */
export function noSession(q: Partial<RecordKey>): SignInError {
  const who = q.username ? ` as ${q.username}` : '';
  return {
    ...notSignedIn(`Not signed in${who} at ${q.tenant ?? 'any tenant'} (no remembered session).`, {
      ...(q.tenant ? { tenant: q.tenant } : {}),
      ...(q.clientId ? { clientId: q.clientId } : {}),
    }),
    hint: englishText('errors.hint.signIn', { flags: loginFlags(q) }),
  };
}

/**
 * `invalid_input` (field `type`) for `--type access` on a session whose access token Signet
 * cannot vouch for (token-choice.ts `canServeAccessToken`): why, and what to use instead.
 */
export function accessTokenUnservable(record: SessionRecord): SignInError {
  const why =
    record.protocol === 'modern'
      ? 'the tenant did not say when its access token expires'
      : 'it signed in with the legacy protocol (/oauth/ro), which gives the access token no expiry, and /delegation renews only the id_token';
  return invalidInput(
    'type',
    `Signet cannot hand out a valid access token for the session of ${record.username} at ${record.tenant}: ${why}.`,
    {
      hint: `Use --type id (the id_token), or sign in with the modern protocol: signet login --protocol modern --tenant ${record.tenant} --client-id ${record.clientId} --connection ${record.connection} --username ${record.username}`,
    },
  );
}
