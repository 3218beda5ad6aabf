/**
 * The two forms of the suite: the default one runs inside `pnpm test` in a few minutes;
 * `JIDO_STRESS=long` runs the full numbers of the issue.
 */
export const longForm = process.env.JIDO_STRESS === 'long';

/** `defaultValue` in the default form, `longValue` under `JIDO_STRESS=long`. */
export function scaled<T>(defaultValue: T, longValue: T): T {
  return longForm ? longValue : defaultValue;
}

/** A generous guard against a hung test (never a performance assertion). */
export const testTimeoutMs = longForm ? 6 * 60 * 60 * 1000 : 10 * 60 * 1000;
