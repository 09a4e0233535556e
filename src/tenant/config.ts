/**
 * The local tenant's configuration: one JSON file (or the built-in demo) validated by zod.
 *
 * A file that does not match fails at start with every offending field named by its path,
 * e.g. `connections.1.ldap.url: Invalid URL`. Parsing is idempotent: the output of
 * `parseTenantConfig` is itself a valid input, so `createTenant` may re-validate what it gets.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ldapConnectionSchema } from './connections/ldap';
import { isLoopbackHost } from '../node/loopback';
import { DNS_NAME } from '../shared/client-config';
import { PASSWORD_POLICIES } from '../shared/password-policy';
import { PASSWORD_TOO_LONG, passwordFits } from '../shared/signup-rules';

const name = z.string().min(1).max(128);
/** A DNS name in lower case (`corp.example`), as core compares email domains (written as is). */
const DOMAIN = DNS_NAME;
const metadata = z.record(z.string(), z.unknown());

/** A user the tenant creates at start when no user with that email exists yet. */
export const seedUserSchema = z
  .object({
    email: z.email(),
    /** Plain password, hashed with the connection's bcrypt cost at seeding; at most 72 bytes. */
    password: z.string().min(1).refine(passwordFits, PASSWORD_TOO_LONG).optional(),
    /** An existing bcrypt hash (`$2a$`/`$2b$`/`$2y$`), as Auth0 exports it. */
    password_hash: z
      .string()
      .regex(/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/, 'must be a bcrypt hash')
      .optional(),
    username: z.string().min(1).optional(),
    name: z.string().optional(),
    nickname: z.string().optional(),
    picture: z.string().optional(),
    email_verified: z.boolean().default(true),
    blocked: z.boolean().default(false),
    /** Base32 TOTP secret: the user then needs `mfa_code`. */
    mfa_secret: z.string().min(16).optional(),
    app_metadata: metadata.default({}),
    user_metadata: metadata.default({}),
  })
  .refine((u) => u.password !== undefined || u.password_hash !== undefined, {
    message: 'either password or password_hash is required',
  });
export type SeedUser = z.output<typeof seedUserSchema>;

const connectionBase = { name, enabled: z.boolean().default(true) };

export const connectionSchema = z.discriminatedUnion('type', [
  z.object({
    ...connectionBase,
    /** Auth0 database connection (strategy `auth0`): users in the tenant's SQLite file. */
    type: z.literal('database'),
    bcryptCost: z.number().int().min(4).max(15).default(10),
    users: z.array(seedUserSchema).default([]),
    /** Auth0's password policy level (spec §7), checked with password-sheriff at sign-up and reset. */
    passwordPolicy: z.enum(PASSWORD_POLICIES).default('good'),
    /** Sign-up asks for a username too (`requires_username`). */
    requires_username: z.boolean().default(false),
    /** `/dbconnections/signup` answers 403 `operation_not_allowed` (Lock then shows no sign-up). */
    disableSignup: z.boolean().default(false),
  }),
  z.object({
    ...connectionBase,
    /** Active Directory / LDAP (strategy `ad`). `"demo"` = the in-process demo directory. */
    type: z.literal('ad'),
    ldap: z.union([z.literal('demo'), ldapConnectionSchema]),
    /** Email domain of the directory's users (home-realm discovery, spec §8), e.g. `corp.example`. */
    domain: z.string().regex(DOMAIN, 'a domain name such as corp.example').optional(),
    /** Further email domains that belong to this directory. */
    domain_aliases: z
      .array(z.string().regex(DOMAIN, 'a domain name such as example.com'))
      .default([]),
  }),
  z.object({
    ...connectionBase,
    /** Passwordless SMS (strategy `sms`); users are created on first sign-in. */
    type: z.literal('sms'),
  }),
  z.object({
    ...connectionBase,
    /** A connection of another strategy (e.g. `google-oauth2`): listed, never usable with /oauth/ro. */
    type: z.literal('social'),
    strategy: z.string().min(1),
  }),
]);
export type ConnectionConfig = z.output<typeof connectionSchema>;

/** What a client_id may be spelt with (also what `GET /client/{id}.js` accepts in its path). */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9._~-]{1,128}$/;

