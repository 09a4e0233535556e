/**
 * The AD/LDAP connection (strategy `ad`): checks a password by binding to a directory with
 * ldapts, then reads the user's profile and groups.
 *
 * Bind modes (`bindMode`):
 * - `upn`: bind as `user@realm` (a typed `user@anything` is used as it is).
 * - `domain`: bind as `DOMAIN\user` (a typed `DOMAIN\user` or `user@realm` is used as it is).
 * - `search`: bind with the service account (`bindDN`/`bindPassword`), search `baseDN` with
 *   `userFilter` (the typed name is RFC 4515-escaped into `{0}`), then bind as the found DN.
 *   No match, or more than one match, is a wrong user name.
 * In `upn`/`domain` mode the profile is read as the user itself, under `baseDN`, with
 * `userFilter` (default `(|(userPrincipalName={upn})(sAMAccountName={0}))` when there is a UPN,
 * since AD also takes the implicit UPN `sAMAccountName@domain`, else `(sAMAccountName={0})`).
 * The entry must be the account that bound: its UPN is the bind name, or (`DOMAIN\user` with
 * this `domain`) its sAMAccountName is the user name, or else it takes the same password in a
 * bind by its DN. An account that binds but is not found under `baseDN` is outside the
 * allowed base and refused like an unknown user (as Auth0's connector does: it searches
 * `baseDN` first); so is an ambiguous match.
 *
 * Filter templates: `{0}` is the user name without realm/domain, `{upn}` is `user@realm`,
 * `{dn}` (group search only) the user's DN; every value is escaped (RFC 4515) before it goes in.
 *
 * Profile: `user_id` is `ad|<connection>|<id>` where `<id>` is `idAttribute` if configured,
 * else the first of objectGUID (as AD prints a GUID), entryUUID, uid, and finally the DN.
 * `groups` is the cn of each `memberOf` value, plus the cn of each entry found by
 * `groupSearchFilter` (OpenLDAP without the memberOf overlay, e.g.
 * `(&(objectClass=groupOfNames)(member={dn}))`), plus, with `nestedGroups`, every group that
 * holds the user through nesting (AD's LDAP_MATCHING_RULE_IN_CHAIN, 1.2.840.113556.1.4.1941).
 * Also: name (displayName, cn, or given + family name), given_name (givenName), family_name
 * (sn), email (mail), upn (userPrincipalName), nickname (sAMAccountName or uid), dn.
 *
 * `findById` searches again with the service account; see its comment. So does `accountId`,
 * which tells brute-force protection which account a typed name means before any bind.
 *
 * Errors (all `TenantError`; the body's extra fields are documented here):
 * - A refused user bind maps per spec §5 from AD's `data XXX` sub-code: 52e/525/530/531 → 401
 *   `invalid_user_password`; 532/773 → 401 `password_change_required`; 533/534/701 → 401
 *   `unauthorized` `user is blocked`; 775 → 429 `too_many_attempts`. A plain LDAP 49 without a
 *   sub-code (OpenLDAP), an unknown user, an empty password (which would otherwise be an
 *   unauthenticated bind that succeeds, RFC 4513 §5.1.2), a user outside `baseDN` → 401
 *   `invalid_user_password`. AD (and Samba AD, checked against 4.17) sends the state's sub-code
 *   only when the password is right; a wrong one is `52e` whatever the state, except for a
 *   locked account, which is `775` either way.
 *   Extra fields: `ldap_status` = the raw AD sub-code (e.g. `"52e"`) when the directory sent
 *   one, `ldap_result` = the LDAP result code (e.g. `49`) when there was one. (These tell IT
 *   what the directory said — and so, like AD's own 525 vs 52e, whether a user exists; the
 *   spec chooses diagnostics over hiding that on the local tenant.)
 * - A directory that cannot serve the request — refused or timed-out TCP connection, TLS
 *   failure, no answer within `timeoutMs`, the service account refused, a bad `baseDN` — is
 *   **503 `connection_unavailable`**, with a description naming the connection and the
 *   directory URL and saying what went wrong (Auth0 has no documented code for an offline
 *   AD connector; this keeps OAuth's `*_unavailable` wording and says which directory).
 *   Extra fields: `ldap_error` = the socket error code (`ECONNREFUSED`, ...) or `timeout`,
 *   or `ldap_result` for an LDAP result code; for a TLS failure also `tls_error` = the same
 *   code (`UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `SELF_SIGNED_CERT_IN_CHAIN`,
 *   `ERR_TLS_CERT_ALTNAME_INVALID`, `ERR_SSL_…`), and the description says what to set
 *   (`tlsCA`, `tlsServerName`). An unreachable directory answers after at most
 *   `connectTimeoutMs` (refused: at once); one that accepts but stays silent after
 *   `timeoutMs` (defaults 5000 ms each) — never a hang.
 *
 * Every attempt opens one client and always unbinds it (an open ldapts client keeps Node
 * alive). `tlsCA` (a PEM file read once, when the connection is created) and `tlsServerName`
 * (the name the certificate must carry, when the URL has an address or another name) are used
 * only for `ldaps://` or `startTLS`; certificates are always verified.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import {
  BusyError,
  Client,
  ConfidentialityRequiredError,
  EqualityFilter,
  escapeFilter,
  Filter,
  FilterParser,
  InvalidDNSyntaxError,
  NoSuchObjectError,
  OrFilter,
  ResultCodeError,
  SizeLimitExceededError,
  StrongAuthRequiredError,
  UnavailableError,
  type ClientOptions,
  type Entry,
  type SearchResult,
} from 'ldapts';
import type { ConnectionOptions, PeerCertificate } from 'node:tls';
import { z } from 'zod';
import {
  isCertificateErrorCode,
  isHandshakeErrorCode,
  isUntrustedIssuerCode,
} from '../../node/tls-errors';
import { adSubcode } from '../../shared/ad-subcodes';
import { TenantError, tenantError } from '../errors';
import type { PasswordConnection, UserProfile } from '../types';

export const DEFAULT_TIMEOUT_MS = 5000;

/** `{0}`, `{upn}` and `{dn}` must still form a valid filter once filled in. */
function isValidFilterTemplate(template: string): boolean {
  // ldapts also takes a bare `uid=x`; a directory admin's config should say what it means.
  if (!template.startsWith('(') || !template.endsWith(')')) return false;
  try {
    FilterParser.parseString(fillTemplate(template, { '0': 'x', upn: 'x@x', dn: 'cn=x' }));
    return true;
  } catch {
    return false;
  }
}

