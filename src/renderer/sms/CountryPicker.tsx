import { useId, useMemo, useState } from 'react';
import type { CountryCode } from 'libphonenumber-js/min';
import { FieldRow } from '../components/FieldRow';
import { findCountry, searchCountries } from './countries';
import { useT } from '../i18n';
import { useFormat } from '../i18n/format';

/**
 * A searchable country picker: a search box filtering a native select (which keeps the
 * platform's keyboard and screen-reader behaviour). The first match is picked as you type.
 */
export function CountryPicker({
  value,
  onChange,
  disabled,
}: {
  value: CountryCode;
  onChange: (code: CountryCode) => void;
  disabled?: boolean;
}) {
  const t = useT();
  const { region } = useFormat();
  const id = useId();
  const [query, setQuery] = useState('');
  const matches = useMemo(() => searchCountries(query, region), [query, region]);
  const selected = findCountry(value, region);
  // The chosen country stays listed even when the search no longer matches it.
  const options = selected && !matches.includes(selected) ? [selected, ...matches] : matches;

  return (
    <div className="country-picker">
      <FieldRow id={`${id}-search`} label={t('signin.country.search')}>
        <input
          id={`${id}-search`}
          type="search"
          autoComplete="off"
          placeholder={t('signin.country.placeholder')}
          value={query}
          disabled={disabled}
          aria-describedby={`${id}-count`}
          onChange={(e) => {
            setQuery(e.target.value);
            const first = searchCountries(e.target.value, region)[0];
            if (first && e.target.value.trim()) onChange(first.code);
          }}
        />
        <p id={`${id}-count`} className="field-hint" aria-live="polite">
          {query.trim() ? t('signin.country.matches', { n: matches.length }) : ''}
        </p>
      </FieldRow>
      <FieldRow id={`${id}-country`} label={t('signin.country')}>
        <select
          id={`${id}-country`}
          value={value}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value as CountryCode)}
        >
          {options.map((c) => (
            <option key={c.code} value={c.code}>
              {/* The calling code isolated left-to-right: `+966` stays `+966` in Arabic. */}
              {t('signin.countryOption', {
                country: c.name,
                code: `\u2066+${c.callingCode}\u2069`,
              })}
            </option>
          ))}
        </select>
      </FieldRow>
    </div>
  );
}