export const clientSchema = z
  .object({
    client_id: z
      .string()
      .min(1)
      .max(128)
      .regex(CLIENT_ID_PATTERN, 'only letters, digits and . _ ~ -'),
    name: z.string().min(1),
    /** id_token signature: RS256 with the tenant's keys, or HS256 with `client_secret`. */
    alg: z.enum(['RS256', 'HS256']).default('RS256'),
    client_secret: z.string().min(16).optional(),
    /**
     * The secret is stored base64url-encoded, as older Auth0 clients' were: HS256 signs with its
     * decoded bytes (node-auth0 2 decodes it before verifying). Default false: its UTF-8 bytes.
     */
    secretEncoded: z.boolean().optional(),
    /** Legacy grants (/oauth/ro, /delegation) allowed, as on tenants created before June 2017. */
    legacyGrant: z.boolean().default(true),
    /** OIDC-conformant clients are refused by /oauth/ro. */
    oidcConformant: z.boolean().default(false),
    /**
     * Refresh-token rotation (spec §9): every refresh_token grant on /oauth/token answers a new
     * refresh token of the same session and retires the one presented; a retired one presented
     * again (outside the overlap) revokes the session. /delegation never rotates. Default off
     * (absent stays absent, so configs written before it still type-check: see `rotationOf`).
     */
    rotateRefreshTokens: z.boolean().optional(),
    /**
     * Seconds after a rotation in which the immediately previous refresh token is still accepted
     * (Auth0's reuse interval), so two requests racing with one token do not revoke the session.
     * Default 0.
     */
    rotationOverlapSeconds: z.number().min(0).optional(),
    /** Connections enabled for this client; absent means all. */
    connections: z.array(name).optional(),
    /**
     * Auth0's "Allowed Web Origins": browser origins (`https://app.example.com`, no path) whose
     * POSTs naming this client are accepted; any other `Origin` is refused (see origin.ts).
     */
    web_origins: z
      .array(
        z
          .url({ protocol: /^https?$/ })
          .refine(
            (u) => URL.canParse(u) && new URL(u).origin === u.replace(/\/$/, '').toLowerCase(),
            {
              message: 'an origin: scheme://host[:port], without path, query or fragment',
            },
          ),
      )
      .optional(),
  })
  .refine((c) => c.alg !== 'HS256' || c.client_secret !== undefined, {
    message: 'HS256 clients need a client_secret',
    path: ['client_secret'],
  })
  .refine((c) => !c.secretEncoded || /^[A-Za-z0-9_-]{22,}$/.test(c.client_secret ?? ''), {
    message: 'with secretEncoded, client_secret is base64url (at least 16 bytes encoded)',
    path: ['client_secret'],
  });

/** The key an HS256 client's id_tokens are signed with: its secret's bytes (decoded if so stored). */
export function clientSecretKey(client: ClientConfig): Uint8Array {
  const secret = client.client_secret ?? '';
  return client.secretEncoded
    ? new Uint8Array(Buffer.from(secret, 'base64url'))
    : new TextEncoder().encode(secret);
}
export type ClientConfig = z.output<typeof clientSchema>;

/** A client's refresh-token rotation, its defaults filled in: off, and no overlap period. */
export function rotationOf(client: ClientConfig): { rotate: boolean; overlapMs: number } {
  return {
    rotate: client.rotateRefreshTokens ?? false,
    overlapMs: Math.round((client.rotationOverlapSeconds ?? 0) * 1000),
  };
}

/** A message provider (delivery.ts): the outbox, or a webhook that gets what would be sent. */
const providerSchema = (what: string) =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('outbox') }),
    z.object({
      kind: z.literal('webhook'),
      /** The gateway: `https://`, or plain `http://` to a loopback gateway only (secrets travel in it). */
      url: z
        .url({ protocol: /^https?$/ })
        .refine((u) => u.startsWith('https:') || isLoopbackHost(new URL(u).hostname), {
          message: `plain http carries the ${what} in clear: use https, or http only to localhost, 127.0.0.0/8 or ::1`,
        }),
    }),
  ]);

export const smsProviderSchema = providerSchema('codes');
export const emailProviderSchema = providerSchema('reset links');

