/**
 * Countries of libphonenumber-js's metadata with their calling codes and names in the UI's
 * language (from `Intl.DisplayNames`, so no name table ships in the bundle).
 */
import { getCountries, getCountryCallingCode, type CountryCode } from 'libphonenumber-js/min';

export interface Country {
  code: CountryCode;
  name: string;
  callingCode: string;
}

let cache: Country[] | undefined;

export function countries(): Country[] {
  if (cache) return cache;
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames([navigator.language, 'en'], { type: 'region' });
  } catch {
    names = undefined;
  }
  cache = getCountries()
    .map((code) => {
      let name: string = code;
      try {
        name = names?.of(code) ?? code;
      } catch {
        name = code;
      }
      return { code, name, callingCode: getCountryCallingCode(code) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return cache;
}

export function findCountry(code: string | null | undefined): Country | undefined {
  if (!code) return undefined;
  const upper = code.toUpperCase();
  return countries().find((c) => c.code === upper);
}

/** Countries whose name, ISO code or calling code matches what was typed. */
export function searchCountries(query: string): Country[] {
  const q = query.trim().toLowerCase().replace(/^\+/, '');
  if (!q) return countries();
  return countries().filter(
    (c) =>
      c.name.toLowerCase().includes(q) || c.code.toLowerCase() === q || c.callingCode.startsWith(q),
  );
}
