import { err, JidoError, ok, type Result } from '@jido-code/core-schema';

/**
 * The time each record carries, as ISO 8601 text. Appends within one millisecond (a batch's,
 * typically) share the formatted time: `toISOString` once per clock tick, not once per record.
 */
export class JournalClock {
  readonly #now: () => Date;
  #lastTime = Number.NaN;
  #lastAt = '';

  constructor(now: () => Date) {
    this.#now = now;
  }

  /** The current time, or `invalid_value` when the clock gives an invalid one. */
  timestamp(): Result<string> {
    try {
      const now = this.#now();
      const time = now.getTime();
      if (time !== this.#lastTime) {
        this.#lastAt = now.toISOString();
        this.#lastTime = time;
      }
      return ok(this.#lastAt);
    } catch (cause) {
      return err(new JidoError('invalid_value', 'The clock gave an invalid time.', { cause }));
    }
  }
}
