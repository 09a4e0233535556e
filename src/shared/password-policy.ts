/**
 * Auth0's five database password policies (spec §7), computed with Auth0's own library,
 * `password-sheriff`, on both sides: the local tenant's `/dbconnections/signup` and reset page
 * refuse with exactly its `missing()` / `toString()`, and the sign-up form's live checklist
 * shows the same rules, so what the form says is what the tenant will say.
 *
 * Pure (no Node, no DOM). The renderer loads it only with the sign-up view (lazy chunk).
 */
import createPolicy, { type SheriffRule } from 'password-sheriff';

/** Auth0's levels, weakest first. A connection without one has `none`. */
export const PASSWORD_POLICIES = ['none', 'low', 'fair', 'good', 'excellent'] as const;
export type PasswordPolicyName = (typeof PASSWORD_POLICIES)[number];

export const isPasswordPolicy = (v: unknown): v is PasswordPolicyName =>
  typeof v === 'string' && (PASSWORD_POLICIES as readonly string[]).includes(v);

export type PasswordRule = SheriffRule;

/** What a password misses: `missing()`, the `description` of Auth0's `PasswordStrengthError`. */
export interface PasswordVerdict {
  rules: PasswordRule[];
  verified: boolean;
}

/** Checks `password` against the policy: every rule with `verified` true or false. */
export function checkPassword(policy: PasswordPolicyName, password: string): PasswordVerdict {
  return createPolicy(policy).missing(password);
}

/** The policy as Auth0 words it (`* At least 8 characters in length\n* …`): the error's `policy`. */
export function explainPolicy(policy: PasswordPolicyName): string {
  return createPolicy(policy).toString();
}

/** A rule's sentence with its `%d`s filled in: `At least 8 characters in length`. */
export function ruleText(rule: Pick<PasswordRule, 'message' | 'format'>): string {
  const values = [...(rule.format ?? [])];
  return rule.message.replace(/%[ds]/g, () => String(values.shift() ?? ''));
}