const filterTemplate = z.string().min(3).refine(isValidFilterTemplate, {
  message: 'must be an LDAP filter (RFC 4515) such as (uid={0})',
});

export const ldapConnectionSchema = z
  .strictObject({
    /** `ldap://host[:port]` or `ldaps://host[:port]`. */
    url: z.string().refine(
      (value) => {
        try {
          const u = new URL(value);
          return (
            (u.protocol === 'ldap:' || u.protocol === 'ldaps:') &&
            u.hostname !== '' &&
            ['', '/'].includes(u.pathname)
          );
        } catch {
          return false;
        }
      },
      { message: 'must be ldap://host[:port] or ldaps://host[:port]' },
    ),
    bindMode: z.enum(['upn', 'domain', 'search']),
    /** `upn` mode: appended as `user@realm` when the user typed no `@`. */
    realm: z.string().min(1).optional(),
    /** `domain` mode: the NetBIOS domain, `DOMAIN\user`. */
    domain: z.string().min(1).optional(),
    /** Where users (and, by default, groups) are searched. */
    baseDN: z.string().min(1),
    /** Service account: required for `search`, enables `findById` in every mode. */
    bindDN: z.string().min(1).optional(),
    bindPassword: z.string().min(1).optional(),
    /** Filter finding the user; defaults: search `(sAMAccountName={0})`, upn `(userPrincipalName={upn})`, domain `(sAMAccountName={0})`. */
    userFilter: filterTemplate.optional(),
    /** Attribute holding the stable id (default: objectGUID, entryUUID, uid, then the DN). */
    idAttribute: z.string().min(1).optional(),
    /** Groups found by search, e.g. `(&(objectClass=groupOfNames)(member={dn}))`. */
    groupSearchFilter: filterTemplate.optional(),
    /** Base of group searches (default `baseDN`). */
    groupSearchBase: z.string().min(1).optional(),
    /** AD: add nested groups through 1.2.840.113556.1.4.1941 (LDAP_MATCHING_RULE_IN_CHAIN). */
    nestedGroups: z.boolean().optional(),
    /** Upgrade `ldap://` with StartTLS before any bind. */
    startTLS: z.boolean().optional(),
    /** PEM file of the CA that signed the directory's certificate (ldaps:// or startTLS only). */
    tlsCA: z.string().min(1).optional(),
    /**
     * The name the directory's certificate is checked against when it is not the URL's host,
     * e.g. a DC reached as `ldaps://10.0.0.5` whose certificate says `dc1.corp.example`
     * (ldaps:// or startTLS only). Also sent as SNI.
     */
    tlsServerName: z
      .string()
      .regex(/^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/, {
        message: 'must be a host name such as dc1.corp.example',
      })
      .optional(),
    /** TCP (and TLS) connect timeout, default 5000 ms. */
    connectTimeoutMs: z.number().int().positive().max(120_000).optional(),
    /** Timeout of each LDAP operation, default 5000 ms. */
    timeoutMs: z.number().int().positive().max(120_000).optional(),
  })
  .superRefine((cfg, ctx) => {
    const ldaps = cfg.url.toLowerCase().startsWith('ldaps:');
    if (cfg.bindMode === 'search' && (!cfg.bindDN || !cfg.bindPassword)) {
      ctx.addIssue({
        code: 'custom',
        path: ['bindDN'],
        message: 'search mode needs bindDN and bindPassword (the service account)',
      });
    }
    if (Boolean(cfg.bindDN) !== Boolean(cfg.bindPassword)) {
      ctx.addIssue({
        code: 'custom',
        path: ['bindPassword'],
        message: 'bindDN and bindPassword go together',
      });
    }
    if (cfg.startTLS && ldaps) {
      ctx.addIssue({
        code: 'custom',
        path: ['startTLS'],
        message: 'startTLS is for ldap:// URLs; ldaps:// is already TLS',
      });
    }
    if (cfg.tlsCA && !ldaps && !cfg.startTLS) {
      ctx.addIssue({
        code: 'custom',
        path: ['tlsCA'],
        message: 'tlsCA is used only with ldaps:// or startTLS',
      });
    }
    if (cfg.tlsServerName && !ldaps && !cfg.startTLS) {
      ctx.addIssue({
        code: 'custom',
        path: ['tlsServerName'],
        message: 'tlsServerName is used only with ldaps:// or startTLS',
      });
    }
  });

