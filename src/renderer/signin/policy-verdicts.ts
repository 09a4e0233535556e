/**
 * What the sign-up form says about a password beyond the checklist itself: the live region's
 * summary, and the rules of the tenant's `invalid_password` refusal made safe to show. Pure
 * (no DOM), so unit tests reach it.
 */
import type { SignInError } from '../../shared/errors';
import type { PasswordRule } from '../../shared/password-policy';
import { shownText } from './shown-text';

/** A sentence for the live region: how many of the top-level rules the password meets. */
export function rulesSummary(
  rules: PasswordRule[],
  // useT()'s `t`, as far as this needs it (the module stays free of the i18n runtime).
  t: (
    key: 'signin.rules.allMet' | 'signin.rules.someMet',
    values?: { met: number; total: number },
  ) => string,
): string {
  const met = rules.filter((r) => r.verified).length;
  return met === rules.length
    ? t('signin.rules.allMet')
    : t('signin.rules.someMet', { met, total: rules.length });
}

/**
 * The rules of a tenant's `invalid_password` refusal (its `detail.rules`, Auth0's
 * `description.rules`), checked field by field: the tenant's text is untrusted, so only
 * strings and numbers pass, made safe to show, and at most two levels and a few dozen rules.
 * Null when the refusal carries none.
 */
export function refusedRules(error: SignInError | null): PasswordRule[] | null {
  if (error?.code !== 'invalid_password') return null;
  const raw = error.detail?.rules;
  if (!Array.isArray(raw)) return null;
  const rules = raw
    .slice(0, 20)
    .map((r) => asRule(r, 0))
    .filter((r) => r !== null);
  return rules.length ? rules : null;
}

function asRule(value: unknown, depth: number): PasswordRule | null {
  if (!value || typeof value !== 'object') return null;
  const r = value as Record<string, unknown>;
  if (typeof r.message !== 'string' || typeof r.verified !== 'boolean') return null;
  const format = Array.isArray(r.format)
    ? r.format
        .slice(0, 4)
        .filter((f) => typeof f === 'number' || typeof f === 'string')
        .map((f) => (typeof f === 'string' ? shownText(f, 20) : f))
    : undefined;
  const items =
    depth === 0 && Array.isArray(r.items)
      ? r.items
          .slice(0, 10)
          .map((i) => asRule(i, 1))
          .filter((i) => i !== null)
      : undefined;
  return {
    message: shownText(r.message, 200),
    code: typeof r.code === 'string' ? shownText(r.code, 40) : '',
    verified: r.verified,
    ...(format ? { format } : {}),
    ...(items?.length ? { items } : {}),
  };
}
