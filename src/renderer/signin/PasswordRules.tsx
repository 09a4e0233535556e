import { useId } from 'react';
import type { SignInError } from '../../shared/errors';
import { ruleText, type PasswordRule } from '../../shared/password-policy';
import { shownText } from './shown-text';

/**
 * A password policy's rules, each with whether the password meets it, in words and in an
 * icon of its own shape (✓ / ✗), never in colour alone; "at least 3 of 4" rules list their
 * kinds of characters nested under them. The sign-up form's live checklist and the tenant's
 * refusal (`invalid_password`) both show through it.
 */
export function PasswordRules({
  rules,
  id,
  label,
}: {
  rules: PasswordRule[];
  /**
   * The list's id (its label's is `<id>-label`), for a field's aria-describedby: both, since a
   * labelled list would be described by its label alone.
   */
  id?: string;
  label: string;
}) {
  const own = useId();
  const listId = id ?? `${own}-list`;
  return (
    <div role="group" className="password-rules-box" aria-labelledby={`${listId}-label`}>
      <p id={`${listId}-label`} className="rules-label">
        {label}
      </p>
      <ul id={listId} className="password-rules">
        {rules.map((rule, i) => (
          <Rule key={`${rule.code}-${i}`} rule={rule} />
        ))}
      </ul>
    </div>
  );
}

function Rule({ rule }: { rule: PasswordRule }) {
  return (
    <li data-met={rule.verified}>
      <span className="rule-line">
        <span className="rule-mark" aria-hidden="true">
          {rule.verified ? '✓' : '✗'}
        </span>
        <span>
          {ruleText(rule)}
          <span className="visually-hidden">{rule.verified ? ' (met)' : ' (not met)'}</span>
        </span>
      </span>
      {rule.items && rule.items.length > 0 && (
        <ul>
          {rule.items.map((item, i) => (
            <Rule key={`${item.code}-${i}`} rule={item} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** A sentence for the live region: how many of the top-level rules the password meets. */
export function rulesSummary(rules: PasswordRule[]): string {
  const met = rules.filter((r) => r.verified).length;
  return met === rules.length
    ? 'The password meets every rule.'
    : `The password meets ${met} of ${rules.length} rules.`;
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
