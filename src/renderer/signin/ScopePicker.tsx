import { SCOPE_CHOICES, type ScopeChoice } from '../../shared/ipc';

const HINTS: Record<ScopeChoice, string> = {
  basic: 'Your name and email only.',
  profile: 'Every attribute of your profile.',
  remember: 'Stay signed in on this device',
};

/** The scope of a sign-in, in plain words. */
export function ScopePicker({
  value,
  onChange,
  device,
}: {
  value: ScopeChoice;
  onChange: (choice: ScopeChoice) => void;
  device?: string | undefined;
}) {
  const choices = Object.keys(SCOPE_CHOICES) as ScopeChoice[];
  return (
    <fieldset className="scope-picker">
      <legend>What to share</legend>
      {choices.map((c) => (
        <label key={c} className="radio">
          <input
            type="radio"
            name="scope"
            value={c}
            checked={value === c}
            onChange={() => onChange(c)}
          />
          <span>
            {SCOPE_CHOICES[c].label}
            <span className="radio-hint">
              {c === 'remember' ? `${HINTS.remember}${device ? ` (“${device}”)` : ''}.` : HINTS[c]}
            </span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** The choice matching a settings scope string (the default scope of a sign-in). */
export function scopeChoiceFor(scope: string | undefined): ScopeChoice {
  const words = new Set((scope ?? '').split(/\s+/));
  if (words.has('offline_access')) return 'remember';
  if (words.has('profile')) return 'profile';
  return scope ? 'basic' : 'remember';
}
