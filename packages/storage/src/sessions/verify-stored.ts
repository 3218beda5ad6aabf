import { err, JidoError, type Logger, type Result, type UnsignedPolicy } from '@jido-code/core-schema';
import type { Keyring } from '@jido-code/crypto';
import type { StoredSession } from '../backend/session-backend.js';
import {
  applyVerification,
  decodeSession,
  type LoadedSession,
  type VerifyPayload,
  verifyDecoded,
} from './session-codec.js';

/**
 * Decodes stored bytes (strict UTF-8, version migration, schema) and checks the signature. An
 * `unknown_key` triggers one keyring reload, since another process may have rotated.
 */
export async function verifyStored(
  stored: StoredSession,
  id: string,
  keyring: Keyring,
  policy: UnsignedPolicy,
  logger: Logger,
): Promise<Result<LoadedSession>> {
  const details = { path: stored.location };
  const decoded = decodeSession(stored.bytes, id);
  if (!decoded.ok) return err(withDetails(decoded.error, details));
  const verify: VerifyPayload = (payload, signature) => keyring.verify(payload, signature);
  let verification = verifyDecoded(decoded.value, verify);
  if (verification.ok && verification.value.status === 'unknown_key') {
    try {
      await keyring.reload();
      verification = verifyDecoded(decoded.value, verify);
    } catch (error) {
      logger.debug('Could not reload the keyring.', { error: String(error) });
    }
  }
  if (!verification.ok) return err(withDetails(verification.error, details));
  const loaded = applyVerification(decoded.value, verification.value, policy);
  if (!loaded.ok) return err(withDetails(loaded.error, details));
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
