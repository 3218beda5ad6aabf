/** Order statistics of one series of timings, in milliseconds. */
export interface Summary {
  /** Number of samples. */
  readonly count: number;
  /** The median (= p50). */
  readonly medianMs: number;
  /** The 99th percentile (close to the maximum for small sample counts). */
  readonly p99Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

/** The value at `fraction` (0..1) of an ascending series, interpolating between neighbours. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * fraction;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[above] ?? low;
  return low + (high - low) * (position - below);
}

/** Median, p99, min, max and mean of a series of timings. */
export function summarize(samplesMs: readonly number[]): Summary {
  const sorted = [...samplesMs].sort((left, right) => left - right);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    medianMs: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    minMs: sorted[0] ?? Number.NaN,
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    meanMs: sorted.length === 0 ? Number.NaN : total / sorted.length,
  };
}

/** A summary with every timing multiplied by `factor` (per-operation figures from batched samples). */
export function scaleSummary(summary: Summary, factor: number): Summary {
  return {
    count: summary.count,
    medianMs: summary.medianMs * factor,
    p99Ms: summary.p99Ms * factor,
    minMs: summary.minMs * factor,
    maxMs: summary.maxMs * factor,
    meanMs: summary.meanMs * factor,
  };
}
