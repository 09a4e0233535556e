import { useId, useState } from 'react';
import { SCOPE_CHOICES, type ScopeChoice as Choice } from '../../shared/ipc';
import type { LockedField } from '../../shared/settings';
import { useT, type MessageKey } from '../i18n';
import { Code, rich } from '../i18n/rich';
import { LockReason, LockTag, SettingsField } from './SettingsField';

/** Each choice in plain words, in the window's language. */
const CHOICE_KEYS: Record<Choice, MessageKey> = {
  basic: 'settings.scope.basic',
  profile: 'settings.scope.profile',
  remember: 'settings.scope.remember',
};

/** The scope's words as a set, so `email openid  name` is the same scope as `openid name email`. */
const words = (scope: string) => [...new Set(scope.trim().split(/\s+/).filter(Boolean))].sort();

/** The choice a scope is, or undefined for a scope of its own (set under Advanced or by IT). */
export function choiceOf(scope: string): Choice | undefined {
  const mine = words(scope).join(' ');
  return (Object.keys(SCOPE_CHOICES) as Choice[]).find(
    (c) => words(SCOPE_CHOICES[c].scope).join(' ') === mine,
  );
}

/**
 * The settings' `scope` (what every sign-in asks for), as the three choices in plain words;
 * the raw scope text stays editable under "Advanced" for IT. One setting: a choice writes its
 * scope, and typed text shows as its choice when it is one. Managed `scope` locks both.
 */
export function ScopeChoice({
  value,
  onChange,
  locked,
}: {
  value: string;
  onChange: (next: string) => void;
  locked: LockedField | undefined;
}) {
  const t = useT();
  const id = useId();
  const chosen = choiceOf(value);
  // Open at first when the scope is none of the choices: that is where it shows.
  const [openAtFirst] = useState(chosen === undefined);
  return (
    <fieldset
      className={`settings-scope${locked ? ' locked' : ''}`}
      disabled={Boolean(locked)}
      aria-describedby={`${id}-hint`}
    >
      <legend>
        {t('settings.scope.legend')}
        <LockTag locked={locked} />
      </legend>
      {(Object.keys(SCOPE_CHOICES) as Choice[]).map((c) => (
        <label key={c} className="radio">
          <input
            type="radio"
            name={`${id}-choice`}
            value={c}
            checked={chosen === c}
            onChange={() => onChange(SCOPE_CHOICES[c].scope)}
          />
          <span>{t(CHOICE_KEYS[c])}</span>
        </label>
      ))}
      <p id={`${id}-hint`} className="field-hint">
        {locked ? (
          <LockReason locked={locked} />
        ) : chosen ? (
          t('settings.scope.hint')
        ) : (
          t('settings.scope.custom')
        )}
      </p>
      <details className="settings-advanced" open={openAtFirst}>
        <summary>{t('settings.scope.advanced')}</summary>
        <SettingsField
          label={t('settings.scope.raw.label')}
          hint={rich(t, 'settings.scope.raw.hint', { offline: <Code>offline_access</Code> })}
          locked={locked}
        >
          {({ id: inputId, disabled, describedBy }) => (
            <input
              id={inputId}
              type="text"
              spellCheck={false}
              translate="no"
              dir="ltr"
              value={value}
              disabled={disabled}
              aria-describedby={describedBy}
              onChange={(e) => onChange(e.target.value)}
            />
          )}
        </SettingsField>
      </details>
    </fieldset>
  );
}
