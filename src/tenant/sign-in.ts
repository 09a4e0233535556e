/**
 * Who may sign in, and with what: the client and connection a request names, the credentials it
 * presents (password with brute-force protection, SMS code, TOTP), and the user behind a `sub`.
 * Shared by /oauth/ro, /oauth/token, /delegation and /tokeninfo.
 */
import { verify as verifyTotp } from 'otplib';
import { hasOuterWhitespace } from './account-keys';
import type { ClientConfig } from './config';
import type { ConnectionEntry, TenantContext } from './context';
import { connectionOf } from './database';
import { E164, MESSAGES, OTP_CODE } from '../shared/auth0-protocol';
import { checkDotted, invalidRequest, str, type Body } from './request';
import { TenantError, tenantError } from './errors';
import type { UserProfile } from './types';

/**
 * The client of a legacy endpoint (/oauth/ro, /delegation): the body has no dotted fields, names a
 * known client, and that client may use the legacy grants (else 403 with `notAllowed`).
 */
export function legacyClient(ctx: TenantContext, body: Body, notAllowed: string): ClientConfig {
  checkDotted(body);
  const clientId = str(body, 'client_id');
  if (!clientId) throw invalidRequest('missing client_id parameter');
  const client = ctx.clients.get(clientId);
  if (!client) throw tenantError.unauthorizedClient('invalid client');
  if (!client.legacyGrant) throw tenantError.unauthorizedClient(notAllowed);
  return client;
}

/** What /oauth/ro and /oauth/token answer for an unknown or disabled connection. */
export const connectionErrors = () => ({
  notFound: invalidRequest('the connection was not found'),
  disabled: invalidRequest('the connection was disabled'),
});

/** A connection that cannot do what the grant asks (e.g. a password on an sms connection). */
export const strategyNotSupported = () =>
  invalidRequest('specified strategy does not support requested operation');

/** The connection by name, refusing unknown and disabled ones (also disabled for this client). */
export function lookupConnection(
  ctx: TenantContext,
  name: string,
  client: ClientConfig,
  errors: { notFound: TenantError; disabled: TenantError },
): ConnectionEntry {
  const entry = ctx.connections.get(name);
  if (!entry) throw errors.notFound;
  if (!entry.config.enabled || (client.connections && !client.connections.includes(name)))
    throw errors.disabled;
  return entry;
}

/** Adds `identities` when a connection did not (AD profiles). */
export function withIdentities(profile: UserProfile, connection: string): UserProfile {
  if (profile.identities) return profile;
  const [provider, ...rest] = profile.user_id.split('|');
  return {
    ...profile,
    identities: [{ provider, user_id: rest.join('|'), connection, isSocial: false }],
  };
}

/** Finds the user behind a `sub` (with `identities`), through the connection that owns it. */
export async function resolveUser(
  ctx: TenantContext,
  sub: string,
): Promise<{ profile: UserProfile; connection: string } | undefined> {
  if (sub.startsWith('auth0|') || sub.startsWith('sms|')) {
    const profile = ctx.db.findById(sub);
    const connection = profile && connectionOf(profile);
    if (!profile || !connection || !ctx.connections.get(connection)?.config.enabled)
      return undefined;
    return { profile: withIdentities(profile, connection), connection };
  }
  if (sub.startsWith('ad|')) {
    const name = sub.split('|')[1] ?? '';
    const entry = ctx.connections.get(name);
    if (!entry?.password || !entry.config.enabled) return undefined;
    const profile = await entry.password.findById(sub);
    return profile ? { profile: withIdentities(profile, name), connection: name } : undefined;
  }
  return undefined;
}

/**
 * The user behind a `sub` who may be issued new tokens (jwt-bearer, /delegation, refresh): throws
 * `notFound` when gone or (given `connection`) of another connection, 401 when blocked.
 */
export async function activeUser(
  ctx: TenantContext,
  sub: string,
  notFound: TenantError,
  connection?: string,
): Promise<{ profile: UserProfile; connection: string }> {
  const found = await resolveUser(ctx, sub);
  if (!found || (connection && found.connection !== connection)) throw notFound;
  if (found.profile.blocked) throw tenantError.blocked();
  return found;
}

