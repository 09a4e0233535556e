/**
 * `POST /passwordless/start`: sends a one-time code by SMS (`send: "code"`, or no `send` at all
 * as Auth0's SDKs send it; never a link: a desktop app wants a code), bound to the client and connection asked for. Errors are Auth0's `bad.<field>`
 * bodies; a request that is valid but beyond the sends allowed per phone or per address (see
 * sms.ts) is 429 `too_many_requests` with `Retry-After`, and nothing is sent.
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context';
import { E164, MESSAGES } from '../../shared/auth0-protocol';
import { bodyOf, safeEqual, str } from '../request';
import { lookupConnection } from '../sign-in';
import { badField } from '../errors';

const PASSWORDLESS_FIELDS = new Set([
  'client_id',
  'client_secret',
  'connection',
  'phone_number',
  'email',
  'send',
  'authParams',
]);

const typeName = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

export function registerPasswordless(app: FastifyInstance, ctx: TenantContext): void {
  app.post('/passwordless/start', async (req, reply) => {
    const body = bodyOf(req);
    const extra = Object.keys(body).filter((k) => !PASSWORDLESS_FIELDS.has(k));
    if (extra.length)
      throw badField('request', `the following properties are not allowed: ${extra.join(', ')}`);
    const clientId = str(body, 'client_id');
    if (!clientId) throw badField('client_id', 'Missing required property: client_id');
    const client = ctx.clients.get(clientId);
    if (!client) throw badField('client_id', `Unknown client: ${clientId}`);
    const secret = body.client_secret;
    if (
      secret !== undefined &&
      client.client_secret !== undefined &&
      !(typeof secret === 'string' && safeEqual(secret, client.client_secret))
    ) {
      throw badField('client_secret', 'Invalid client_secret');
    }
    const connectionName = str(body, 'connection');
    if (!connectionName) throw badField('connection', 'Missing required property: connection');
    const entry = lookupConnection(ctx, connectionName, client, {
      notFound: badField('connection', 'Connection does not exist'),
      disabled: badField('connection', 'Connection is disabled'),
    });
    if (entry.config.type !== 'sms')
      throw badField(
        'connection',
        'Invalid connection strategy. It must either be a passwordless connection',
      );
    const phone = body.phone_number;
    if (phone === undefined || phone === '')
      throw badField('phone_number', 'Missing required property: phone_number');
    if (typeof phone !== 'string')
      throw badField('phone_number', `Expected type string but found type ${typeName(phone)}`);
    if (!E164.test(phone)) throw badField('phone_number', MESSAGES.phonePattern);
    // Auth0's SDKs (auth0-python, node-auth0, auth0.js) leave `send` out for sms: a code.
    const send = body.send ?? 'code';
    if (send !== 'code') {
      if (send === 'link') {
        throw badField('send', 'send "link" is not supported by the local tenant: send "code"');
      }
      throw badField('send', `No enum match for: ${JSON.stringify(send)}`);
    }
    const authParams = body.authParams;
    if (
      authParams !== undefined &&
      (typeof authParams !== 'object' || authParams === null || Array.isArray(authParams))
    ) {
      throw badField(
        'authParams',
        `error in authParams - invalid type: ${typeName(authParams)} (expected object)`,
      );
    }
    await ctx.sms.send(phone, { clientId, connection: entry.config.name, ip: req.ip });
    return reply.send({
      _id: ctx.db.phoneUserHex(entry.config.name, phone),
      phone_number: phone,
      phone_verified: false,
      request_language: null,
    });
  });
}
