/**
 * The request schemas of the IPC contract: main validates every call against these before it
 * runs (src/shared/ipc.ts declares the channels, their requests and answers; each schema
 * here is checked against it at compile time, so the two cannot drift). They live in main/
 * so that preload and the renderer, which only need the contract's types, never load zod.
 */
import { z } from 'zod';
import { E164, OTP_CODE, OTP_CODE_LENGTH, REPORT_LIMITS } from '../shared/auth0-protocol';
import { SettingsPatchSchema } from '../shared/settings';
import type { Channel, Request, ScopeChoice, TokenName, ToolName } from '../shared/ipc';
import { normaliseExpectation } from '../shared/report-accounts';

const ScopeChoiceSchema = z.enum(['basic', 'profile', 'remember']) satisfies z.ZodType<ScopeChoice>;

const Empty = z.strictObject({});
const ToolNameSchema = z.enum(['git', 'kubectl', 'curl']) satisfies z.ZodType<ToolName>;
const TokenNameSchema = z.enum([
  'id_token',
  'access_token',
  'refresh_token',
]) satisfies z.ZodType<TokenName>;
/** Optional so that a call without a nonce gets the reveal gate's own refusal. */
const Nonce = z.string().max(128).optional();
/** Auth0's rule for a phone number, the same one core and the tenant apply. */
const ConnectionName = z.string().trim().min(1).max(200);
const Email = z.string().trim().min(3).max(512);

const Phone = z.string().regex(E164, 'must be an E.164 number such as +14155550100');

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
 * A schema for every channel, accepting what the contract's request type says and turning it
 * into that type (trimmed, checked). What each channel does is documented in `SignetChannels`.
 */
type RequestSchemas = { [C in Channel]: z.ZodType<Request<C>, Request<C>> };

const schemas = {
  getSettings: Empty,
  saveSettings: SettingsPatchSchema,
  signIn: z.strictObject({
    connection: z.string().min(1).max(200),
    username: z.string().trim().min(1).max(512),
    password: z.string().min(1).max(4096),
    scope: ScopeChoiceSchema,
    mfaCode: z.string().regex(OTP_CODE).optional(),
  }),
  cancel: Empty,
  startSms: z.strictObject({ phone: Phone }),
  signInWithSms: z.strictObject({
    phone: Phone,
    code: z.string().regex(OTP_CODE, `must be the ${OTP_CODE_LENGTH} digits of the code`),
    scope: ScopeChoiceSchema,
  }),
  restore: Empty,
  refresh: Empty,
  signOut: Empty,
  accounts: Empty,
  armReveal: Empty,
  revealTokens: z.strictObject({ nonce: Nonce }),
  attempts: Empty,
  checkTenant: Empty,
  exportDiagnostics: z.strictObject({ format: z.enum(['json', 'markdown']) }),
  defaultCountry: Empty,
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
  keepFresh: Empty,
  toolSetup: Empty,
  copyToolCommand: z.strictObject({ tool: ToolNameSchema }),
  copyToken: z.strictObject({ token: TokenNameSchema, nonce: Nonce }),
  clientConfig: z.strictObject({ refresh: z.boolean().optional() }),
  signUp: z.strictObject({
    connection: ConnectionName,
    email: Email,
    username: z.string().trim().min(1).max(128).optional(),
    password: z.string().min(1).max(4096),
  }),
  resetPassword: z.strictObject({ connection: ConnectionName, email: Email }),
  lastLogin: Empty,
  forgetLastLogin: Empty,
  branding: Empty,
} satisfies RequestSchemas;

/**
 * Both directions hold: every request the contract allows has the schema's input type, and
 * every schema's output is the contract's request (`satisfies` above checks one way).
 */
type Same<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Mismatched = {
  [C in Channel]: Same<z.input<(typeof schemas)[C]>, Request<C>> extends true ? never : C;
}[Channel];
// A compile error here names the channel whose schema and contract disagree.
const _exact: [Mismatched] extends [never] ? true : Mismatched = true;
void _exact;

/** Request schema of every channel, indexed so a generic channel keeps its own type. */
export const requests: RequestSchemas = schemas;