export type LdapConnectionConfig = z.infer<typeof ldapConnectionSchema>;

// ---------------------------------------------------------------------------------------------
// Pure helpers (exported for tests)

/**
 * Fills `{0}`, `{upn}`, `{dn}` in one pass (so an inserted value is never re-scanned), each value
 * escaped by ldapts (RFC 4515 §3: `\ * ( )` and NUL).
 */
export function fillTemplate(
  template: string,
  values: Partial<Record<'0' | 'upn' | 'dn', string>>,
): string {
  return template.replace(/\{(0|upn|dn)\}/g, (whole, key: '0' | 'upn' | 'dn') => {
    const value = values[key];
    return value === undefined ? whole : Filter.escape(value);
  });
}

/** The bind name for upn/domain mode and the bare user name (`{0}`) and UPN (`{upn}`). */
export function loginNames(
  cfg: Pick<LdapConnectionConfig, 'bindMode' | 'realm' | 'domain'>,
  username: string,
): { bindName: string; bare: string; upn: string | undefined } {
  const at = username.lastIndexOf('@');
  const slash = username.indexOf('\\');
  if (cfg.bindMode === 'upn') {
    if (at > 0) return { bindName: username, bare: username.slice(0, at), upn: username };
    const upn = cfg.realm ? `${username}@${cfg.realm}` : undefined;
    return { bindName: upn ?? username, bare: username, upn };
  }
  if (cfg.bindMode === 'domain') {
    if (slash >= 0) return { bindName: username, bare: username.slice(slash + 1), upn: undefined };
    if (at > 0) return { bindName: username, bare: username.slice(0, at), upn: username };
    return {
      bindName: cfg.domain ? `${cfg.domain}\\${username}` : username,
      bare: username,
      upn: undefined,
    };
  }
  return { bindName: username, bare: username, upn: at > 0 ? username : undefined };
}

/** AD's bind diagnostic carries the reason as `data XXX` (hex): `..., data 52e, v4563`. */
export function parseAdSubCode(diagnostic: string | undefined): string | undefined {
  const match = /\bdata ([0-9a-f]{1,8})\b/i.exec(diagnostic ?? '');
  return match?.[1]?.toLowerCase();
}

/**
 * The error for a refused user bind: LDAP result code (49 for invalidCredentials) and the
 * server's diagnostic message. Pure; see the module comment for the mapping.
 */
export function bindFailureError(
  resultCode: number | undefined,
  diagnostic: string | undefined,
): TenantError {
  const subCode = parseAdSubCode(diagnostic);
  const extra: Record<string, unknown> = {};
  if (subCode !== undefined) extra.ldap_status = subCode;
  if (resultCode !== undefined) extra.ldap_result = resultCode;
  // Spec §5, by AD sub-code; anything else with result 49 is a wrong user name or password.
  const row = subCode !== undefined ? adSubcode(subCode) : undefined;
  if (row) return new TenantError(row.status, row.error, row.description, extra);
  return tenantError.wrongPassword({ extra });
}

