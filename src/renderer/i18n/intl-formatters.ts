/**
 * Dates, times, relative times, numbers and country names in the window's language (issue 13),
 * all through `Intl`: no table ships. One place builds the formatters, so every screen writes
 * "14:05" or "2:05 PM", "in 5 minutes" or "dans 5 minutes", the same way. Pure (no React, no
 * catalog), so unit tests run it; components take them from `useFormat` (format.ts).
 */

/** Units `relative` may pick, largest first, with their length in milliseconds. */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** The formatters for `locale` (a supported language tag). */
export function formatters(locale: string) {
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const number = new Intl.NumberFormat(locale);
  const twoDigits = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false });
  const oneDigit = new Intl.NumberFormat(locale, { useGrouping: false });
  let regions: Intl.DisplayNames | undefined;
  return {
    /** A date with its time: "2 Dec 2026, 14:05:09". */
    dateTime: (ms: number) => dateTime.format(ms),
    /** A time of day: "14:05:09". */
    time: (ms: number) => time.format(ms),
    /** `ms` relative to `now` in the largest whole unit: "in 5 minutes", "3 hours ago". */
    relative(ms: number, now: number) {
      const diff = ms - now;
      for (const [unit, size] of UNITS)
        if (Math.abs(diff) >= size || unit === 'second')
          return relative.format(Math.trunc(diff / size), unit);
      return relative.format(0, 'second');
    },
    /**
     * A countdown, hours, minutes and seconds left: "1:02:03", "2:05" (under an hour), in the
     * language's digits. Not `Intl.DurationFormat` (not in every engine Signet runs on yet).
     */
    clock(ms: number) {
      const s = Math.max(0, Math.floor(ms / 1000));
      const h = Math.floor(s / 3600);
      const m = Math.floor((s % 3600) / 60);
      const rest = [twoDigits.format(s % 60)];
      if (h) rest.unshift(oneDigit.format(h), twoDigits.format(m));
      else rest.unshift(oneDigit.format(m));
      return rest.join(':');
    },
    /** A number with the language's digits and separators: "1 234,5". */
    number: (n: number, options?: Intl.NumberFormatOptions) =>
      (options ? new Intl.NumberFormat(locale, options) : number).format(n),
    /** A country's name from its ISO 3166 code ("DE" → "Allemagne"), the code when unknown. */
    region(code: string) {
      try {
        regions ??= new Intl.DisplayNames([locale, 'en'], { type: 'region' });
        return regions.of(code) ?? code;
      } catch {
        return code;
      }
    },
  };
}

export type Formatters = ReturnType<typeof formatters>;
