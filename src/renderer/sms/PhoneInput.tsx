import { useId, type Ref } from 'react';
import { AsYouType, type CountryCode } from 'libphonenumber-js/min';
import { useT } from '../i18n';

/** Formats national digits the way they are written in `country`. */
export function formatNational(digits: string, country: CountryCode): string {
  return digits ? new AsYouType(country).input(digits) : '';
}

/**
 * The national number, formatted as typed. Holds digits only; a number typed with `+` and
 * its calling code switches the country instead.
 */
export function PhoneInput({
  country,
  callingCode,
  digits,
  onChange,
  onCountry,
  error,
  inputRef,
}: {
  country: CountryCode;
  callingCode: string;
  digits: string;
  onChange: (digits: string) => void;
  onCountry: (country: CountryCode) => void;
  error?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const t = useT();
  const id = useId();
  const shown = formatNational(digits, country);

  function change(raw: string) {
    if (raw.trim().startsWith('+')) {
      const typer = new AsYouType();
      typer.input(raw);
      const detected = typer.getCountry();
      // National digits as written at home (with the trunk prefix, e.g. UK's 0).
      const national = typer.getNumber()?.formatNational().replace(/\D/g, '');
      if (detected && national) {
        onCountry(detected);
        onChange(national);
        return;
      }
    }
    let next = raw.replace(/\D/g, '');
    // Deleting a formatting character (")", "-", " ") deletes the digit before it.
    if (raw.length < shown.length && next === digits) next = next.slice(0, -1);
    onChange(next.slice(0, 17));
  }

  return (
    <div className="field">
      <label htmlFor={id}>{t('signin.sms.phone')}</label>
      <div className="input-with-prefix">
        <span className="prefix" aria-hidden="true" dir="ltr" translate="no">
          +{callingCode}
        </span>
        <input
          id={id}
          ref={inputRef}
          type="tel"
          dir="ltr"
          autoComplete="tel-national"
          required
          value={shown}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint`}
          onChange={(e) => change(e.target.value)}
        />
      </div>
      <p id={`${id}-hint`} className={error ? 'field-error' : 'field-hint'}>
        {error ?? t('signin.sms.callingCode', { code: `\u2066+${callingCode}\u2069` })}
      </p>
    </div>
  );
}
