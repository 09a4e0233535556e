import {
  LANGUAGE_TAGS,
  LANGUAGES,
  resolveLanguage,
  type LanguageTag,
} from '../../shared/languages';
import type { LockedField } from '../../shared/settings';
import { useT } from '../i18n';
import { SettingsField } from './SettingsField';

/**
 * The window's language: "Automatic" (the settings name none: the OS's language, named) or
 * one of the languages, each in its own name and marked with its `lang` so a screen reader
 * says "Deutsch" in German whatever the window speaks. IT's managed `language` locks it.
 */
export function LanguagePicker({
  value,
  onChange,
  systemLanguage,
  windowLanguage,
  locked,
}: {
  /** The chosen language; `''` is Automatic (no `language` in the settings). */
  value: LanguageTag | '';
  onChange: (next: LanguageTag | '') => void;
  /** The OS locale (`SettingsView.systemLanguage`), which Automatic follows. */
  systemLanguage: string | null;
  /** The language the window speaks now: the Automatic option's words are in it. */
  windowLanguage: LanguageTag;
  locked: LockedField | undefined;
}) {
  const t = useT();
  const automatic = resolveLanguage(undefined, systemLanguage);
  return (
    <SettingsField
      label={t('settings.language.label')}
      hint={t('settings.language.hint')}
      locked={locked}
    >
      {({ id, disabled, describedBy }) => (
        <select
          id={id}
          value={value}
          disabled={disabled}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value as LanguageTag | '')}
        >
          <option value="" lang={windowLanguage}>
            {t('settings.language.automatic', { language: LANGUAGES[automatic].name })}
          </option>
          {LANGUAGE_TAGS.map((tag) => (
            <option key={tag} value={tag} lang={tag}>
              {LANGUAGES[tag].name}
            </option>
          ))}
        </select>
      )}
    </SettingsField>
  );
}