/** cn (or whatever the first RDN holds) of a DN such as `CN=Domain Users\, EU,OU=Groups,DC=x`. */
export function firstRdnValue(dn: string): string | undefined {
  const eq = dn.indexOf('=');
  if (eq < 0) return undefined;
  let out = '';
  for (let i = eq + 1; i < dn.length; i++) {
    const ch = dn[i] as string;
    if (ch === ',' || ch === '+') break;
    if (ch === '\\' && i + 1 < dn.length) {
      const hex = dn.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        // A run of \XX escapes is UTF-8 bytes.
        const bytes: number[] = [];
        while (dn[i] === '\\' && /^[0-9a-fA-F]{2}$/.test(dn.slice(i + 1, i + 3))) {
          bytes.push(parseInt(dn.slice(i + 1, i + 3), 16));
          i += 3;
        }
        out += Buffer.from(bytes).toString('utf8');
        i -= 1;
        continue;
      }
      out += dn[i + 1];
      i += 1;
      continue;
    }
    out += ch;
  }
  const value = out.trim();
  return value === '' ? undefined : value;
}

/** objectGUID bytes → `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` as AD shows it (first three groups little-endian). */
export function formatGuid(bytes: Buffer): string {
  const hex = (from: number, to: number, reverse: boolean): string => {
    const part = Array.from(bytes.subarray(from, to));
    return (reverse ? part.reverse() : part).map((b) => b.toString(16).padStart(2, '0')).join('');
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`;
}

/** Inverse of {@link formatGuid}: the 16 bytes of the objectGUID. */
export function guidBytes(guid: string): Buffer {
  const h = guid.replace(/-/g, '');
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Buffer.from(order.map((i) => parseInt(h.slice(i * 2, i * 2 + 2), 16)));
}

/**
 * `(objectGUID=<bytes>)` as a filter object. Not as a string with `\xx` escapes: ldapts turns
 * each escape into one UTF-16 unit and sends the string as UTF-8, so every byte ≥ 0x80 goes out
 * as two bytes and a real AD matches nothing (seen against Samba AD).
 */
function guidFilter(guid: string): EqualityFilter {
  return new EqualityFilter({ attribute: 'objectGUID', value: guidBytes(guid) });
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------------------------
// The connection

const PROFILE_ATTRIBUTES = [
  'objectGUID',
  'entryUUID',
  'uid',
  'sAMAccountName',
  'userPrincipalName',
  'displayName',
  'cn',
  'givenName',
  'sn',
  'mail',
  'memberOf',
  // AD's account state, read so a token's user can be refused once disabled or expired.
  'userAccountControl',
  'accountExpires',
];

/** userAccountControl's ACCOUNTDISABLE bit. */
const UAC_ACCOUNTDISABLE = 0x2;
/** accountExpires values that mean "never" (0 and the largest FILETIME). */
const NEVER_EXPIRES = new Set(['0', '9223372036854775807']);
/** 100-ns intervals between 1601-01-01 (FILETIME's epoch) and 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;

/** Case-insensitive attribute access; binary values (objectGUID) come as Buffers. */
function values(entry: Entry, name: string): (string | Buffer)[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  if (!key || key === 'dn') return [];
  const raw = entry[key];
  if (raw === undefined) return [];
  return Array.isArray(raw) ? raw : [raw];
}

function text(entry: Entry, name: string): string | undefined {
  const first = values(entry, name)[0];
  if (first === undefined) return undefined;
  const value = typeof first === 'string' ? first : first.toString('utf8');
  return value === '' ? undefined : value;
}

class LdapConnection implements PasswordConnection {
  readonly strategy = 'ad' as const;
  private readonly connectTimeoutMs: number;
  private readonly timeoutMs: number;
  private readonly tlsOptions: ConnectionOptions | undefined;
  private readonly ldaps: boolean;

  constructor(
    readonly name: string,
    private readonly cfg: LdapConnectionConfig,
  ) {
    this.connectTimeoutMs = cfg.connectTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.timeoutMs = cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.ldaps = cfg.url.toLowerCase().startsWith('ldaps:');
    if (this.ldaps || cfg.startTLS) {
      const host = new URL(cfg.url).hostname.replace(/^\[|\]$/g, '');
      // Node checks the certificate against `servername` when set, else `host`.
      const certName = cfg.tlsServerName ?? host;
      this.tlsOptions = {
        ...(cfg.tlsCA ? { ca: [readFileSync(cfg.tlsCA, 'utf8')] } : {}),
        // StartTLS upgrades an existing socket: without `host` Node would check the
        // certificate against "localhost". SNI is for names only (RFC 6066), never addresses.
        host,
        ...(isIP(certName) ? {} : { servername: certName }),
        rejectUnauthorized: true,
      };
    }
  }

  async authenticate(username: string, password: string): Promise<UserProfile> {
    if (username.length === 0 || username.length > 512 || password.length === 0) {
      throw bindFailureError(undefined, undefined);
    }
    const names = loginNames(this.cfg, username);
    return this.withClient(async (client) => {
      if (this.cfg.bindMode === 'search') {
        await this.serviceBind(client);
        const entry = await this.findUser(client, this.searchFilter(names));
        if (!entry) throw bindFailureError(undefined, undefined);
        await this.userBind(client, entry.dn, password);
        if (this.needsGroupSearch()) await this.serviceBind(client);
        return this.profile(client, entry, names.bare);
      }

      await this.userBind(client, names.bindName, password);
      const entry = await this.boundEntry(client, names, password);
      // The password is right but the account is not under baseDN (or not visible there):
      // outside the allowed base. Auth0's connector, which always searches baseDN before it
      // binds, answers this as a wrong user name.
      if (!entry) throw bindFailureError(undefined, undefined);
      return this.profile(client, entry, names.bare);
    });
  }

  /**
   * The `user_id` of the entry `username` names, found with the service account (no password
   * is checked), so brute-force protection counts a user's sAMAccountName, UPN and other
   * spellings as one account. The entry is chosen as a sign-in would: search mode, the one
   * `userFilter` match; upn/domain mode, the match whose UPN is the bind name, else the only
   * match. Without a service account, for none or several matches: undefined. An unreachable
   * directory throws 503 `connection_unavailable`, as the sign-in itself would.
   */
  async accountId(username: string): Promise<string | undefined> {
    if (!this.cfg.bindDN || username.length === 0 || username.length > 512) return undefined;
    const names = loginNames(this.cfg, username);
    return this.withClient(async (client) => {
      await this.serviceBind(client);
      if (this.cfg.bindMode === 'search') {
        const entry = await this.findUser(client, this.searchFilter(names));
        return entry && this.stableId(entry);
      }
      const entries = await this.searchUsers(client, this.boundFilter(names), 3);
      const entry = entries && this.pickBound(entries, names);
      return entry && this.stableId(entry);
    });
  }

  /**
   * Looks the user up again with the service account. Without one (`upn`/`domain` mode with no
   * `bindDN`) there is no way to read the directory outside a sign-in: resolves `undefined`.
   * Also `undefined` for ids of another connection and for users no longer in the directory;
   * an unreachable directory throws 503 `connection_unavailable` (gone ≠ unreachable).
   */
  async findById(userId: string): Promise<UserProfile | undefined> {
    const prefix = `ad|${this.name}|`;
    if (!userId.startsWith(prefix) || !this.cfg.bindDN) return undefined;
    const id = userId.slice(prefix.length);
    if (id === '') return undefined;

    return this.withClient(async (client) => {
      await this.serviceBind(client);
      let base = this.cfg.baseDN;
      let filter: string | Filter;
      let scope: 'base' | 'sub' = 'sub';
      const attr = this.cfg.idAttribute;
      if (attr?.toLowerCase() === 'objectguid' || (!attr && UUID_RE.test(id))) {
        if (!UUID_RE.test(id)) return undefined;
        filter = attr
          ? guidFilter(id)
          : new OrFilter({
              filters: [guidFilter(id), new EqualityFilter({ attribute: 'entryUUID', value: id })],
            });
      } else if (attr) {
        filter = `(${attr}=${Filter.escape(id)})`;
      } else if (id.includes('=')) {
        // A DN id (entry without any id attribute): read it only inside baseDN.
        if (!id.toLowerCase().endsWith(this.cfg.baseDN.toLowerCase())) return undefined;
        base = id;
        scope = 'base';
        filter = '(objectClass=*)';
      } else {
        filter = escapeFilter`(uid=${id})`;
      }
      let found: SearchResult;
      try {
        found = await client.search(base, { ...this.searchOptions(filter, 2), scope });
      } catch (err) {
        if (err instanceof NoSuchObjectError || err instanceof InvalidDNSyntaxError)
          return undefined;
        throw this.unavailable('search for the user', err);
      }
      if (found.searchEntries.length !== 1) return undefined;
      const entry = found.searchEntries[0] as Entry;
      if (this.stableId(entry) !== id) return undefined;
      return this.profile(client, entry, undefined);
    });
  }

  // -- internals ------------------------------------------------------------------------------

  /** The one entry `filter` matches under baseDN; none or several (ambiguous) → undefined. */
  private async findUser(client: Client, filter: string): Promise<Entry | undefined> {
    const found = await this.searchUsers(client, filter, 2);
    return found?.length === 1 ? found[0] : undefined;
  }

  /** Entries `filter` matches under baseDN; undefined when more than `sizeLimit`. */
  private async searchUsers(
    client: Client,
    filter: string,
    sizeLimit: number,
  ): Promise<Entry[] | undefined> {
    try {
      return (await client.search(this.cfg.baseDN, this.searchOptions(filter, sizeLimit)))
        .searchEntries;
    } catch (err) {
      if (err instanceof SizeLimitExceededError) return undefined; // several matches
      throw this.unavailable('search for the user', err);
    }
  }

  /**
   * upn/domain mode: the entry, under baseDN, of the account that has just bound. AD resolves
   * `name@suffix` to the account with that explicit UPN, or else to the one whose implicit UPN
   * (`sAMAccountName@dns-domain`) it is; `DOMAIN\name` through that domain, which may be a
   * trusted one. So the default filter looks for both forms, and an entry counts as the bound
   * account when its UPN is the bind name (UPNs are unique in a forest) or, for
   * `<domain>\name` with this connection's `domain`, when its sAMAccountName is the name. Any
   * other single match (an implicit UPN, another domain's user, a custom `userFilter`) must
   * take the same password in a bind by its DN: one account's password never yields another
   * account's profile. Not found (outside baseDN), ambiguous, or refused → undefined.
   */
  private async boundEntry(
    client: Client,
    names: ReturnType<typeof loginNames>,
    password: string,
  ): Promise<Entry | undefined> {
    const entries = await this.searchUsers(client, this.boundFilter(names), 3);
    if (!entries) return undefined;
    const lower = (value: string | undefined) => value?.toLowerCase();
    const exact = this.exactUpn(entries, names);
    if (exact) return exact;
    if (entries.length !== 1) return undefined;
    const entry = entries[0] as Entry;
    const slash = names.bindName.indexOf('\\');
    if (
      slash > 0 &&
      this.cfg.domain !== undefined &&
      lower(names.bindName.slice(0, slash)) === lower(this.cfg.domain) &&
      lower(text(entry, 'sAMAccountName')) === lower(names.bare)
    ) {
      return entry;
    }
    try {
      await client.bind(entry.dn, password);
    } catch (err) {
      if (isRefusedBind(err)) return undefined;
      throw this.unavailable('user bind', err);
    }
    return entry;
  }

  /** search mode: the filter finding the user a typed name means. */
  private searchFilter(names: ReturnType<typeof loginNames>): string {
    return fillTemplate(this.cfg.userFilter ?? '(sAMAccountName={0})', {
      '0': names.bare,
      upn: names.upn ?? names.bare,
    });
  }

  /** upn/domain mode: the filter finding the account a bind name binds as (see boundEntry). */
  private boundFilter(names: ReturnType<typeof loginNames>): string {
    const defaultFilter = names.upn
      ? '(|(userPrincipalName={upn})(sAMAccountName={0}))'
      : '(sAMAccountName={0})';
    return fillTemplate(this.cfg.userFilter ?? defaultFilter, {
      '0': names.bare,
      upn: names.upn ?? names.bare,
    });
  }

  /** The one entry whose UPN is the typed UPN (UPNs are unique in a forest), if any. */
  private exactUpn(entries: Entry[], names: ReturnType<typeof loginNames>): Entry | undefined {
    if (!names.upn) return undefined;
    const upn = names.upn.toLowerCase();
    const exact = entries.filter((e) => text(e, 'userPrincipalName')?.toLowerCase() === upn);
    return exact.length === 1 ? exact[0] : undefined;
  }

  /** The account a bind name is taken to mean, for counting: the exact UPN, else the only match. */
  private pickBound(entries: Entry[], names: ReturnType<typeof loginNames>): Entry | undefined {
    return this.exactUpn(entries, names) ?? (entries.length === 1 ? entries[0] : undefined);
  }

  private needsGroupSearch(): boolean {
    return Boolean(this.cfg.groupSearchFilter || this.cfg.nestedGroups);
  }

  private searchOptions(filter: string | Filter, sizeLimit: number) {
    return {
      scope: 'sub' as const,
      filter,
      sizeLimit,
      timeLimit: Math.ceil(this.timeoutMs / 1000),
      attributes: this.cfg.idAttribute
        ? [...PROFILE_ATTRIBUTES, this.cfg.idAttribute]
        : PROFILE_ATTRIBUTES,
      explicitBufferAttributes: ['objectGUID'],
    };
  }

  /** Opens a client (StartTLS when configured), runs `fn`, always unbinds. */
  private async withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    const options: ClientOptions = {
      url: this.cfg.url,
      connectTimeout: this.connectTimeoutMs,
      timeout: this.timeoutMs,
      // tlsOptions make ldapts speak TLS from the first byte: only for ldaps://.
      ...(this.ldaps ? { tlsOptions: this.tlsOptions } : {}),
    };
    const client = new Client(options);
    try {
      if (this.cfg.startTLS) {
        await this.op('StartTLS', () =>
          withTimeout(client.startTLS({ ...this.tlsOptions }), this.timeoutMs, 'StartTLS'),
        );
      }
      return await fn(client);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  private async serviceBind(client: Client): Promise<void> {
    await this.op('service account bind', () =>
      client.bind(this.cfg.bindDN ?? '', this.cfg.bindPassword ?? ''),
    );
  }

  /** A refused user bind is the user's error (§5); anything else is the directory's. */
  private async userBind(client: Client, dn: string, password: string): Promise<void> {
    try {
      await client.bind(dn, password);
    } catch (err) {
      if (isRefusedBind(err)) throw bindFailureError(err.code, diagnosticOf(err));
      throw this.unavailable('user bind', err);
    }
  }

  /** Runs one directory step; any failure there means the directory can't serve (503). */
  private async op<T>(step: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof TenantError) throw err;
      throw this.unavailable(step, err);
    }
  }

  private unavailable(step: string, err: unknown): TenantError {
    const extra: Record<string, unknown> = {};
    let reason: string;
    if (err instanceof ResultCodeError) {
      extra.ldap_result = err.code;
      const sub = parseAdSubCode(err.message);
      if (sub) extra.ldap_status = sub;
      reason = `${step} failed with LDAP result ${err.code} (${diagnosticOf(err).slice(0, 200)})`;
    } else {
      const code = socketErrorCode(err);
      extra.ldap_error = code;
      const tls = this.tlsProblem(err, code);
      if (tls) {
        extra.tls_error = code;
        reason = `TLS failed (${step}): ${tls}`;
      } else {
        reason =
          code === 'timeout' ? `no answer within the timeout (${step})` : `${step} failed: ${code}`;
      }
    }
    return tenantError.connectionUnavailable(
      `The directory of connection "${this.name}" (${this.cfg.url}) is unavailable: ${reason}.`,
      { extra },
    );
  }

  /** A sentence for IT when `err` is a TLS failure (certificate or handshake), else undefined. */
  private tlsProblem(err: unknown, code: string): string | undefined {
    if (!this.tlsOptions) return undefined;
    const message = err instanceof Error ? err.message.slice(0, 200) : String(err);
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      const cert = (err as { cert?: PeerCertificate }).cert;
      const names =
        [cert?.subjectaltname, cert?.subject?.CN ? `CN=${cert.subject.CN}` : undefined]
          .filter(Boolean)
          .join(', ') || 'no names';
      const checked = this.tlsOptions.servername ?? this.tlsOptions.host;
      return (
        `the directory's certificate (${names}) is not issued to "${checked}" (${code}); ` +
        'use the name it carries in the URL, or set tlsServerName to it'
      );
    }
    if (isCertificateErrorCode(code)) {
      const untrusted = isUntrustedIssuerCode(code);
      const hint = !untrusted
        ? ''
        : this.cfg.tlsCA
          ? `; tlsCA (${this.cfg.tlsCA}) is not the CA that signed it`
          : '; set tlsCA to the PEM file of the CA that signed it';
      return `the directory's certificate could not be verified: ${message} (${code})${hint}`;
    }
    if (isHandshakeErrorCode(code) || /\b(SSL|TLS)\b/.test(message))
      return `the TLS handshake failed: ${message} (${code})`;
    return undefined;
  }

  private stableId(entry: Entry): string {
    const attr = this.cfg.idAttribute;
    const pick = (name: string): string | undefined => {
      const first = values(entry, name)[0];
      if (first === undefined) return undefined;
      if (Buffer.isBuffer(first))
        return first.length === 16 && name.toLowerCase() === 'objectguid'
          ? formatGuid(first)
          : first.toString('hex');
      return first === '' ? undefined : first;
    };
    if (attr) return pick(attr) ?? entry.dn;
    return pick('objectGUID') ?? pick('entryUUID')?.toLowerCase() ?? pick('uid') ?? entry.dn;
  }

  private async profile(
    client: Client,
    entry: Entry,
    typedName: string | undefined,
  ): Promise<UserProfile> {
    const login = text(entry, 'sAMAccountName') ?? text(entry, 'uid') ?? typedName;
    const groups: string[] = [];
    for (const dn of values(entry, 'memberOf')) {
      const cn = firstRdnValue(typeof dn === 'string' ? dn : dn.toString('utf8'));
      if (cn) groups.push(cn);
    }
    const groupBase = this.cfg.groupSearchBase ?? this.cfg.baseDN;
    const groupFilters: string[] = [];
    if (this.cfg.groupSearchFilter)
      groupFilters.push(
        fillTemplate(this.cfg.groupSearchFilter, { dn: entry.dn, '0': login ?? '' }),
      );
    if (this.cfg.nestedGroups)
      groupFilters.push(escapeFilter`(member:1.2.840.113556.1.4.1941:=${entry.dn})`);
    for (const filter of groupFilters) {
      const found = await this.op('group search', () =>
        client.search(groupBase, {
          scope: 'sub',
          filter,
          attributes: ['cn'],
          timeLimit: Math.ceil(this.timeoutMs / 1000),
        }),
      );
      for (const group of found.searchEntries) {
        const cn = text(group, 'cn') ?? firstRdnValue(group.dn);
        if (cn) groups.push(cn);
      }
    }

    const given = text(entry, 'givenName');
    const family = text(entry, 'sn');
    const name =
      text(entry, 'displayName') ??
      text(entry, 'cn') ??
      ([given, family].filter(Boolean).join(' ') || login);
    const profile: UserProfile = {
      user_id: `ad|${this.name}|${this.stableId(entry)}`,
      dn: entry.dn,
      groups: [...new Set(groups)],
    };
    if (name) profile.name = name;
    if (login) profile.nickname = login;
    if (given) profile.given_name = given;
    if (family) profile.family_name = family;
    const mail = text(entry, 'mail');
    if (mail) profile.email = mail;
    const upn = text(entry, 'userPrincipalName');
    if (upn) profile.upn = upn;
    if (this.accountBlocked(entry)) profile.blocked = true;
    return profile;
  }

  /**
   * Whether AD says the account may no longer sign in: disabled (userAccountControl's
   * ACCOUNTDISABLE) or past its accountExpires. A bind tells this only with the right password
   * (533, 701); reading it here lets every later use of a token (refresh, /delegation,
   * jwt-bearer, /userinfo) refuse a user IT disabled since. Directories without these
   * attributes (OpenLDAP) are never blocked by it.
   */
  private accountBlocked(entry: Entry): boolean {
    const uac = Number(text(entry, 'userAccountControl'));
    if (Number.isInteger(uac) && (uac & UAC_ACCOUNTDISABLE) !== 0) return true;
    const expires = text(entry, 'accountExpires');
    if (!expires || NEVER_EXPIRES.has(expires) || !/^\d+$/.test(expires)) return false;
    const ms = (BigInt(expires) - FILETIME_UNIX_EPOCH) / 10_000n;
    return ms < BigInt(Date.now()); // the directory's own clock is real time too
  }
}

