import { err, JidoError, type Logger, type Result } from '@jido-code/core-schema';
import type { StoredSession } from '../backend/session-backend.js';
import { decodeSession, type LoadedSession } from './session-codec.js';
import { type SessionVerifier, verifySessionFile } from './session-verification.js';

/**
 * Decodes stored bytes (strict UTF-8, version migration, schema) and checks the signature with the
 * keyring or JidoCode's key (see {@link verifySessionFile}). Errors carry the location in `details`.
 */
export async function verifyStored(
  stored: StoredSession,
  id: string,
  verifier: SessionVerifier,
  logger: Logger,
): Promise<Result<LoadedSession>> {
  const decoded = await decodeSession(stored.bytes, id, verifier.verify);
  if (!decoded.ok) return err(withDetails(decoded.error, { path: stored.location }));
  const loaded = await verifySessionFile(decoded.value, stored.bytes, verifier);
  if (!loaded.ok) return err(withDetails(loaded.error, { path: stored.location }));
  if (loaded.value.warnings.includes('unsigned')) {
    logger.warn('Loaded an unsigned session file (accepted by policy).', { id });
  }
  if (decoded.value.unknownKeys.length > 0) {
    logger.debug('The session file has unknown keys; they were ignored.', {
      id,
      keys: decoded.value.unknownKeys.slice(0, 20),
    });
  }
  return loaded;
}

function withDetails(error: JidoError, details: Readonly<Record<string, unknown>>): JidoError {
  return new JidoError(error.code, error.message, {
    cause: error.cause,
    details: { ...error.details, ...details },
  });
}
