const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

/** How far in the future a timestamp may be and still read "just now" (clocks of two machines drift). */
export const maxClockSkewMs = 5 * minute;

/** What {@link formatRelativeTime} shows for a missing or unreadable timestamp. */
export const unknownTime = 'unknown';

/** One row of the table below: an elapsed time under `below` milliseconds reads `describe(…)`. */
interface Band {
  readonly below: number;
  readonly describe: (elapsedMs: number, locale: string) => string;
}

/**
 * The thresholds, smallest first; the first band whose `below` exceeds the elapsed time wins. Past
 * the last band a time is shown as a date. "yesterday" is 24 to 48 hours ago, counted in elapsed
 * time rather than calendar days, so the answer does not depend on a time zone.
 */
const bands: readonly Band[] = [
  { below: minute, describe: (_elapsed, locale) => justNow(locale) },
  { below: hour, describe: (elapsed, locale) => minutesAgo(Math.floor(elapsed / minute), locale) },
  { below: day, describe: (elapsed, locale) => unitsAgo(Math.floor(elapsed / hour), 'hour', locale) },
  { below: 2 * day, describe: (_elapsed, locale) => unitsAgo(1, 'day', locale) },
  { below: 7 * day, describe: (elapsed, locale) => unitsAgo(Math.floor(elapsed / day), 'day', locale) },
];

/**
 * How long ago `timestamp` was, as a person reads it in a list: "just now" (under a minute),
 * "5 min ago" (under an hour), "2 hours ago" (under a day), "yesterday" (24 to 48 hours),
 * "3 days ago" (under a week), then the date ("Jan 5, 2025", in UTC so every machine agrees).
 *
 * A timestamp up to {@link maxClockSkewMs} in the future reads "just now"; further ahead, its date.
 * `null`, `undefined`, an invalid `Date` and a string that is not an ISO 8601 date read
 * {@link unknownTime}. Words come from `Intl.RelativeTimeFormat` and `Intl.DateTimeFormat` in
 * `locale` (an unsupported locale falls back to English); minutes use the short unit without its
 * abbreviation dot ("5 min ago", not "5 min. ago").
 */
export function formatRelativeTime(
  timestamp: string | Date | null | undefined,
  now: Date,
  locale = 'en',
): string {
  const time = toMillis(timestamp);
  const reference = now.getTime();
  if (Number.isNaN(time) || Number.isNaN(reference)) return unknownTime;
  const elapsed = reference - time;
  if (isPlainEnglish(locale)) return englishRelativeTime(time, elapsed);
  const language = supportedLocale(locale);
  if (elapsed < 0) return -elapsed <= maxClockSkewMs ? justNow(language) : absoluteDate(time, language);
  const band = bands.find((candidate) => elapsed < candidate.below);
  return band === undefined ? absoluteDate(time, language) : band.describe(elapsed, language);
}

/**
 * English without `Intl`: building the first `Intl.RelativeTimeFormat` loads ICU's locale data, a
 * cost every `jido sessions list` paid at start-up (10 ms or more). The words are the ones `Intl`
 * gives for `en` (a test compares the two over the whole range).
 */
function isPlainEnglish(locale: string): boolean {
  return locale === 'en' || locale === 'en-US';
}

const monthAbbreviations = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

function englishRelativeTime(time: number, elapsed: number): string {
  if (elapsed < 0) return -elapsed <= maxClockSkewMs ? 'just now' : englishDate(time);
  if (elapsed < minute) return 'just now';
  if (elapsed < hour) return `${Math.floor(elapsed / minute)} min ago`;
  if (elapsed < day) {
    const hours = Math.floor(elapsed / hour);
    return hours === 1 ? '1 hour ago' : `${hours} hours ago`;
  }
  if (elapsed < 2 * day) return 'yesterday';
  if (elapsed < 7 * day) return `${Math.floor(elapsed / day)} days ago`;
  return englishDate(time);
}

/** `Jan 5, 2025` in UTC; years outside 1–9999 (BC, or wider) are left to `Intl`. */
function englishDate(time: number): string {
  const date = new Date(time);
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) return absoluteDate(time, 'en');
  return `${monthAbbreviations[date.getUTCMonth()]} ${date.getUTCDate()}, ${year}`;
}

const isoDate = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function toMillis(timestamp: string | Date | null | undefined): number {
  if (timestamp instanceof Date) return timestamp.getTime();
  if (typeof timestamp !== 'string' || !isoDate.test(timestamp)) return Number.NaN;
  return Date.parse(timestamp);
}

/**
 * Intl objects are costly to build (a listing formats a time per row), so each is made once per
 * locale and options and kept: a process sees a handful of locales at most.
 */
const cache = new Map<string, unknown>();

function cached<T>(key: string, make: () => T): T {
  let value = cache.get(key) as T | undefined;
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

function supportedLocale(locale: string): string {
  return cached(`supported:${locale}`, () => {
    try {
      return Intl.RelativeTimeFormat.supportedLocalesOf(locale)[0] ?? 'en';
    } catch {
      return 'en';
    }
  });
}

function relativeFormat(
  locale: string,
  numeric: 'auto' | 'always',
  style: 'long' | 'short',
): Intl.RelativeTimeFormat {
  return cached(
    `relative:${locale}:${numeric}:${style}`,
    () => new Intl.RelativeTimeFormat(locale, { numeric, style }),
  );
}

/** English keeps JidoCode's "just now"; other languages get their own word for "now". */
function justNow(locale: string): string {
  if (/^en\b/i.test(locale)) return 'just now';
  return relativeFormat(locale, 'auto', 'long').format(0, 'second');
}

function unitsAgo(count: number, unit: 'hour' | 'day', locale: string): string {
  return relativeFormat(locale, 'auto', 'long').format(-count, unit);
}

/** The short unit ("min"), with a trailing abbreviation dot dropped from the words around the number. */
function minutesAgo(count: number, locale: string): string {
  return relativeFormat(locale, 'always', 'short')
    .formatToParts(-count, 'minute')
    .map((part) => (part.type === 'literal' ? part.value.replace(/(\p{L})\.(?=\s|$)/gu, '$1') : part.value))
    .join('');
}

function absoluteDate(time: number, locale: string): string {
  const format = cached(
    `date:${locale}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }),
  );
  return format.format(time);
}
