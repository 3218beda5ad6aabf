import type { Message } from '@jido-code/core-schema';

/** `Date.prototype.toISOString`'s form: milliseconds, `Z`. */
const isoForm = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A timestamp as a sortable key: the fraction padded to nanoseconds, so `.5Z` sorts after `.123Z`. */
function timeKey(timestamp: string): string {
  const match = /^(.*?T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(timestamp);
  if (match === null) return timestamp;
  return `${match[1]}.${(match[2] ?? '').padEnd(9, '0').slice(0, 9)}`;
}

/**
 * True when a conversation is in JidoCode's newest-first order: its timestamps never increase and
 * at least one decreases. All-equal times and mixed orders are not (they are kept as written).
 */
export function isNewestFirst(messages: readonly Message[]): boolean {
  let decreased = false;
  for (let index = 1; index < messages.length; index++) {
    let earlier = messages[index - 1]?.timestamp ?? '';
    let later = messages[index]?.timestamp ?? '';
    // Every load checks the first pair. Two timestamps in `toISOString`'s form have keys that are
    // their first 23 characters and the same padding, so they compare as the keys do without
    // building them.
    if (!isoForm.test(earlier) || !isoForm.test(later)) {
      earlier = timeKey(earlier);
      later = timeKey(later);
    }
    if (later > earlier) return false;
    if (later < earlier) decreased = true;
  }
  return decreased;
}

/** The conversation oldest-first, and whether it had to be reversed. */
export function oldestFirst(messages: readonly Message[]): { messages: Message[]; reordered: boolean } {
  if (!isNewestFirst(messages)) return { messages: [...messages], reordered: false };
  return { messages: [...messages].reverse(), reordered: true };
}
