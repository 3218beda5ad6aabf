/** True when the long form runs (`JIDO_STRESS=long`): bigger case counts, same assertions. */
export const longForm = process.env.JIDO_STRESS === 'long';

/** `short` in the default form, `long` with `JIDO_STRESS=long`. */
export function byForm<T>(short: T, long: T): T {
  return longForm ? long : short;
}

/** The p-th percentile (0–100) of `values`, nearest rank; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Prints one figure line that the docs table is filled from (grep `FIGURE`). */
export function figure(name: string, value: unknown): void {
  console.log(`FIGURE ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}
