import { JidoError } from './errors.js';
import { err, ok, type Result } from './result.js';
import { currentSessionVersion } from './session-version.js';

/** Turns a document of version `from` into one of version `from + 1`. Must not mutate its input. */
export type Migration = (document: Record<string, unknown>) => Record<string, unknown>;

/**
 * Version 0: the earliest files, with no `version` and no `closed_at`. They were written when a
 * session closed, so `updated_at` is the best known close time.
 */
const fromV0: Migration = (document) => ({
  ...document,
  version: 1,
  closed_at: typeof document.updated_at === 'string' ? document.updated_at : null,
});

/** Every migration, keyed by the version it upgrades from. */
export const sessionMigrations: ReadonlyMap<number, Migration> = new Map([[0, fromV0]]);

/**
 * Reads the schema version of a parsed document: a missing `version` means 0; anything but a
 * non-negative integer is refused.
 */
export function detectVersion(document: unknown): Result<number> {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return err(
      new JidoError('invalid_schema', 'The session document must be a JSON object.', {
        details: { path: '' },
      }),
    );
  }
  if (!Object.hasOwn(document, 'version')) return ok(0);
  const version = (document as { version: unknown }).version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    return err(
      new JidoError('invalid_schema', 'The session document has an invalid version.', {
        details: { path: 'version', version },
      }),
    );
  }
  return ok(version);
}

/**
 * Brings a document from `fromVersion` up to the current version, one registered step at a time.
 * A version newer than this code knows is refused with `unsupported_version`.
 */
export function migrate(
  document: Record<string, unknown>,
  fromVersion: number,
  migrations: ReadonlyMap<number, Migration> = sessionMigrations,
  targetVersion: number = currentSessionVersion,
): Result<Record<string, unknown>> {
  if (fromVersion > targetVersion) {
    return err(
      new JidoError(
        'unsupported_version',
        `This session was saved by a newer version of jido (format ${fromVersion}); upgrade to open it.`,
        { details: { found: fromVersion, supported: targetVersion } },
      ),
    );
  }
  let current = document;
  for (let version = fromVersion; version < targetVersion; version++) {
    const step = migrations.get(version);
    if (!step) {
      return err(
        new JidoError('migration_failed', `No upgrade path exists for session format ${version}.`, {
          details: { from: version },
        }),
      );
    }
    try {
      current = step(current);
    } catch (cause) {
      return err(
        new JidoError('migration_failed', 'The session could not be upgraded.', {
          cause,
          details: { from: version },
        }),
      );
    }
  }
  return ok(current);
}