/**
 * What a password sign-in asks after the password (TOTP for users with MFA enrolled). It runs
 * within the same brute-force attempt: throwing `a0.mfa_invalid_code` counts a failure, another
 * error (e.g. "MFA required") neither counts nor resets, and only its success resets the count.
 */
export type SecondFactor = (profile: UserProfile) => Promise<void>;

/**
 * Checks credentials on a database or AD connection with brute-force protection (see
 * brute-force.ts): 10 consecutive failures for one account from one IP refuse that account
 * from that IP, whatever spelling of its name each used, until it is unblocked or its password
 * changes; a success resets the count. A user name with white space around it is refused (400)
 * before anything is counted: a directory would ignore the spaces, so it is no new name.
 */
async function checkPassword(
  ctx: TenantContext,
  entry: ConnectionEntry,
  args: { username: string; password: string; ip: string; secondFactor?: SecondFactor },
): Promise<UserProfile> {
  if (hasOuterWhitespace(args.username)) throw invalidRequest(MESSAGES.usernameWhitespace);
  const conn = entry.password!;
  const name = entry.config.name;
  return ctx.attempts.attempt(
    { connection: name, account: args.username, ip: args.ip },
    async () => {
      const profile = withIdentities(await conn.authenticate(args.username, args.password), name);
      await args.secondFactor?.(profile);
      return profile;
    },
  );
}

/**
 * Redeems an SMS code for `client` on `entry`'s connection (a code is bound to both), counting
 * wrong codes per phone and address (429 `too_many_attempts` beyond; see sms.ts); the user is
 * created on first sign-in, as Auth0 does.
 */
function checkSmsCode(
  ctx: TenantContext,
  entry: ConnectionEntry,
  args: { phone: string; code: string; client: ClientConfig; ip: string },
): UserProfile {
  const { phone, code } = args;
  let valid = false;
  try {
    valid =
      E164.test(phone) &&
      ctx.sms.verify(phone, code, {
        clientId: args.client.client_id,
        connection: entry.config.name,
        ip: args.ip,
      });
  } catch (err) {
    if (err instanceof TenantError && err.error === 'too_many_attempts')
      ctx.counters.bruteForceBlocks += 1;
    throw err;
  }
  if (!valid) {
    ctx.counters.failedSignIns += 1;
    throw tenantError.wrongSmsCode();
  }
  const profile = ctx.db.findOrCreatePhoneUser(entry.config.name, phone);
  if (profile.blocked) throw tenantError.blocked();
  return profile;
}

/**
 * The credential sign-in that /oauth/ro (`password` grant) and /oauth/token (password-realm,
 * passwordless/otp) share: the connection, refusing unknown and disabled ones, then the password
 * (database, AD) or SMS code (sms) it takes. `accept` narrows it to one kind, as each
 * /oauth/token grant does; a connection of another kind is Auth0's strategy error.
 */
export async function signInWithCredentials(
  ctx: TenantContext,
  client: ClientConfig,
  args: {
    connection: string;
    username: string;
    /** The password, or the SMS code. */
    secret: string;
    ip: string;
    accept?: 'password' | 'sms';
    /** Asked after a right password (not after an SMS code), within its brute-force attempt. */
    secondFactor?: SecondFactor;
  },
): Promise<{ entry: ConnectionEntry; profile: UserProfile }> {
  const entry = lookupConnection(ctx, args.connection, client, connectionErrors());
  if (entry.config.type === 'sms' && args.accept !== 'password')
    return {
      entry,
      profile: checkSmsCode(ctx, entry, {
        phone: args.username,
        code: args.secret,
        client,
        ip: args.ip,
      }),
    };
  if (entry.password && args.accept !== 'sms')
    return {
      entry,
      profile: await checkPassword(ctx, entry, {
        username: args.username,
        password: args.secret,
        ip: args.ip,
        secondFactor: args.secondFactor,
      }),
    };
  throw strategyNotSupported();
}

/** A TOTP code (`OTP_CODE_LENGTH` digits) of `secret`, with 30 s of clock skew allowed either way. */
export async function totpValid(
  ctx: TenantContext,
  secret: string,
  code: string,
): Promise<boolean> {
  if (!OTP_CODE.test(code)) return false;
  try {
    const result = await verifyTotp({
      secret,
      token: code,
      epochTolerance: 30,
      epoch: Math.floor(ctx.now() / 1000),
    });
    return result.valid;
  } catch {
    return false;
  }
}
