import { detectVersion, migrate } from './migrations.js';
import { ok, type Result } from './result.js';
import type { Session } from './session.js';
import { acceptSession, sessionKeys } from './session-fast-path.js';

// Loading a session needs zod only for a document the fast path does not accept (a damaged or
// hand-edited file): zod is then imported, and a command that never meets one never loads it.

/** A session parsed from an older format, and the version it came from. */
export interface ParsedSession {
  /** The session at the current schema version. */
  readonly session: Session;
  /** The version the document was written in (lower than current when it was migrated). */
  readonly fromVersion: number;
  /** Top-level keys the schema does not know; they were dropped (report at debug level). */
  readonly unknownKeys: readonly string[];
}

/** A document at the current version, before its fields are checked. */
export interface MigratedDocument {
  readonly document: Record<string, unknown>;
  readonly fromVersion: number;
  readonly unknownKeys: readonly string[];
}

const knownKeys = new Set<string>(sessionKeys);

/** JidoCode writes an unsigned file with `"signature": null`; that is the same as no signature. */
function withoutNullSignature(document: Record<string, unknown>): Record<string, unknown> {
  if (document.signature !== null) return document;
  const { signature: _null, ...rest } = document;
  return rest;
}

/** Detects the document's version and migrates it to the current one; refuses a newer one. */
export function migrateDocument(document: unknown): Result<MigratedDocument> {
  const version = detectVersion(document);
  if (!version.ok) return version;
  const migrated = migrate(withoutNullSignature(document as Record<string, unknown>), version.value);
  if (!migrated.ok) return migrated;
  const unknownKeys = Object.keys(migrated.value).filter((key) => !knownKeys.has(key));
  return ok({ document: migrated.value, fromVersion: version.value, unknownKeys });
}

/**
 * Validates an already-parsed document as a session, exactly as `parseSessionDocument` does, with
 * zod imported only when the fast path cannot accept the document. Never throws.
 */
export async function checkSessionDocument(document: unknown): Promise<Result<ParsedSession>> {
  const migrated = migrateDocument(document);
  if (!migrated.ok) return migrated;
  const session = acceptSession(migrated.value.document);
  if (session !== undefined) {
    return ok({ session, fromVersion: migrated.value.fromVersion, unknownKeys: migrated.value.unknownKeys });
  }
  const { parseSessionDocument } = await import('./parse-session.js');
  return parseSessionDocument(document);
}

/**
 * Validates a session at the current version (one about to be saved), as `sessionSchema` does,
 * with zod imported only when the fast path cannot accept it. Never throws.
 */
export async function checkSession(input: Readonly<Record<string, unknown>>): Promise<Result<Session>> {
  const session = acceptSession(input);
  if (session !== undefined) return ok(session);
  const { validateSession } = await import('./parse-session.js');
  return validateSession(input);
}
