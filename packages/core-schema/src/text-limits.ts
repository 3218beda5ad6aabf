import { JidoError } from './errors.js';
import { limits } from './limits.js';

/** The user-typed texts with a length limit, and the limit of each (the schema's own). */
const maxLengths = { todo: limits.maxTodoLength, name: limits.maxNameLength } as const;

/** A field whose length is checked before it reaches the journal. */
export type LimitedField = keyof typeof maxLengths;

/**
 * A `JidoError('invalid_value')` naming the field, its limit and the length given, when `text` is
 * longer than the schema allows; undefined when it fits. Lengths are counted as the schema counts
 * them (UTF-16 code units), so a text accepted here is accepted by the file format.
 */
export function textTooLong(field: LimitedField, text: string): JidoError | undefined {
  const max = maxLengths[field];
  if (text.length <= max) return undefined;
  return new JidoError('invalid_value', `The ${field} is longer than ${max} characters.`, {
    details: { field, max, length: text.length },
  });
}
