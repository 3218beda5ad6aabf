/**
 * Control characters (C0, DEL, C1) and bidirectional overrides, which could move the cursor,
 * recolour the terminal or reorder what a user reads. Names and paths come from files.
 */
const unsafeCharacters = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** `text` with every terminal control character and bidi override replaced by `?`. */
export function printable(text: string): string {
  return text.replace(unsafeCharacters, '?');
}

/**
 * `text` cut to at most `max` characters (code points, so no half emoji), ending in `…` when cut.
 * Keeps the start; see {@link shortenPath} for keeping the end.
 */
export function truncateEnd(text: string, max: number): string {
  const characters = Array.from(text);
  if (characters.length <= max) return text;
  return `${characters.slice(0, Math.max(0, max - 1)).join('')}…`;
}

const surrogate = /[\uD800-\uDFFF]/;

/** Width in code points, so a name with an emoji lines up like one without. */
export function columnWidth(text: string): number {
  // Most cells are plain text, whose length is already their width: no array is built for them.
  return surrogate.test(text) ? Array.from(text).length : text.length;
}

/** User input echoed inside a message: printable, at most 40 characters, in double quotes. */
export function quoteInput(text: string): string {
  return `"${truncateEnd(printable(text), 40)}"`;
}

/** `1 message`, `2 messages`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
