/**
 * Countries of libphonenumber-js's metadata with their calling codes and names in the window's
 * language (`useFormat().region`, from `Intl.DisplayNames`, so no name table ships), sorted
 * with that language's collation.
 */
import { getCountries, getCountryCallingCode, type CountryCode } from 'libphonenumber-js/min';
import { i18n } from '@lingui/core';

export interface Country {
  code: CountryCode;
  name: string;
  callingCode: string;
}

/** A country's name in the window's language (`useFormat().region`). */
export type RegionName = (code: string) => string;

/** The list per naming function: one per language (useFormat keeps one per language). */
const cache = new WeakMap<RegionName, Country[]>();

export function countries(region: RegionName): Country[] {
  let list = cache.get(region);
  if (list) return list;
  const collator = new Intl.Collator(i18n.locale || 'en');
  list = getCountries()
    .map((code) => ({ code, name: region(code), callingCode: getCountryCallingCode(code) }))
    .sort((a, b) => collator.compare(a.name, b.name));
  cache.set(region, list);
  return list;
}

/** The ISO code of a country the phone metadata knows, upper case, or undefined. */
export function knownCountry(code: string | null | undefined): CountryCode | undefined {
  const upper = code?.toUpperCase();
  return getCountries().find((c) => c === upper);
}

export function findCountry(
  code: string | null | undefined,
  region: RegionName,
): Country | undefined {
  if (!code) return undefined;
  const upper = code.toUpperCase();
  return countries(region).find((c) => c.code === upper);
}

/** Countries whose name, ISO code or calling code matches what was typed. */
export function searchCountries(query: string, region: RegionName): Country[] {
  const q = query.trim().toLocaleLowerCase().replace(/^\+/, '');
  if (!q) return countries(region);
  return countries(region).filter(
    (c) =>
      c.name.toLocaleLowerCase().includes(q) ||
      c.code.toLowerCase() === q ||
      c.callingCode.startsWith(q),
  );
}
