import type { z } from 'zod';
import { JidoError } from './errors.js';

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Turns a zod failure into an `invalid_schema` error naming the first bad field. */
export function schemaError(error: z.ZodError, subject = 'session'): JidoError {
  const first = error.issues[0];
  const where = first ? first.path.map(String).join('.') : '';
  return new JidoError(
    'invalid_schema',
    where ? `The ${subject} has an invalid field "${where}".` : `The ${subject} is not valid.`,
    { details: { issues: error.issues.slice(0, 10).map(describeIssue), path: where } },
  );
}