/** OpenSSL/Node codes of a certificate that was not accepted. */
/** LDAP result `other` (80): ldapts has no class of its own for it. */
const LDAP_OTHER = 80;

/**
 * A bind the directory answered with a result that is the user's (invalid credentials, or any
 * other refusal), not one that says the directory can't go on: strong auth or TLS required,
 * busy, unavailable, other.
 */
function isRefusedBind(err: unknown): err is ResultCodeError {
  return (
    err instanceof ResultCodeError &&
    !(
      err instanceof StrongAuthRequiredError ||
      err instanceof ConfidentialityRequiredError ||
      err instanceof BusyError ||
      err instanceof UnavailableError ||
      err.code === LDAP_OTHER
    )
  );
}

/** The server's diagnostic message (ldapts appends ` Code: 0x31` to it). */
function diagnosticOf(err: ResultCodeError): string {
  return err.message.replace(/\s*Code: 0x[0-9a-f]+$/i, '');
}

function socketErrorCode(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as Error & { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code === 'ETIMEDOUT' ? 'timeout' : code;
    if (/time(d)? ?out/i.test(err.message)) return 'timeout';
    if (/closed|socket/i.test(err.message)) return 'connection_closed';
    return err.message.slice(0, 120);
  }
  return 'unknown';
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: Operation timed out`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** An AD/LDAP connection (strategy `ad`) for /oauth/ro; see the module comment. */
export function createLdapConnection(name: string, cfg: LdapConnectionConfig): PasswordConnection {
  return new LdapConnection(name, ldapConnectionSchema.parse(cfg));
}
