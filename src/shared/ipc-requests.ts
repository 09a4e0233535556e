/**
 * The request schemas of the IPC contract (src/shared/ipc.ts names the channels and their
 * answers). Main validates every call against these; kept apart from ipc.ts so that preload
 * and the renderer, which only need the names and types, never load zod.
 */
import { z } from 'zod';
import { OTP_CODE, OTP_CODE_LENGTH, REPORT_LIMITS } from './auth0-protocol';
import { SettingsPatchSchema } from './settings';
import type { ScopeChoice } from './ipc';
import { normaliseExpectation } from './report-accounts';

const ScopeChoiceSchema = z.enum(['basic', 'profile', 'remember']) satisfies z.ZodType<ScopeChoice>;

const Empty = z.strictObject({});
const Phone = z
  .string()
  .regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 number such as +14155550100');

const ExpectationSchema = z
  .string()
  .trim()
  .max(100)
  .refine(
    (s) => {
      try {
        normaliseExpectation(s);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be "success", an error code, or ldap:<AD sub-code> such as ldap:533' },
  );

/**
 * The largest value each settings field may have over IPC (characters, or entries for
 * `connections`): a compromised or buggy page must not write a 20 MB scope into
 * settings.json, which every later launch and request would then carry. Generous for any
 * real value: a URL, an Auth0 client ID (32), a path (PATH_MAX 4096), a directory's
 * connection list.
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
} as const;

/** `SettingsPatchSchema` plus `SETTINGS_LIMITS`; an oversized field is an invalid_input issue. */
const SettingsPatchRequest = SettingsPatchSchema.superRefine((patch, ctx) => {
  const tooLong = (path: (string | number)[], max: number, what = 'characters') =>
    ctx.addIssue({ code: 'custom', path, message: `must be at most ${max} ${what}` });
  for (const field of ['tenant', 'clientId', 'scope', 'device', 'proxy', 'caFile'] as const) {
    const v = patch[field];
    if (typeof v === 'string' && v.length > SETTINGS_LIMITS[field])
      tooLong([field], SETTINGS_LIMITS[field]);
  }
  const list = patch.connections;
  if (!list) return;
  if (list.length > SETTINGS_LIMITS.connections)
    tooLong(['connections'], SETTINGS_LIMITS.connections, 'entries');
  list.slice(0, SETTINGS_LIMITS.connections).forEach((c, i) => {
    if (c.name.length > SETTINGS_LIMITS.connectionName)
      tooLong(['connections', i, 'name'], SETTINGS_LIMITS.connectionName);
    if ((c.label?.length ?? 0) > SETTINGS_LIMITS.connectionLabel)
      tooLong(['connections', i, 'label'], SETTINGS_LIMITS.connectionLabel);
  });
});

/** Request schema of every channel. */
export const requests = {
  /** Effective settings, which fields managed configuration locks, and the tenant in use. */
  getSettings: Empty,
  /** Saves the user's settings (locked fields are refused) and answers with the new view. */
  saveSettings: SettingsPatchRequest,
  /** Password sign-in (database or AD/LDAP connection). */
  signIn: z.strictObject({
    connection: z.string().min(1).max(200),
    username: z.string().trim().min(1).max(512),
    password: z.string().min(1).max(4096),
    scope: ScopeChoiceSchema,
    /** The 6-digit authenticator code, after an `a0.mfa_required` answer. */
    mfaCode: z.string().regex(OTP_CODE).optional(),
  }),
  /** Cancels the request in flight, if any. */
  cancel: Empty,
  /** Sends an SMS code (`/passwordless/start`). */
  startSms: z.strictObject({ phone: Phone }),
  /** Signs in with the SMS code. */
  signInWithSms: z.strictObject({
    phone: Phone,
    code: z.string().regex(OTP_CODE, `must be the ${OTP_CODE_LENGTH} digits of the code`),
    scope: ScopeChoiceSchema,
  }),
  /** The remembered session, verified (and refreshed when expired); null when none. */
  restore: Empty,
  /** Renews the id_token with the refresh token. */
  refresh: Empty,
  /** Revokes, forgets and deletes the current session. */
  signOut: Empty,
  /** Remembered sessions across tenants. */
  accounts: Empty,
  /**
   * A one-time nonce for `revealTokens`, issued only right after real user input in the
   * window (main/reveal-gate.ts). Preload calls it; the page never sees it.
   */
  armReveal: Empty,
  /**
   * The current session's raw tokens — only on the user's explicit request: over IPC the
   * fresh single-use nonce of `armReveal` is required (optional here only for main's own use).
   */
  revealTokens: z.strictObject({ nonce: z.string().max(128).optional() }),
  /** Every request of this run, redacted. */
  attempts: Empty,
  /** DNS, TCP, TLS, discovery, JWKS and clock checks of the tenant in use. */
  checkTenant: Empty,
  /** The diagnostics report (attempts, last check, settings) as JSON or Markdown. */
  exportDiagnostics: z.strictObject({ format: z.enum(['json', 'markdown']) }),
  /** The SMS tab's default country: settings, else the tenant's `/user/geoloc/country`. */
  defaultCountry: Empty,
  /** The connection report: each account signed in once (nothing kept), see `Responses`. */
  testConnection: z.strictObject({
    connection: z.string().trim().min(1).max(200),
    accounts: z
      .array(
        z.strictObject({
          username: z.string().trim().min(1).max(512),
          password: z.string().min(1).max(4096),
          expect: ExpectationSchema.optional(),
          note: z.string().max(REPORT_LIMITS.noteLength).optional(),
        }),
      )
      .min(1)
      .max(REPORT_LIMITS.accounts),
  }),
} satisfies Record<string, z.ZodType>;
