import type { ListingProblem } from '@jido-code/session';
import { plural } from './display-text.js';
import { shortId } from './format-list.js';
import { sanitizeError } from './sanitize-error.js';

/**
 * The "Problems" section of a listing: every file in the sessions folder that failed to load, by
 * id prefix (or file name when it carries no id) and what is wrong, so a listing never hides a
 * file. Each can be shown, exported or deleted by its id prefix. `undefined` when there is none.
 */
export function formatProblems(problems: readonly ListingProblem[]): string | undefined {
  if (problems.length === 0) return undefined;
  const heading = `Problems: ${plural(problems.length, 'session file')} could not be loaded ('jido sessions verify' checks every file):`;
  const lines = problems.map((problem) => {
    const label = problem.id === undefined ? problem.file : shortId(problem.id);
    return `  ${label}  ${sanitizeError(problem.error).message}`;
  });
  return [heading, ...lines].join('\n');
}
