import { type Summary, summarize } from './stats.js';
import { timeMs } from './timer.js';

/** How many samples to take of a floor/subject pair. */
export interface SamplingPlan {
  /** Untimed runs of each before sampling (JIT, caches, file-system warm-up). */
  readonly warmup: number;
  /** At least this many timed pairs, whatever the budget. */
  readonly minSamples: number;
  /** At most this many timed pairs. */
  readonly maxSamples: number;
  /** Stop adding pairs once this much wall time was spent (after `minSamples`). */
  readonly budgetMs: number;
}

/** The timings of one interleaved comparison. */
export interface Comparison {
  readonly floor: Summary;
  readonly subject: Summary;
  /** `subject.medianMs / floor.medianMs`. */
  readonly ratio: number;
}

/**
 * Times `floor` and `subject` alternately (floor-subject, then subject-floor, …) so that drift in
 * the machine's load, page cache or CPU clock hits both series alike, and compares their medians.
 */
export function compareInterleaved(
  floor: () => Promise<unknown>,
  subject: () => Promise<unknown>,
  plan: SamplingPlan,
): Promise<Comparison> {
  return compareSelfTimed(
    () => timeMs(floor),
    () => timeMs(subject),
    plan,
  );
}

/**
 * {@link compareInterleaved} for samples that time themselves: each function does its own untimed
 * preparation and returns the milliseconds of its timed part.
 */
export async function compareSelfTimed(
  floor: () => Promise<number>,
  subject: () => Promise<number>,
  plan: SamplingPlan,
): Promise<Comparison> {
  for (let round = 0; round < plan.warmup; round++) {
    await floor();
    await subject();
  }
  const floorSamples: number[] = [];
  const subjectSamples: number[] = [];
  const started = performance.now();
  for (let pair = 0; pair < plan.maxSamples; pair++) {
    if (pair >= plan.minSamples && performance.now() - started >= plan.budgetMs) break;
    if (pair % 2 === 0) {
      floorSamples.push(await floor());
      subjectSamples.push(await subject());
    } else {
      subjectSamples.push(await subject());
      floorSamples.push(await floor());
    }
  }
  const floorSummary = summarize(floorSamples);
  const subjectSummary = summarize(subjectSamples);
  return {
    floor: floorSummary,
    subject: subjectSummary,
    ratio: subjectSummary.medianMs / floorSummary.medianMs,
  };
}

/** Scales every budget of a plan (the `--quick` run uses a fraction of the full budgets). */
export function scaledPlan(plan: SamplingPlan, factor: number): SamplingPlan {
  if (factor >= 1) return plan;
  return {
    warmup: Math.max(1, Math.round(plan.warmup * factor)),
    minSamples: Math.max(3, Math.round(plan.minSamples * factor)),
    maxSamples: Math.max(3, Math.round(plan.maxSamples * factor)),
    budgetMs: plan.budgetMs * factor,
  };
}
