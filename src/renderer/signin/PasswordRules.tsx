import { useId } from 'react';
import { ruleText, type PasswordRule } from '../../shared/password-policy';

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
