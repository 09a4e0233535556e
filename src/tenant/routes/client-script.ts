/**
 * `GET /client/{client_id}.js` (spec §8): the JSONP script Lock loads before it shows a form,
 * `Auth0.setClient({...});`, listing the client's enabled connections grouped by strategy with
 * what the form needs of each (database: password policy, sign-up, reset, username; AD: the
 * email domains of home-realm discovery). Signet's core reads it without evaluating it
 * (src/core/auth/client-config.ts).
 *
 * The path is matched on the raw URL: the client id exactly as the config spells it
 * (`CLIENT_ID_PATTERN`), then `.js`; anything else (percent-encoding, `..`, a trailing `/`,
 * `.js.js` naming a client `x.js` that does not exist) is the tenant's ordinary 404.
 */
import type { FastifyInstance } from 'fastify';
import { isIP } from 'node:net';
import { CLIENT_ID_PATTERN, type ConnectionConfig } from '../config';
import type { TenantContext } from '../context';

/** Seconds a browser or proxy may reuse the script (a config change shows within a minute). */
export const CLIENT_SCRIPT_MAX_AGE = 60;

/** The `subscription` Lock reads; the local tenant is a free one. */
const SUBSCRIPTION = 'free';

/** One connection as the script lists it under its strategy. */
type ScriptConnection = Record<string, unknown> & { name: string };

/** The strategy a connection is listed under and what Lock reads of it. */
function describe(c: ConnectionConfig): { strategy: string; entry: ScriptConnection } {
  switch (c.type) {
    case 'database':
      return {
        strategy: 'auth0',
        entry: {
          name: c.name,
          passwordPolicy: c.passwordPolicy,
          showSignup: !c.disableSignup,
          showForgot: true,
          requires_username: c.requires_username,
        },
      };
    case 'ad':
      return {
        strategy: 'ad',
        entry: {
          name: c.name,
          ...(c.domain ? { domain: c.domain } : {}),
          domain_aliases: c.domain_aliases,
        },
      };
    case 'sms':
      return { strategy: 'sms', entry: { name: c.name } };
    case 'social':
      return { strategy: c.strategy, entry: { name: c.name } };
  }
}

/**
 * The tenant's name as Lock shows it: the first label of the issuer's host (`acme` of
 * `acme.eu.auth0.com`); `local` when the issuer is an IP address or a bare `localhost`.
 */
export function tenantName(issuer: string): string {
  const host = new URL(issuer).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) || !host.includes('.')) return 'local';
  return host.split('.')[0] ?? 'local';
}

/** The `Auth0.setClient` object of a client: its enabled connections by strategy, in config order. */
export function clientScriptObject(ctx: TenantContext, clientId: string) {
  const client = ctx.clients.get(clientId);
  if (!client) return undefined;
  const allowed = client.connections ? new Set(client.connections) : undefined;
  const strategies = new Map<string, ScriptConnection[]>();
  for (const c of ctx.config.connections) {
    if (!c.enabled || (allowed && !allowed.has(c.name))) continue;
    const { strategy, entry } = describe(c);
    const list = strategies.get(strategy) ?? [];
    list.push(entry);
    strategies.set(strategy, list);
  }
  return {
    id: client.client_id,
    tenant: tenantName(ctx.issuer),
    subscription: SUBSCRIPTION,
    strategies: [...strategies].map(([name, connections]) => ({ name, connections })),
  };
}

/** `/client/<id>.js` on the raw path: the id as the config spells it, nothing decoded. */
const SCRIPT_PATH = /^\/client\/([^/]+)\.js$/;

export function registerClientScript(app: FastifyInstance, ctx: TenantContext): void {
  app.get('/client/*', async (req, reply) => {
    const id = SCRIPT_PATH.exec(req.url.split('?')[0] ?? '')?.[1];
    const object = id && CLIENT_ID_PATTERN.test(id) ? clientScriptObject(ctx, id) : undefined;
    // The same 404 as an unknown route: nothing tells an unknown client from a wrong path.
    if (!object) {
      reply.callNotFound();
      return reply;
    }
    return reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cache-control', `public, max-age=${CLIENT_SCRIPT_MAX_AGE}`)
      .header('x-content-type-options', 'nosniff')
      .send(`Auth0.setClient(${JSON.stringify(object)});`);
  });
}
