import type { z } from 'zod';
import { JidoError } from './errors.js';
import { detectVersion, migrate } from './migrations.js';
import { parseJson } from './parse-json.js';
import { err, ok, type Result } from './result.js';
import { type Session, sessionSchema } from './session.js';
import { acceptSession } from './session-fast-path.js';

/** A session parsed from an older format, and the version it came from. */
export interface ParsedSession {
  /** The session at the current schema version. */
  readonly session: Session;
  /** The version the document was written in (lower than current when it was migrated). */
  readonly fromVersion: number;
  /** Top-level keys the schema does not know; they were dropped (report at debug level). */
  readonly unknownKeys: readonly string[];
}

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

const knownKeys = new Set(Object.keys(sessionSchema.shape));

/** JidoCode writes an unsigned file with `"signature": null`; that is the same as no signature. */
function withoutNullSignature(document: Record<string, unknown>): Record<string, unknown> {
  if (document.signature !== null) return document;
  const { signature: _null, ...rest } = document;
  return rest;
}

/**
 * Validates an already-parsed document as a session: detects its version, migrates older
 * versions, refuses newer ones and checks every field (see {@link acceptSession} for how, most of the
 * time, without zod). Never throws.
 */
export function parseSessionDocument(document: unknown): Result<ParsedSession> {
  const version = detectVersion(document);
  if (!version.ok) return version;
  const migrated = migrate(withoutNullSignature(document as Record<string, unknown>), version.value);
  if (!migrated.ok) return migrated;
  const unknownKeys = Object.keys(migrated.value).filter((key) => !knownKeys.has(key));
  const accepted = acceptSession(migrated.value);
  if (accepted !== undefined) return ok({ session: accepted, fromVersion: version.value, unknownKeys });
  const parsed = sessionSchema.safeParse(migrated.value);
  if (!parsed.success) return err(schemaError(parsed.error));
  return ok({ session: parsed.data, fromVersion: version.value, unknownKeys });
}

/** {@link parseSessionDocument} returning the session alone. */
export function parseSession(document: unknown): Result<Session> {
  const parsed = parseSessionDocument(document);
  return parsed.ok ? ok(parsed.value.session) : parsed;
}

/** Parses session JSON text: depth pre-scan, `JSON.parse`, then {@link parseSessionDocument}. */
export function parseSessionJson(text: string): Result<ParsedSession> {
  const json = parseJson(text);
  if (!json.ok) return json;
  return parseSessionDocument(json.value);
}

/** Throws the error of a failed {@link Result}; for callers that prefer exceptions. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}
