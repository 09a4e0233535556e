/**
 * The settings schema: what a user (or IT, through the managed configuration) can set.
 * Shared by core (which loads and validates files), main (which serves them over IPC) and the
 * renderer (which shows and edits them). Pure: no Node, no DOM.
 */
import * as z from 'zod';
import { formatHostPattern, MAX_HOST_LENGTH, parseHostPattern } from './credential-hosts';
import {
  englishText,
  errorText,
  type ErrorText,
  type ErrorTextKey,
  type TextValues,
} from './error-text';
import type { Sentence } from './errors';
import { LANGUAGE_TAGS, type LanguageTag } from './languages';

/** How a connection authenticates; decides the form, the wording and the grant. */
export const ConnectionKindSchema = z.enum(['database', 'ad', 'sms']);
export type ConnectionKind = z.infer<typeof ConnectionKindSchema>;

/**
 * The largest value each settings field may hold (characters, or entries for `connections`),
 * in a file and over IPC alike: a compromised or buggy page, or a hand-edited file, must not
 * put a 20 MB scope into settings that every later launch and request would then carry.
 * Generous for any real value: a URL, an Auth0 client ID (32), a path (PATH_MAX 4096), a
 * directory's connection list.
 */
export const SETTINGS_LIMITS = {
  tenant: 2048,
  clientId: 256,
  scope: 2048,
  device: 200,
  proxy: 2048,
  caFile: 4096,
  connections: 100,
  connectionName: 200,
  connectionLabel: 200,
  credentialHosts: 100,
  credentialHost: MAX_HOST_LENGTH,
} as const;

/**
 * A refusal of the schema's own (a format, not a size or type): the English sentence as the
 * issue's message, its key in `params` for `issueSentence` (the window shows it translated).
 */
const refusal = (key: ErrorTextKey, values?: TextValues) => ({
  message: englishText(key, values),
  params: { key, ...(values ? { values } : {}) },
});

/** A string of at most `max` characters. */
const upTo = (max: number) => z.string().max(max);

export const ConnectionSchema = z.strictObject({
  /** The connection's name on the tenant (`Username-Password-Authentication`, `corp-ad`, `sms`). */
  name: upTo(SETTINGS_LIMITS.connectionName).min(1),
  kind: ConnectionKindSchema,
  /** What the user sees in the picker; defaults to the name. */
  label: upTo(SETTINGS_LIMITS.connectionLabel).min(1).optional(),
});
export type Connection = z.infer<typeof ConnectionSchema>;

/** `legacy`: /oauth/ro · `modern`: /oauth/token · `auto`: legacy first, modern when refused. */
export const ProtocolSchema = z.enum(['legacy', 'modern', 'auto']);
export type Protocol = z.infer<typeof ProtocolSchema>;

export const TimeoutsSchema = z.strictObject({
  connectMs: z.number().int().min(100).max(300_000).default(10_000),
  headersMs: z.number().int().min(100).max(300_000).default(10_000),
  bodyMs: z.number().int().min(100).max(300_000).default(10_000),
});
export type Timeouts = z.infer<typeof TimeoutsSchema>;

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, headersMs: 10_000, bodyMs: 10_000 };

/** The demo tenant's connections, used when nothing else is configured. */
export const DEFAULT_CONNECTIONS: Connection[] = [
  { name: 'Username-Password-Authentication', kind: 'database', label: 'Database' },
  { name: 'corp-ldap', kind: 'ad', label: 'Corporate directory' },
  { name: 'sms', kind: 'sms', label: 'SMS' },
];

