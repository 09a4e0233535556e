import { useId } from 'react';
import { SCOPE_CHOICES, type ScopeChoice } from '../../shared/ipc';
import { useT, type MessageKey } from '../i18n';

/** Each scope choice's words (src/shared/ipc.ts keeps the scopes themselves). */
const WORDS: Record<ScopeChoice, { label: MessageKey; hint: MessageKey }> = {
  basic: { label: 'signin.scope.basic', hint: 'signin.scope.basic.hint' },
  profile: { label: 'signin.scope.profile', hint: 'signin.scope.profile.hint' },
  remember: { label: 'signin.scope.remember', hint: 'signin.scope.remember.hint' },
};

/**
 * The one question the sign-in form asks about scope (issue 13, as Lock does): "Keep me
 * signed in", i.e. whether `offline_access` (a refresh token) is asked for. Unticked, the
 * form asks for the profile without it. The same state as the Advanced choice below.
 */
export function KeepSignedIn({
  value,
  onChange,
}: {
  value: ScopeChoice;
  onChange: (choice: ScopeChoice) => void;
}) {
  const t = useT();
  const id = useId();
  return (
    <div className="checkbox keep-signed-in">
      <label htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={value === 'remember'}
          onChange={(e) => onChange(e.target.checked ? 'remember' : 'profile')}
        />
        {t('signin.keep')}
      </label>
    </div>
  );
}

/**
 * The three-way scope of a sign-in, for IT, under a collapsed "Advanced" disclosure (a native
 * `<details>`: keyboard and screen readers know it) below the form's primary action, so the
 * employee's first screen asks only what they must decide.
 */
export function AdvancedScope({
  value,
  onChange,
  device,
}: {
  value: ScopeChoice;
  onChange: (choice: ScopeChoice) => void;
  device?: string | undefined;
}) {
  const t = useT();
  const name = useId();
  const choices = Object.keys(SCOPE_CHOICES) as ScopeChoice[];
  return (
    <details className="advanced">
      <summary>{t('signin.advanced')}</summary>
      <fieldset className="scope-picker">
        <legend>{t('signin.scope.legend')}</legend>
        {choices.map((c) => (
          <label key={c} className="radio">
            <input
              type="radio"
              name={name}
              value={c}
              checked={value === c}
              onChange={() => onChange(c)}
            />
            <span>
              {t(WORDS[c].label)}
              <span className="radio-hint">
                {c === 'remember' && device
                  ? t('signin.scope.remember.hintDevice', { device })
                  : t(WORDS[c].hint)}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
    </details>
  );
}

/** The choice matching a settings scope string (the default scope of a sign-in). */
export function scopeChoiceFor(scope: string | undefined): ScopeChoice {
  const words = new Set((scope ?? '').split(/\s+/));
  if (words.has('offline_access')) return 'remember';
  if (words.has('profile')) return 'profile';
  return scope ? 'basic' : 'remember';
}
