import { parseJson } from './parse-json.js';
import { err, ok, type Result } from './result.js';
import { schemaError } from './schema-error.js';
import { type Session, sessionSchema } from './session.js';
import { type MigratedDocument, migrateDocument, type ParsedSession } from './session-document.js';
import { acceptSession } from './session-fast-path.js';

export type { ParsedSession };
export { schemaError };

/** Checks a session at the current version with the schema. Never throws. */
export function validateSession(input: unknown): Result<Session> {
  const parsed = sessionSchema.safeParse(input);
  return parsed.success ? ok(parsed.data) : err(schemaError(parsed.error));
}

function parsedFrom(migrated: MigratedDocument): Result<ParsedSession> {
  const { document, fromVersion, unknownKeys } = migrated;
  const session = acceptSession(document);
  if (session !== undefined) return ok({ session, fromVersion, unknownKeys });
  const validated = validateSession(document);
  return validated.ok ? ok({ session: validated.value, fromVersion, unknownKeys }) : validated;
}

/**
 * Validates an already-parsed document as a session: detects its version, migrates older
 * versions, refuses newer ones and checks every field (see {@link acceptSession} for how, most of the
 * time, without zod). Never throws.
 */
export function parseSessionDocument(document: unknown): Result<ParsedSession> {
  const migrated = migrateDocument(document);
  return migrated.ok ? parsedFrom(migrated.value) : migrated;
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