/** A tenant: `acme.eu.auth0.com`, `https://acme.eu.auth0.com`, or `http://127.0.0.1:4455`. */
const TenantSchema = upTo(SETTINGS_LIMITS.tenant)
  .trim()
  .min(1)
  .refine(
    (v) => /^(https?:\/\/)?[^\s/?#]+(\/[^\s?#]*)?$/i.test(v),
    refusal('errors.config.problem.tenantForm'),
  );

const ProxySchema = upTo(SETTINGS_LIMITS.proxy)
  .trim()
  .refine((v) => /^https?:\/\/[^\s]+$/i.test(v), refusal('errors.config.problem.proxyForm'))
  // A password here would be stored in plain text and shown in diagnostics.
  .refine(
    (v) => !/^https?:\/\/[^/@\s]*@/i.test(v),
    refusal('errors.config.problem.proxyCredentials'),
  );

/**
 * A `credentialHosts` entry (src/shared/credential-hosts.ts): refused with the reason when it
 * is not a host or `*.`-wildcard, kept in canonical form (lower case, `xn--`, no trailing dot).
 */
const CredentialHostSchema = upTo(SETTINGS_LIMITS.credentialHost).transform((entry, ctx) => {
  const p = parseHostPattern(entry);
  if (typeof p === 'string') {
    ctx.addIssue({ code: 'custom', ...refusal(p, { entry: JSON.stringify(entry) }) });
    return z.NEVER;
  }
  return formatHostPattern(p);
});

/** Every field a settings file may hold. All optional in a file; defaults applied at load. */
export const SettingsSchema = z.strictObject({
  tenant: TenantSchema.optional(),
  clientId: upTo(SETTINGS_LIMITS.clientId).trim().min(1).optional(),
  connections: z
    .array(ConnectionSchema)
    .max(SETTINGS_LIMITS.connections)
    .default(DEFAULT_CONNECTIONS),
  protocol: ProtocolSchema.default('legacy'),
  /** Default scope of a sign-in. */
  scope: upTo(SETTINGS_LIMITS.scope).trim().min(1).default('openid profile email offline_access'),
  /** Device name sent with `offline_access`; defaults to the host name at load. */
  device: upTo(SETTINGS_LIMITS.device).trim().min(1).optional(),
  /** The SMS tab's default country (ISO 3166 alpha-2, e.g. `GB`); else the tenant's geoloc. */
  smsCountry: z
    .string()
    .refine((v) => /^[A-Z]{2}$/.test(v), refusal('errors.config.problem.countryForm'))
    .optional(),
  /** Proxy for every tenant request; overrides HTTPS_PROXY (NO_PROXY still applies). */
  proxy: ProxySchema.optional(),
  /** PEM file of extra CA certificates (corporate TLS inspection). */
  caFile: upTo(SETTINGS_LIMITS.caFile).trim().min(1).optional(),
  timeouts: TimeoutsSchema.default(DEFAULT_TIMEOUTS),
  /** Sign in to the embedded local tenant instead of `tenant`. */
  useLocalTenant: z.boolean().default(false),
  /**
   * Hosts the credential helpers (`signet credential git|docker`) give the user's token to:
   * `git.corp.example`, `*.corp.example` (one label), optionally `:port`. Empty: none.
   */
  credentialHosts: z.array(CredentialHostSchema).max(SETTINGS_LIMITS.credentialHosts).default([]),
  /**
   * The window's language (src/shared/languages.ts); unset: the OS's, else English. IT's
   * managed `language` locks it like any field.
   */
  language: z.enum(LANGUAGE_TAGS as [LanguageTag, ...LanguageTag[]]).optional(),
  /**
   * The company's look, `{name, logo, primaryColor}` (src/shared/branding.ts). Kept as the
   * file holds it: an invalid block must never make the settings invalid (the window then shows
   * Signet's own look for the bad field, and Diagnostics names it), so it is checked apart, by
   * `checkBranding`. IT's, through the managed configuration; the window cannot set it.
   */
  branding: z.unknown().optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingsInput = z.input<typeof SettingsSchema>;
export type SettingsField = keyof Settings;

/**
 * Fields the window can never change: the branding names a file main reads and answers on
 * (whether it exists, its size), so a page that could point it anywhere could probe the disk.
 */
export const NOT_FROM_WINDOW = ['branding'] as const;
type NotFromWindow = (typeof NOT_FROM_WINDOW)[number];

/**
 * A change to the user's settings, as the Settings screen sends it: only the fields named
 * (no defaults filled in, so a change never writes fields the user did not touch), and `null`
 * to remove a field from the user's file (back to its default). Built on first use (`z.lazy`):
 * only the desktop app's main process parses patches, and every `signet` start loads this file.
 */
export const SettingsPatchSchema = z.lazy(() =>
  z.strictObject(
    Object.fromEntries(
      Object.entries(SettingsSchema.shape)
        .filter(([key]) => !(NOT_FROM_WINDOW as readonly string[]).includes(key))
        .map(([key, type]) => {
          const bare =
            type instanceof z.ZodDefault || type instanceof z.ZodOptional ? type.unwrap() : type;
          return [key, (bare as z.ZodType).nullable().optional()];
        }),
    ),
  ),
) as unknown as z.ZodType<SettingsPatch, SettingsPatch>;
export type SettingsPatch = {
  [K in Exclude<keyof SettingsInput, NotFromWindow>]?: SettingsInput[K] | null;
};

/** Where a locked value came from and why the user cannot change it. */
export interface LockedField {
  field: SettingsField;
  source: string;
  reason: string;
}

/** A managed configuration file that exists but was not trusted, and why (shown to the user). */
export interface ManagedIgnored {
  path: string;
  reason: string;
}

/** Settings as loaded: effective values, which are locked, and where the files are. */
export interface LoadedSettings {
  settings: Settings;
  locked: LockedField[];
  userFile: string;
  managedFile: string | undefined;
  /** Set when a managed configuration exists but is ignored (not only administrators can write it). */
  managedIgnored?: ManagedIgnored;
  /**
   * Whether the user's file or the managed configuration names `connections`; when neither
   * does, the form offers the client's own (src/shared/client-config.ts `formConnections`).
   */
  connectionsNamed: boolean;
}

/** Names every field of `SettingsSchema`, for lock lists and settings screens. */
export const SETTINGS_FIELDS = Object.keys(SettingsSchema.shape) as SettingsField[];

/** Formats a zod issue path the way an IT person reads it: `connections[1].kind`. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

/** A value's problem as a sentence of its own: the key of its text and the values. */
export interface Problem extends Sentence {
  key: ErrorTextKey;
  values?: TextValues;
}

/**
 * What is wrong with a value, as a sentence with its key (`errors.config.problem.…`): the
 * schema's own refusals carry theirs; sizes, types, choices and unknown fields are named here
 * from zod's issue. `undefined` for an issue of another kind: then zod's English is shown.
 */
export function issueSentence(issue: z.core.$ZodIssue): Problem | undefined {
  const key = (k: ErrorTextKey, values?: TextValues): Problem =>
    values ? { key: k, values } : { key: k };
  switch (issue.code) {
    case 'custom': {
      const p = issue.params as Partial<Problem> | undefined;
      return p?.key ? key(p.key, p.values) : undefined;
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'string') return key('errors.config.problem.tooLong', { maximum });
      if (issue.origin === 'array') return key('errors.config.problem.tooMany', { maximum });
      return key('errors.config.problem.tooBig', { maximum });
    }
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) <= 1)
        return key('errors.config.problem.empty');
      if (issue.origin === 'number')
        return key('errors.config.problem.tooSmall', { minimum: Number(issue.minimum) });
      return undefined;
    case 'invalid_type':
      return issue.expected === 'int'
        ? key('errors.config.problem.wholeNumber')
        : key('errors.config.problem.type', { expected: issue.expected });
    case 'invalid_value':
      return key('errors.config.problem.oneOf', { options: issue.values.map(String).join(', ') });
    case 'unrecognized_keys':
      return key('errors.config.problem.unknownKeys', {
        // Quoted and escaped as JSON: a file's key may hold spaces or control characters.
        keys: issue.keys.map((k) => JSON.stringify(k)).join(', '),
        count: issue.keys.length,
      });
    default:
      return undefined;
  }
}

/** An issue as IT reads it in a list: `tenant: must be a domain such as …`. */
export function issueLine(issue: z.core.$ZodIssue): string {
  const s = issueSentence(issue);
  return `${issuePath(issue.path)}: ${s ? englishText(s.key, s.values) : issue.message}`;
}

/**
 * The sentence `key` about a refused value, naming its `{field}` and its `{problem}` (the first
 * issue's, a sentence of its own that the window translates in turn), with `values` besides.
 */
export function refusalText(
  key: ErrorTextKey,
  issues: readonly z.core.$ZodIssue[],
  values: TextValues = {},
): ErrorText {
  const first = issues[0];
  const problem = first && issueSentence(first);
  const text = errorText(key, {
    ...values,
    field: first ? issuePath(first.path) : '(root)',
    problem: problem ? englishText(problem.key, problem.values) : (first?.message ?? 'invalid'),
  });
  if (problem) text.i18n.sentences = { problem };
  return text;
}
