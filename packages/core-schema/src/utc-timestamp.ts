const zero = 0x30;
const nine = 0x39;

function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index) - zero;
  return code >= 0 && code <= 9 ? code : -1;
}

/** The two-digit number at `index`, or -1 when either character is not an ASCII digit. */
function twoDigits(text: string, index: number): number {
  const tens = digitAt(text, index);
  const units = digitAt(text, index + 1);
  return tens < 0 || units < 0 ? -1 : tens * 10 + units;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * True exactly when `timestampSchema` (zod's `iso.datetime` without offset or local time) accepts
 * `text`: `YYYY-MM-DDTHH:MM:SS`, an optional `.` and one or more digits, then `Z`, with a real
 * Gregorian date (February 29 in leap years only) and a time up to 23:59:59. Written out so that a
 * load checks ten thousand timestamps without zod; a property test holds it to the schema.
 */
export function isUtcTimestamp(text: string): boolean {
  const length = text.length;
  if (length < 20 || text.charCodeAt(length - 1) !== 0x5a /* Z */) return false;
  if (text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(10) !== 0x54)
    return false;
  if (text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a) return false;
  const century = twoDigits(text, 0);
  const yearInCentury = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  if (century < 0 || yearInCentury < 0 || month < 1 || month > 12 || day < 1) return false;
  if (day > daysIn(month, century * 100 + yearInCentury)) return false;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  if (length === 20) return true;
  // A fraction: `.` at 19, then at least one digit up to the final `Z`.
  if (length < 22 || text.charCodeAt(19) !== 0x2e) return false;
  for (let index = 20; index < length - 1; index++) {
    const code = text.charCodeAt(index);
    if (code < zero || code > nine) return false;
  }
  return true;
}
