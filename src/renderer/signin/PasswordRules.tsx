import { useId } from 'react';
import { ruleText, type PasswordRule } from '../../shared/password-policy';
import { useT, type MessageKey, type MessageValues, type Translate } from '../i18n';

/**
 * password-sheriff's rules by their `code`, in the window's language: the key and how the
 * rule's `format` values (`%d`, `%s` in its English sentence) fill the key's placeholders.
 */
const RULES: Record<string, { key: MessageKey; values?: string[] }> = {
  lengthAtLeast: { key: 'signin.rule.lengthAtLeast', values: ['n'] },
  nonEmpty: { key: 'signin.rule.nonEmpty' },
  containsAtLeast: { key: 'signin.rule.containsAtLeast', values: ['n', 'total'] },
  shouldContain: { key: 'signin.rule.shouldContain' },
  upperCase: { key: 'signin.rule.upperCase' },
  lowerCase: { key: 'signin.rule.lowerCase' },
  specialCharacters: { key: 'signin.rule.specialCharacters' },
  numbers: { key: 'signin.rule.numbers' },
  identicalChars: { key: 'signin.rule.identicalChars', values: ['n', 'example'] },
  maxLength: { key: 'signin.rule.maxLength' },
  sequentialChars: { key: 'signin.rule.sequentialChars', values: ['n', 'example'] },
};

/**
 * A rule's sentence in the window's language, or null for a code the window does not know
 * (a tenant's own rule: shown as the tenant worded it).
 */
export function ruleSentence(rule: PasswordRule, t: Translate): string | null {
  const known = Object.hasOwn(RULES, rule.code) ? RULES[rule.code] : undefined;
  if (!known) return null;
  const format = rule.format ?? [];
  const values: MessageValues = {};
  known.values?.forEach((name, i) => (values[name] = format[i] ?? ''));
  return t(known.key, values);
}

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
  const t = useT();
  const sentence = ruleSentence(rule, t);
  return (
    <li data-met={rule.verified}>
      <span className="rule-line">
        <span className="rule-mark" aria-hidden="true">
          {rule.verified ? '✓' : '✗'}
        </span>
        <span>
          {sentence ?? <span translate="no">{ruleText(rule)}</span>}{' '}
          <span className="visually-hidden">
            {rule.verified ? t('signin.rule.met') : t('signin.rule.notMet')}
          </span>
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
