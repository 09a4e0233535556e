/**
 * Dates, times, relative times, numbers and country names in the window's language (issue 13):
 * `useFormat` hands a component the formatters of the active language (built once per
 * language by intl-formatters.ts, all through `Intl`), so every screen writes "14:05" or
 * "2:05 PM", "in 5 minutes" or "dans 5 minutes", the same way.
 */
import { i18n } from '@lingui/core';
import { useT } from './index';
import { formatters, type Formatters } from './intl-formatters';

export { formatters, type Formatters };

const cache = new Map<string, Formatters>();

/** The formatters of the active language, re-rendering the component when it changes. */
export function useFormat(): Formatters {
  useT();
  const locale = i18n.locale || 'en';
  let f = cache.get(locale);
  if (!f) cache.set(locale, (f = formatters(locale)));
  return f;
}
