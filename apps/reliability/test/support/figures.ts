import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { longForm } from './stress.js';

/**
 * Where measured figures go, one JSON object a line: `JIDO_FIGURES_FILE`, else
 * `<tmpdir>/jido-reliability-figures.jsonl`. docs/crashes.md is filled from these.
 */
export const figuresFile = process.env.JIDO_FIGURES_FILE ?? join(tmpdir(), 'jido-reliability-figures.jsonl');

/** Records a figure (counts, latencies) of a run: printed and appended to {@link figuresFile}. */
export function reportFigure(test: string, figures: Record<string, unknown>): void {
  const line = JSON.stringify({
    test,
    form: longForm ? 'long' : 'default',
    at: new Date().toISOString(),
    ...figures,
  });
  console.info(`FIGURE ${line}`);
  try {
    appendFileSync(figuresFile, `${line}\n`);
  } catch {
    // figures are a report, never a reason to fail
  }
}

/** The p-th percentile (0–100) of `values`, nearest rank; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
