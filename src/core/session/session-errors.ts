/**
 * What a user reads when a session cannot give a token: none is remembered, or the tenant
 * ended it. Each names the tenant and says how to sign in again, in one wording (the CLI's
 * credential helpers use `signInAgain` too).
 */
import { notSignedIn, type SignInError } from '../../shared/errors.js';
import type { RecordKey, SessionRecord } from '../vault/vault.js';

/** What to do to get a session again: open Signet, or the CLI's `login` for this account. */
export function signInAgain(k: Partial<RecordKey> & { connection?: string }): string {
  const flags = [
    k.tenant ? `--tenant ${k.tenant}` : '--tenant …',
    k.clientId ? `--client-id ${k.clientId}` : '',
    k.connection ? `--connection ${k.connection}` : '--connection …',
    k.username ? `--username ${k.username}` : '--username …',
  ].filter(Boolean);
  return `Sign in again: open Signet, or run: signet login ${flags.join(' ')}`;
}

/** `not_signed_in` for a session the tenant ended, naming the tenant and what to do. */
export function sessionEnded(record: SessionRecord, refusal: SignInError): SignInError {
  return {
    ...notSignedIn(
      `The session of ${record.username} at ${record.tenant} has ended (${refusal.description ?? refusal.message}); it was removed from the keychain.`,
      {
        tenant: record.tenant,
        clientId: record.clientId,
        refusal: refusal.code,
        status: refusal.status ?? null,
      },
    ),
    hint: signInAgain(record),
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
    hint: signInAgain(q).replace('Sign in again', 'Sign in'),
  };
}
