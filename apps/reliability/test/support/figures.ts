import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { longForm } from './stress.js';

/**
 * Where measured figures go, one JSON object a line: `JIDO_FIGURES_FILE`, else
 * `<tmpdir>/jido-reliability-figures.jsonl`. docs/crashes.md is filled from these.
 */
const figuresFile = process.env.JIDO_FIGURES_FILE ?? join(tmpdir(), 'jido-reliability-figures.jsonl');

/**
 * Records a figure (counts, latencies) of a run: printed as `FIGURE {json}` and appended to
 * {@link figuresFile}. An object's fields are spread into the line; any other value is `value`.
 */
export function reportFigure(test: string, figures: unknown): void {
  const fields =
    typeof figures === 'object' && figures !== null && !Array.isArray(figures) ? figures : { value: figures };
  const line = JSON.stringify({
    test,
    form: longForm ? 'long' : 'default',
    at: new Date().toISOString(),
    ...fields,
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
