import { useId, useState, type ReactNode } from 'react';
import {
  SCOPE_CHOICES,
  scopeChoiceFor,
  type ScopeChoice,
  type SettingsView,
} from '../../shared/ipc';
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
 * form goes back to what the settings share (profile when they keep you signed in). The same
 * state as the Advanced choice below. A scope the managed configuration locks is shown, not
 * offered: main asks for exactly that scope whatever the form says.
 */
function KeepSignedIn({
  value,
  onChange,
  start,
  locked,
}: {
  value: ScopeChoice;
  onChange: (choice: ScopeChoice) => void;
  /** The settings' choice (`scopeChoiceFor(settings.scope)`). */
  start: ScopeChoice;
  locked: boolean;
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
          disabled={locked}
          onChange={(e) =>
            onChange(e.target.checked ? 'remember' : start === 'remember' ? 'profile' : start)
          }
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
function AdvancedScope({
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

/**
 * A sign-in form's scope choice, starting at the settings' (`scopeChoiceFor`), and its two
 * controls wired to it: the "Keep me signed in" box and, unless the managed configuration
 * locks the scope, the Advanced choice.
 */
export function useScopeChoice(view: SettingsView): {
  scope: ScopeChoice;
  keep: ReactNode;
  advanced: ReactNode;
} {
  const start = scopeChoiceFor(view.settings.scope);
  const locked = view.locked.some((l) => l.field === 'scope');
  const [scope, setScope] = useState<ScopeChoice>(start);
  return {
    scope,
    keep: <KeepSignedIn value={scope} onChange={setScope} start={start} locked={locked} />,
    advanced: !locked && (
      <AdvancedScope value={scope} onChange={setScope} device={view.settings.device} />
    ),
  };
}
