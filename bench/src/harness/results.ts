import type { Summary } from './stats.js';

/** `ok` within target, `over target` beyond it, `reported` where the issue sets no target. */
export type Status = 'ok' | 'over target' | 'reported';

/** One line of the results table: a subject against its floor, measured interleaved. */
export interface FigureRow {
  readonly operation: string;
  readonly size: string;
  /** What the floor is, in plain Node. */
  readonly floorName: string;
  readonly subject: Summary;
  readonly floor: Summary;
  /** subject median / floor median. */
  readonly ratio: number;
  readonly target: string;
  readonly status: Status;
  /** Facts that back the figure (bytes, index stats, fsync counts, file opens, ops/s). */
  readonly facts?: Readonly<Record<string, number | string | boolean>>;
  /**
   * What to print instead of the p50s and their ratio, for a figure whose target is absolute (peak
   * memory, worst lock wait); the summaries then hold what was measured, in the unit named here.
   */
  readonly shown?: { readonly subject: string; readonly floor: string; readonly ratio: string };
}

/** How an operation grows from its smallest to its largest size. */
export interface SlopeRow {
  readonly operation: string;
  /** What grows: bytes, sessions, messages per session, journal records. */
  readonly variable: string;
  readonly from: number;
  readonly to: number;
  readonly subjectFromMs: number;
  readonly subjectToMs: number;
  readonly floorFromMs: number;
  readonly floorToMs: number;
  /** log(time ratio) / log(size ratio): 1 is linear, 0 is flat. */
  readonly subjectExponent: number;
  readonly floorExponent: number;
  /**
   * subject exponent − floor exponent: the growth of the ratio itself. A machine that slows down
   * between the smallest and the largest size moves both exponents; this one it leaves alone.
   */
  readonly excessExponent: number;
  /** (time at largest − time at smallest) / (largest − smallest), in readable units. */
  readonly subjectPerUnit: string;
  readonly expected: 'linear' | 'flat';
  readonly status: Status;
}

/** Exponent above which growth counts as worse than expected. */
export const allowedExponent = { linear: 1.1, flat: 0.05 } as const;

/** Growth of the subject beyond its floor's that is still within expectation. */
export const allowedExcess = { linear: 0.1, flat: 0.05 } as const;

/** log-log slope of time against size between two points. */
function growthExponent(fromSize: number, toSize: number, fromMs: number, toMs: number): number {
  return Math.log(toMs / fromMs) / Math.log(toSize / fromSize);
}

/** Builds a slope row, judging it against the expected growth. */
export function slopeRow(input: {
  readonly operation: string;
  readonly variable: string;
  readonly unit: string;
  /** Divides the size before computing the per-unit cost (1024 for bytes shown per KiB). */
  readonly unitScale?: number;
  readonly from: number;
  readonly to: number;
  readonly subjectFromMs: number;
  readonly subjectToMs: number;
  readonly floorFromMs: number;
  readonly floorToMs: number;
  readonly expected: 'linear' | 'flat';
}): SlopeRow {
  const subjectExponent = growthExponent(input.from, input.to, input.subjectFromMs, input.subjectToMs);
  const floorExponent = growthExponent(input.from, input.to, input.floorFromMs, input.floorToMs);
  const units = (input.to - input.from) / (input.unitScale ?? 1);
  const perUnitMs = (input.subjectToMs - input.subjectFromMs) / units;
  const excessExponent = subjectExponent - floorExponent;
  // Within expectation if the subject grows as expected, or no faster than the plain-Node floor on
  // the same bytes in the same run (then the growth is the machine's or the file system's).
  const within =
    subjectExponent <= allowedExponent[input.expected] || excessExponent <= allowedExcess[input.expected];
  return {
    operation: input.operation,
    variable: input.variable,
    from: input.from,
    to: input.to,
    subjectFromMs: input.subjectFromMs,
    subjectToMs: input.subjectToMs,
    floorFromMs: input.floorFromMs,
    floorToMs: input.floorToMs,
    subjectExponent,
    floorExponent,
    excessExponent,
    subjectPerUnit: `${formatPerUnit(perUnitMs)}/${input.unit}`,
    expected: input.expected,
    status: within ? 'ok' : 'over target',
  };
}

function formatPerUnit(ms: number): string {
  const magnitude = Math.abs(ms);
  if (magnitude >= 1) return `${ms.toFixed(2)} ms`;
  if (magnitude >= 0.001) return `${(ms * 1000).toFixed(2)} µs`;
  return `${(ms * 1e6).toFixed(1)} ns`;
}

/** The status of a ratio against a "≤ N × floor" target. */
export function statusAtMost(ratio: number, limit: number): Status {
  return ratio <= limit ? 'ok' : 'over target';
}
