import { err, JidoError, ok, type Result } from '@jido-code/core-schema';

/**
 * The time each record carries, as ISO 8601 text. Appends within one millisecond (a batch's,
 * typically) share the formatted time: `toISOString` once per clock tick, not once per record.
 * Without a clock of its own it reads `Date.now()`, so an append makes no `Date` either.
 */
export class JournalClock {
  readonly #now: (() => Date) | undefined;
  #lastTime = Number.NaN;
  #lastAt = '';

  constructor(now: (() => Date) | undefined) {
    this.#now = now;
  }

  /** The current time, or `invalid_value` when the clock gives an invalid one. */
  timestamp(): Result<string> {
    try {
      const now = this.#now?.();
      const time = now === undefined ? Date.now() : now.getTime();
      if (time !== this.#lastTime) {
        this.#lastAt = (now ?? new Date(time)).toISOString();
        this.#lastTime = time;
      }
      return ok(this.#lastAt);
    } catch (cause) {
      return err(new JidoError('invalid_value', 'The clock gave an invalid time.', { cause }));
    }
  }
}
