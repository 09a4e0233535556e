/**
 * The demo tenant's directory: a tiny in-process LDAP server on 127.0.0.1 serving
 * `dc=corp,dc=signet,dc=test` with one user, `grace` / `Cobol-1959!` (Grace Hopper, groups
 * engineering and navy through `memberOf`), and a read-only service account whose password is
 * made fresh at each start. It answers exactly what the `corp-ldap` connection does in search
 * mode: simple binds, and base/one/sub searches for bound callers.
 *
 * Like Active Directory, a refused bind carries a `data XXX` sub-code (52e wrong password,
 * 525 no such user) so the demo shows the §5 mapping end to end.
 *
 * This is the only module that uses `ldapjs` (its server; unmaintained upstream, acceptable for
 * a demo). Filter values are compared exactly (a real directory ignores case for most
 * attributes; this one does not). Everything else about LDAP is ldapts.
 */
import { createRequire } from 'node:module';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import type { LdapConnectionConfig } from './connections/ldap';

const BASE_DN = 'dc=corp,dc=signet,dc=test';
const SERVICE_DN = `cn=signet-reader,ou=services,${BASE_DN}`;
const GRACE_DN = `uid=grace,ou=people,${BASE_DN}`;
/** The demo directory's one user's password (tests read it from here). */
export const GRACE_PASSWORD = 'Cobol-1959!';

type Attributes = Record<string, string | string[]>;
interface DemoEntry {
  dn: string;
  attributes: Attributes;
  password?: string;
}

// --- the few ldapjs shapes used here (ldapjs ships no types) -----------------------------------
interface LdapjsDn {
  toString(): string;
}
interface LdapjsRequest {
  dn: LdapjsDn | string;
  credentials?: string;
  scopeName?: string;
  filter: { matches(obj: Attributes, strictAttrCase?: boolean): boolean };
  attributes: string[];
  connection: { ldap: { bindDN: LdapjsDn } };
}
interface LdapjsResponse {
  attributes: string[];
  diagnosticMessage: string;
  send(entry: { dn: string; attributes: Attributes }, noFiltering?: boolean): void;
  end(status?: number): void;
}
type Next = (err?: Error) => void;
type Handler = (req: LdapjsRequest, res: LdapjsResponse, next: Next) => void;
interface LdapjsServer {
  bind(dn: string, handler: Handler): void;
  search(dn: string, handler: Handler): void;
  listen(port: number, host: string, cb: () => void): void;
  close(cb?: () => void): void;
  on(event: 'error' | 'clientError', cb: (err: Error) => void): void;
  server: {
    on(event: 'connection', cb: (socket: Socket) => void): void;
    address(): { port: number } | string | null;
  };
}
interface LdapjsModule {
  createServer(opts?: { log?: unknown }): LdapjsServer;
}

/** LDAP result codes answered here. */
const INVALID_CREDENTIALS = 49;
const INSUFFICIENT_ACCESS = 50;
const NO_SUCH_OBJECT = 32;

/**
 * Ends the request with an error result and a diagnostic message. (ldapjs 3's own error path,
 * `next(err)`, sets the removed `errorMessage` field and so drops the message.)
 */
function refuse(res: LdapjsResponse, next: Next, code: number, message: string): void {
  res.diagnosticMessage = message;
  res.end(code);
  next();
}

const silentLog = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  fatal() {},
  child() {
    return silentLog;
  },
};

/** AD's own wording, so the connection's sub-code parser sees what a real DC sends. */
function adBindRefusal(data: '52e' | '525'): string {
  return `80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data ${data}, v4563`;
}

/** Lower case, no blanks around `,` and `=` — enough for the plain DNs served here. */
function normalizeDn(dn: LdapjsDn | string): string {
  return String(dn)
    .toLowerCase()
    .replace(/\s*([,=])\s*/g, '$1')
    .trim();
}

function passwordMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function directoryEntries(servicePassword: string): DemoEntry[] {
  const group = (cn: string, members: string[]): DemoEntry => ({
    dn: `cn=${cn},ou=groups,${BASE_DN}`,
    attributes: { objectClass: ['top', 'groupOfNames'], cn, member: members },
  });
  const ou = (name: string): DemoEntry => ({
    dn: `ou=${name},${BASE_DN}`,
    attributes: { objectClass: ['top', 'organizationalUnit'], ou: name },
  });
  return [
    { dn: BASE_DN, attributes: { objectClass: ['top', 'domain'], dc: 'corp' } },
    ou('people'),
    ou('groups'),
    ou('services'),
    {
      dn: SERVICE_DN,
      password: servicePassword,
      attributes: { objectClass: ['top', 'person'], cn: 'signet-reader', sn: 'reader' },
    },
    {
      dn: GRACE_DN,
      password: GRACE_PASSWORD,
      attributes: {
        objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson', 'user'],
        uid: 'grace',
        sAMAccountName: 'grace',
        userPrincipalName: 'grace@corp.signet.test',
        cn: 'Grace Hopper',
        displayName: 'Grace Hopper',
        givenName: 'Grace',
        sn: 'Hopper',
        mail: 'grace@corp.signet.test',
        entryUUID: '6a1f0d2e-1906-4c0b-9d2a-0b1e5e1a1992',
        memberOf: [`cn=engineering,ou=groups,${BASE_DN}`, `cn=navy,ou=groups,${BASE_DN}`],
      },
    },
    group('engineering', [GRACE_DN]),
    group('navy', [GRACE_DN]),
  ];
}

function inScope(entryDn: string, baseDn: string, scope: string | undefined): boolean {
  if (scope === 'base') return entryDn === baseDn;
  const isBelow = baseDn === '' || entryDn.endsWith(`,${baseDn}`);
  if (scope === 'single' || scope === 'one') {
    return isBelow && !entryDn.slice(0, entryDn.length - baseDn.length - 1).includes(',');
  }
  return entryDn === baseDn || isBelow;
}

/** Only the requested attributes (all when none, `*`), matched without regard to case. */
function selectAttributes(attributes: Attributes, requested: string[]): Attributes {
  const wanted = requested.map((a) => a.toLowerCase());
  if (wanted.length === 0 || wanted.includes('*')) return { ...attributes };
  const out: Attributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (wanted.includes(name.toLowerCase())) out[name] = value;
  }
  return out;
}

/** Starts the demo directory; `connectionConfig` is a search-mode config pointing at it. */
export async function startDemoDirectory(opts: { port?: number } = {}): Promise<{
  url: string;
  close(): Promise<void>;
  connectionConfig: LdapConnectionConfig;
}> {
  const require = createRequire(import.meta.url);
  const ldapjs = require('ldapjs') as LdapjsModule;
  const servicePassword = randomBytes(18).toString('base64url');
  const entries = directoryEntries(servicePassword);
  const byDn = new Map(entries.map((e) => [normalizeDn(e.dn), e]));
  const bindable = new Set([normalizeDn(SERVICE_DN), normalizeDn(GRACE_DN)]);

  const server = ldapjs.createServer({ log: silentLog });
  server.on('error', () => undefined);
  server.on('clientError', () => undefined);
  const sockets = new Set<Socket>();
  server.server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  server.bind(BASE_DN, (req, res, next) => {
    const entry = byDn.get(normalizeDn(req.dn));
    if (!entry?.password) return refuse(res, next, INVALID_CREDENTIALS, adBindRefusal('525'));
    if (!passwordMatches(entry.password, req.credentials)) {
      return refuse(res, next, INVALID_CREDENTIALS, adBindRefusal('52e'));
    }
    res.end();
    return next();
  });

  server.search(BASE_DN, (req, res, next) => {
    if (!bindable.has(normalizeDn(req.connection.ldap.bindDN))) {
      return refuse(res, next, INSUFFICIENT_ACCESS, 'bind first');
    }
    const base = normalizeDn(req.dn);
    if (!byDn.has(base))
      return refuse(res, next, NO_SUCH_OBJECT, `no such entry: ${String(req.dn)}`);
    // Attributes are selected above; ldapjs's own selection compares case-folded names with
    // the requested ones as sent, and would drop `memberOf` and every other camelCase name.
    res.attributes = ['*'];
    for (const entry of entries) {
      if (!inScope(normalizeDn(entry.dn), base, req.scopeName)) continue;
      if (!req.filter.matches(entry.attributes, false)) continue;
      res.send({ dn: entry.dn, attributes: selectAttributes(entry.attributes, req.attributes) });
    }
    res.end();
    return next();
  });

  await new Promise<void>((resolve, reject) => {
    server.on('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `ldap://127.0.0.1:${port}`;

  return {
    url,
    connectionConfig: {
      url,
      bindMode: 'search',
      baseDN: BASE_DN,
      bindDN: SERVICE_DN,
      bindPassword: servicePassword,
      userFilter: '(|(sAMAccountName={0})(userPrincipalName={0}))',
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
