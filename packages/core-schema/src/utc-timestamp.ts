/**
 * The shape `timestampSchema` accepts, with months 01-12, days 01-31 and a time up to 23:59:59.
 * `\d` is ASCII only without the `u` flag, and `$` is the end of the text (no `m` flag).
 */
const shape =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?Z$/;

/** The number of the two ASCII digits at `index` (the shape has checked that they are digits). */
function twoDigits(text: string, index: number): number {
  return (text.charCodeAt(index) - 0x30) * 10 + text.charCodeAt(index + 1) - 0x30;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * True exactly when `timestampSchema` (zod's `iso.datetime` without offset or local time) accepts
 * `text`: `YYYY-MM-DDTHH:MM:SS`, an optional `.` and one or more digits, then `Z`, with a real
 * Gregorian date (February 29 in leap years only) and a time up to 23:59:59. Written out so that a
 * load checks ten thousand timestamps without zod; a property test holds it to the schema. One
 * compiled regular expression checks the shape (about twice as fast as reading it character by
 * character); only a day after the 28th needs its month and year.
 */
export function isUtcTimestamp(text: string): boolean {
  if (!shape.test(text)) return false;
  const day = twoDigits(text, 8);
  if (day <= 28) return true;
  return day <= daysIn(twoDigits(text, 5), twoDigits(text, 0) * 100 + twoDigits(text, 2));
}