export const tenantConfigSchema = z
  .object({
    /** Issuer and every advertised URL (the issuer gets a trailing slash); default: the listening URL. */
    publicUrl: z.url({ protocol: /^https?$/ }).optional(),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(4455),
    clients: z.array(clientSchema).min(1),
    connections: z.array(connectionSchema).min(1),
    sms: z
      .object({
        /** Seconds a code lives (fractions allowed, for tests). */
        ttlSeconds: z.number().positive().default(300),
        maxAttempts: z.number().int().min(1).default(3),
        provider: smsProviderSchema.default({ kind: 'outbox' }),
        /**
         * The window (seconds) the four limits below count in; a refusal lasts until the oldest
         * counted event is this old (at most the whole window).
         */
        limitWindowSeconds: z.number().positive().default(900),
        /** Wrong codes for one phone (any code, client or address) before 429 `too_many_attempts`. */
        wrongCodesPerPhone: z.number().int().min(1).default(10),
        /** Wrong codes from one address (any phone) before 429 `too_many_attempts`. */
        wrongCodesPerIp: z.number().int().min(1).default(30),
        /** Codes sent to one phone before /passwordless/start answers 429 `too_many_requests`. */
        sendsPerPhone: z.number().int().min(1).default(5),
        /** Codes sent for one address before /passwordless/start answers 429 `too_many_requests`. */
        sendsPerIp: z.number().int().min(1).default(30),
      })
      .prefault({}),
    email: z
      .object({
        /** Where reset emails go: the outbox (`GET /__outbox?email=`) or a webhook `{recipient, subject, body}`. */
        provider: emailProviderSchema.default({ kind: 'outbox' }),
        /** Seconds a password-reset link works (fractions allowed, for tests). Default 1 h. */
        resetTicketSeconds: z.number().positive().default(3600),
        /** The window (seconds) the two limits below count in. */
        limitWindowSeconds: z.number().positive().default(900),
        /** change_password requests for one address (known or not) before 429 `too_many_requests`. */
        resetsPerEmail: z.number().int().min(1).default(5),
        /** change_password requests from one IP address (any email) before 429 `too_many_requests`. */
        resetsPerIp: z.number().int().min(1).default(30),
      })
      .prefault({}),
    /**
     * Sign-up answers `invalid_signup` "Invalid sign up" instead of `user_exists` /
     * `username_exists`, so it cannot tell whether an address has an account (the inverse of
     * Auth0's tenant flag `enable_public_signup_user_exists_error`). Default false: it says so.
     */
    preventSignupEnumeration: z.boolean().default(false),
    limits: z
      .object({
        /** Largest request body accepted, in bytes. */
        bodyLimit: z
          .number()
          .int()
          .min(1024)
          .default(64 * 1024),
        /** Consecutive failures per account and IP before `too_many_attempts`. */
        bruteForceThreshold: z.number().int().min(1).default(10),
        /** /delegation calls, and jwt-bearer renewals (counted apart), per user and IP per minute. */
        delegationPerMinute: z.number().int().min(1).default(10),
        /**
         * /dbconnections/signup requests per IP address (an IPv6 /64) in `signupWindowSeconds`,
         * whatever their answer, before 429 `too_many_requests`: 20 an hour is a family behind
         * one router, and a script needs 5 years for a million accounts.
         */
        signupsPerIp: z.number().int().min(1).default(20),
        signupWindowSeconds: z.number().positive().default(3600),
      })
      .prefault({}),
    geoloc: z
      .object({
        defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as US'),
      })
      .prefault({ defaultCountry: 'US' }),
    /** id_token lifetime in seconds (also how long a rotated-out key stays published). */
    idTokenLifetime: z.number().positive().default(36000),
    /** Opaque access token lifetime in seconds. */
    accessTokenLifetime: z.number().positive().default(86400),
    /**
     * How long a session with a refresh token lasts, in seconds, counted from its sign-in (not
     * renewed by use): its refresh token then stops working and no id_token renewed from it
     * expires later. Default 30 days, Auth0's default absolute refresh-token lifetime. A
     * session without a refresh token ends with its first id_token (`idTokenLifetime`).
     */
    sessionLifetime: z.number().positive().default(2_592_000),
  })
  .superRefine((cfg, ctx) => {
    /** Flags every repeat of a key; answers the set of keys. */
    const unique = (keys: string[], path: (i: number) => (string | number)[], what: string) => {
      const seen = new Set<string>();
      keys.forEach((key, i) => {
        if (seen.has(key))
          ctx.addIssue({ code: 'custom', path: path(i), message: `duplicate ${what} "${key}"` });
        seen.add(key);
      });
      return seen;
    };
    const names = unique(
      cfg.connections.map((c) => c.name),
      (i) => ['connections', i, 'name'],
      'connection name',
    );
    unique(
      cfg.clients.map((c) => c.client_id),
      (i) => ['clients', i, 'client_id'],
      'client_id',
    );
    cfg.clients.forEach((c, i) => {
      c.connections?.forEach((n, j) => {
        if (!names.has(n))
          ctx.addIssue({
            code: 'custom',
            path: ['clients', i, 'connections', j],
            message: `no connection named "${n}"`,
          });
      });
    });
  });

