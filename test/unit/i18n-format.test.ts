/**
 * The window's Intl formatters (src/renderer/i18n/intl-formatters.ts): relative times in the largest
 * whole unit, the countdown, numbers, dates and country names, each in the language asked for;
 * and every claim src/shared/claims.ts labels has its label in the session catalog.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAIM_LABELS } from '../../src/shared/claims';
import { formatters } from '../../src/renderer/i18n/intl-formatters';

const now = Date.UTC(2026, 11, 2, 7, 0, 0);
const MIN = 60_000;

describe('formatters', () => {
  it('relative picks the largest whole unit, before and after now', () => {
    const en = formatters('en');
    expect(en.relative(now + 10_000, now)).toBe('in 10 seconds');
    expect(en.relative(now + 5 * MIN + 40_000, now)).toBe('in 5 minutes');
    expect(en.relative(now - 3 * 60 * MIN, now)).toBe('3 hours ago');
    expect(en.relative(now + 9 * 60 * MIN + 59 * MIN, now)).toBe('in 9 hours');
    expect(en.relative(now + 2 * 1440 * MIN, now)).toBe('in 2 days');
    expect(en.relative(now - 1440 * MIN, now)).toBe('yesterday');
    expect(en.relative(now, now)).toBe('now');
  });

  it('relative speaks the language, with its plural forms', () => {
    expect(formatters('de').relative(now + 5 * MIN, now)).toBe('in 5 Minuten');
    expect(formatters('de').relative(now + 1 * MIN, now)).toBe('in 1 Minute');
    expect(formatters('fr').relative(now - 2 * 60 * MIN, now)).toBe('il y a 2 heures');
    expect(formatters('ja').relative(now + 5 * MIN, now)).toBe('5 分後');
    expect(formatters('ar').relative(now + 2 * MIN, now)).toBe('خلال دقيقتين');
  });

  it('the countdown shows hours only when there are any, and never goes below zero', () => {
    const en = formatters('en');
    expect(en.clock(3_723_000)).toBe('1:02:03');
    expect(en.clock(125_999)).toBe('2:05');
    expect(en.clock(-5_000)).toBe('0:00');
    expect(formatters('de').clock(36_000_000)).toBe('10:00:00');
  });

  it('numbers take the language’s separators, and units their words', () => {
    expect(formatters('en').number(1234.5)).toBe('1,234.5');
    expect(formatters('de').number(1234.5)).toBe('1.234,5');
    expect(formatters('fr').number(1234.5)).toBe('1\u202f234,5');
    expect(formatters('en').number(87, { style: 'unit', unit: 'millisecond' })).toBe('87 ms');
  });

  it('dates and times are the language’s own', () => {
    expect(formatters('de').dateTime(now)).toBe(
      new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeStyle: 'medium' }).format(now),
    );
    expect(formatters('de').dateTime(now)).toMatch(/^02\.12\.2026, \d\d:\d\d:00$/);
    expect(formatters('en').dateTime(now)).toMatch(/^Dec 2, 2026, \d+:00:00\s[AP]M$/);
  });

  it('region names a country in the language, and falls back to the code', () => {
    expect(formatters('fr').region('DE')).toBe('Allemagne');
    expect(formatters('ja').region('US')).toBe('アメリカ合衆国');
    expect(formatters('de').region('not a code')).toBe('not a code');
  });
});

describe('claim labels', () => {
  it('every claim src/shared/claims.ts labels has the same English label in the session catalog', () => {
    const en = JSON.parse(
      readFileSync(
        join(import.meta.dirname, '../../src/renderer/i18n/icu/en/session.json'),
        'utf8',
      ),
    ) as Record<string, string>;
    for (const [name, label] of Object.entries(CLAIM_LABELS))
      expect(en[`session.claim.${name}`], name).toBe(label);
    const keys = Object.keys(en).filter((k) => k.startsWith('session.claim.'));
    expect(keys.map((k) => k.slice('session.claim.'.length)).sort()).toEqual(
      Object.keys(CLAIM_LABELS).sort(),
    );
  });
});
