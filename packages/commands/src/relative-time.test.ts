import { describe, expect, it } from 'vitest';
import { formatRelativeTime, maxClockSkewMs } from './relative-time.js';

const now = new Date('2025-03-10T12:00:00.000Z');
const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

function ago(milliseconds: number): string {
  return new Date(now.getTime() - milliseconds).toISOString();
}

describe('formatRelativeTime at each boundary (fixed clock)', () => {
  const cases: ReadonlyArray<readonly [string, number, string]> = [
    ['this instant', 0, 'just now'],
    ['59.999 s', minute - 1, 'just now'],
    ['1 min', minute, '1 min ago'],
    ['5 min', 5 * minute, '5 min ago'],
    ['59 min 59 s', hour - 1, '59 min ago'],
    ['1 hour', hour, '1 hour ago'],
    ['2 hours', 2 * hour, '2 hours ago'],
    ['23 h 59 min', day - minute, '23 hours ago'],
    ['24 hours', day, 'yesterday'],
    ['47 h 59 min', 2 * day - minute, 'yesterday'],
    ['48 hours', 2 * day, '2 days ago'],
    ['3 days', 3 * day, '3 days ago'],
    ['6 d 23 h', 7 * day - hour, '6 days ago'],
    ['7 days', 7 * day, 'Mar 3, 2025'],
    ['a year', 365 * day, 'Mar 10, 2024'],
  ];

  it.each(cases)('%s ago reads %j', (_label, elapsed, expected) => {
    expect(formatRelativeTime(ago(elapsed), now)).toBe(expected);
  });

  it('takes a Date as well as a string', () => {
    expect(formatRelativeTime(new Date(now.getTime() - 5 * minute), now)).toBe('5 min ago');
  });

  it('shows an absolute date in UTC, whatever the hour', () => {
    expect(formatRelativeTime('2025-01-05T23:59:59Z', now)).toBe('Jan 5, 2025');
    expect(formatRelativeTime('2025-01-05T00:00:00+00:00', now)).toBe('Jan 5, 2025');
  });
});

describe('formatRelativeTime: clock skew and bad input', () => {
  it('reads a time slightly in the future as just now, and further ahead as its date', () => {
    expect(formatRelativeTime(ago(-30 * second), now)).toBe('just now');
    expect(formatRelativeTime(ago(-maxClockSkewMs), now)).toBe('just now');
    expect(formatRelativeTime(ago(-maxClockSkewMs - 1), now)).toBe('Mar 10, 2025');
    expect(formatRelativeTime(ago(-400 * day), now)).toBe('Apr 14, 2026');
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['empty string', ''],
    ['garbage', 'yesterday-ish'],
    ['a bare number', '1'],
    ['an impossible date', '2025-13-45T00:00:00Z'],
    ['an invalid Date', new Date(Number.NaN)],
  ] as const)('reads %s as unknown', (_label, value) => {
    expect(formatRelativeTime(value, now)).toBe('unknown');
  });

  it('reads anything as unknown against an invalid clock', () => {
    expect(formatRelativeTime(ago(0), new Date(Number.NaN))).toBe('unknown');
  });
});

describe('formatRelativeTime in other locales', () => {
  it('uses Intl words for the locale', () => {
    expect(formatRelativeTime(ago(day), now, 'de')).toBe('gestern');
    expect(formatRelativeTime(ago(3 * day), now, 'fr')).toBe('il y a 3 jours');
    expect(formatRelativeTime(ago(10 * day), now, 'de')).toBe('28.02.2025');
  });

  it('falls back to English for a malformed locale', () => {
    expect(formatRelativeTime(ago(5 * minute), now, 'not a locale!')).toBe('5 min ago');
  });

  it('keeps "just now" in English and the locale word elsewhere', () => {
    expect(formatRelativeTime(ago(0), now, 'en-GB')).toBe('just now');
    expect(formatRelativeTime(ago(0), now, 'de')).not.toBe('just now');
  });
});

describe('formatRelativeTime in English without Intl', () => {
  // The English words are written by hand so that a listing does not load ICU's data; they must be
  // exactly the ones Intl gives for `en` ('EN' is the same language through Intl's path).
  const intlEnglish = (timestamp: string) => formatRelativeTime(timestamp, now, 'EN');
  const intlDate = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });

  it('matches Intl for every band, both ways around now, over a seeded spread of times', () => {
    let seed = 20261201;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const spans = [minute, hour, day, 2 * day, 7 * day, 400 * day, 3000 * 365 * day];
    for (let sample = 0; sample < 5000; sample++) {
      const span = spans[sample % spans.length] as number;
      const elapsed = Math.floor((random() - 0.1) * span);
      const time = now.getTime() - elapsed;
      const timestamp = new Date(time).toISOString();
      if (!/^\d{4}-/.test(timestamp)) continue;
      const english = formatRelativeTime(timestamp, now);
      expect(formatRelativeTime(timestamp, now, 'en-US')).toBe(english);
      if (elapsed >= 7 * day || elapsed < -maxClockSkewMs) expect(english).toBe(intlDate.format(time));
      else expect(english).toBe(intlEnglish(timestamp));
    }
  });
});