export type TenantConfig = z.output<typeof tenantConfigSchema>;
export type TenantConfigInput = z.input<typeof tenantConfigSchema>;

/** A config that failed validation; `message` lists one `path: problem` line per issue. */
export class TenantConfigError extends Error {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
    this.name = 'TenantConfigError';
  }
}

/** `connections.1.ldap.url: Invalid URL` — one line per zod issue. */
export function formatConfigIssues(error: z.ZodError): string[] {
  return error.issues.map(
    (issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`,
  );
}

/** Validates a config object; throws `TenantConfigError` naming every bad field. */
export function parseTenantConfig(input: unknown, source = 'tenant config'): TenantConfig {
  const result = tenantConfigSchema.safeParse(input);
  if (!result.success) {
    const issues = formatConfigIssues(result.error);
    throw new TenantConfigError(`Invalid ${source}:\n  ${issues.join('\n  ')}`, issues);
  }
  return result.data;
}

/** Reads and validates a JSON config file. */
export function loadTenantConfigFile(file: string): TenantConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TenantConfigError(`Cannot read tenant config ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TenantConfigError(
      `Invalid tenant config ${file}: not JSON (${(err as Error).message})`,
    );
  }
  return parseTenantConfig(json, `tenant config ${file}`);
}

export const DEMO_DATABASE = 'Username-Password-Authentication';

/**
 * The demo tenant of the README: clients `signet-demo` (RS256, legacy grant allowed),
 * `signet-modern` (legacy grant off) and `signet-rotating` (OIDC-conformant, refresh-token
 * rotation on, no overlap period); connections `Username-Password-Authentication` (ada,
 * blocked), `sms` (outbox), `corp-ldap` (the in-process demo directory: grace / Cobol-1959!)
 * and `google-oauth2` (a social connection, present so the strategy-mismatch answer can be seen).
 * The database has Auth0's default policy `good` and allows sign-up; `corp-ldap` owns the email
 * domain `corp.signet.test` (home-realm discovery).
 */
export function demoConfig(): TenantConfig {
  return parseTenantConfig(
    {
      host: '127.0.0.1',
      port: 4455,
      clients: [
        {
          client_id: 'signet-demo',
          name: 'Signet (demo, legacy grants allowed)',
          alg: 'RS256',
          legacyGrant: true,
        },
        {
          client_id: 'signet-modern',
          name: 'Signet (modern tenant, legacy grants off)',
          alg: 'RS256',
          legacyGrant: false,
        },
        {
          client_id: 'signet-rotating',
          name: 'Signet (modern, OIDC-conformant, rotating refresh tokens)',
          alg: 'RS256',
          legacyGrant: false,
          oidcConformant: true,
          rotateRefreshTokens: true,
          rotationOverlapSeconds: 0,
        },
      ],
      connections: [
        {
          type: 'database',
          name: DEMO_DATABASE,
          users: [
            {
              email: 'ada@signet.test',
              password: 'Analytical-Engine-1843',
              name: 'Ada Lovelace',
              nickname: 'ada',
            },
            {
              email: 'blocked@signet.test',
              password: 'Blocked-User-2024',
              name: 'Blocked User',
              nickname: 'blocked',
              blocked: true,
            },
          ],
        },
        { type: 'sms', name: 'sms' },
        { type: 'ad', name: 'corp-ldap', ldap: 'demo', domain: 'corp.signet.test' },
        { type: 'social', name: 'google-oauth2', strategy: 'google-oauth2' },
      ],
      sms: { ttlSeconds: 300, maxAttempts: 3, provider: { kind: 'outbox' } },
    },
    'demo config',
  );
}
