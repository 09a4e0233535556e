/**
 * Database sign-up and password reset (spec §7), as Lock and auth0.js call them; JSON or form
 * bodies; every error is `{name, code, description, statusCode}` (signup.ts).
 *
 * `POST /dbconnections/signup` `{client_id, connection, email, password, username?, given_name?,
 * family_name?, name?, nickname?, picture?, user_metadata?}` → 200 `{_id, email_verified: false,
 * email, username?}`. The client must know the connection (as /passwordless/start checks it), the
 * connection must be a database one that allows sign-up, the password must pass its policy
 * (password-sheriff) and fit bcrypt's 72 bytes. The password is hashed before the tenant looks
 * whether the address is taken, so `user_exists` (or `invalid_signup`, config
 * `preventSignupEnumeration`) comes after the same work as a success. Every request counts
 * against its IP address (config `limits.signupsPerIp` per `signupWindowSeconds`): 429 beyond.
 *
 * `POST /dbconnections/change_password` `{client_id, connection, email}` → 200, the JSON string
 * "We've just sent you an email to reset your password.", whether or not the address has an
 * account: for one that has, a one-time ticket (stored hashed; it retires the user's older ones)
 * and an email with the link `{issuer}lo/reset?ticket=…` (routes/reset-page.ts) go out; for one
 * that has not, the same steps are taken and nothing is sent. Delivery is not awaited (a
 * webhook's time or failure would tell that the account exists). Limits per
 * address (its lower-case form, across every connection: one mailbox) and per IP (config
 * `email`), counted whether or not the account exists.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ConnectionConfig } from '../config';
import type { TenantContext } from '../context';
import { hashPassword } from '../database';
import { resetEmail } from '../email';
import { addressKey, type SlidingWindow } from '../rate-limit';
import { bodyOf, str, type Body } from '../request';
import { RESET_EMAIL_SENT } from '../../shared/signup-rules';
import { RESET_ROUTE } from './reset-page';
import { lookupConnection } from '../sign-in';
import {
  assertPasswordAcceptable,
  badRequest,
  DB_LIMIT_MESSAGES,
  DbConnectionError,
  dbRateLimited,
  emailOf,
  profileFieldsOf,
  requiredString,
  SIGNUP_MESSAGES,
  userMetadataOf,
  usernameOf,
} from '../signup';

/** The user id an unknown address's reset ticket is stored under (no account has it). */
const NO_ACCOUNT = '(no account)';

type DatabaseConnection = Extract<ConnectionConfig, { type: 'database' }>;

/**
 * The database connection a request names, for a client that may use it: the client and
 * connection checks of /passwordless/start, with its `bad.*` codes, in the `/dbconnections` shape.
 */
function databaseConnection(ctx: TenantContext, body: Body): DatabaseConnection {
  const clientId = str(body, 'client_id');
  if (!clientId) throw badRequest('bad.client_id', 'Missing required property: client_id');
  const client = ctx.clients.get(clientId);
  if (!client) throw badRequest('bad.client_id', 'Unknown client');
  const name = str(body, 'connection');
  if (!name) throw badRequest('bad.connection', 'Missing required property: connection');
  const entry = lookupConnection(ctx, name, client, {
    notFound: badRequest('bad.connection', 'Connection does not exist'),
    disabled: badRequest('bad.connection', 'Connection is disabled'),
  });
  if (entry.config.type !== 'database')
    throw badRequest(
      'bad.connection',
      'Invalid connection strategy. It must be a database connection',
    );
  return entry.config;
}

/** Counts one event under each key; throws the 429 (nothing counted) when one window is full. */
function spend(text: string, windows: Array<[SlidingWindow, string]>): void {
  const full = windows
    .map(([w, key]) => w.peek(key))
    .filter((s) => s.remaining === 0)
    .sort((a, b) => b.resetMs - a.resetMs)[0];
  if (full) throw dbRateLimited(text, full);
  for (const [w, key] of windows) w.hit(key);
}

export function registerDbConnections(app: FastifyInstance, ctx: TenantContext): void {
  app.post('/dbconnections/signup', async (req, reply) => {
    const body = bodyOf(req);
    spend(DB_LIMIT_MESSAGES.signups, [[ctx.dbLimits.signupsByIp, addressKey(req.ip)]]);
    const connection = databaseConnection(ctx, body);
    if (connection.disableSignup)
      throw new DbConnectionError(403, 'operation_not_allowed', SIGNUP_MESSAGES.signupDisabled);
    const email = emailOf(body);
    const password = requiredString(body, 'password');
    const username = usernameOf(body, connection.requires_username);
    const profile = profileFieldsOf(body);
    const userMetadata = userMetadataOf(body);
    assertPasswordAcceptable(connection.passwordPolicy, password);
    const passwordHash = await hashPassword(password, connection.bcryptCost);

    const refuseIfTaken = () => {
      const taken = ctx.db.loginTaken(connection.name, {
        email,
        ...(username ? { username } : {}),
      });
      if (!taken) return;
      if (ctx.config.preventSignupEnumeration)
        throw badRequest('invalid_signup', SIGNUP_MESSAGES.invalidSignup);
      throw taken === 'email'
        ? badRequest('user_exists', SIGNUP_MESSAGES.userExists)
        : badRequest('username_exists', SIGNUP_MESSAGES.usernameExists);
    };
    refuseIfTaken();
    let user;
    try {
      user = await ctx.db.createUser({
        connection: connection.name,
        email,
        ...(username ? { username } : {}),
        password_hash: passwordHash,
        ...profile,
        user_metadata: { ...userMetadata },
        email_verified: false,
      });
    } catch (err) {
      // Another sign-up of the same name won the race between the look and the insert.
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) refuseIfTaken();
      throw err;
    }
    ctx.log(`sign-up: ${user.user_id} on ${connection.name}`);
    return reply.send({
      _id: user.user_id.slice(user.user_id.indexOf('|') + 1),
      email_verified: false,
      email: user.email,
      ...(user.username ? { username: user.username } : {}),
    });
  });

  app.post('/dbconnections/change_password', async (req, reply) => {
    const body = bodyOf(req);
    const connection = databaseConnection(ctx, body);
    const email = emailOf(body);
    spend(DB_LIMIT_MESSAGES.resets, [
      // The mailbox, whatever the connection: one address is one inbox to flood.
      [ctx.dbLimits.resetsByEmail, email],
      [ctx.dbLimits.resetsByIp, addressKey(req.ip)],
    ]);
    const now = ctx.now();
    const lifetime = ctx.config.email.resetTicketSeconds;
    // The same steps whether or not the account exists, so the answer's time tells nothing: an
    // unknown address's ticket is stored under a user id no account has (and replaced by the next
    // one), and its email is written but not sent.
    const ticket = randomBytes(32).toString('base64url');
    const user = ctx.db.findByEmail(connection.name, email);
    ctx.db.issueResetTicket(ticket, user?.user_id ?? NO_ACCOUNT, now + lifetime * 1000, now);
    const link = `${ctx.issuer}${RESET_ROUTE.slice(1)}?ticket=${ticket}`;
    const message = { recipient: user?.email ?? email, link };
    const text = resetEmail(message.recipient, link, lifetime);
    if (user?.email)
      ctx.email
        .send({ ...message, ...text, secret: ticket })
        .catch((err: Error) => ctx.log(`[email] not sent: ${err.message}`));
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(RESET_EMAIL_SENT));
  });
}
