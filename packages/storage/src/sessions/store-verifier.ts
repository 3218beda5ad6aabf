import { JidoError, type Logger, type UnsignedPolicy } from '@jido-code/core-schema';
import type { Keyring } from '@jido-code/crypto';
import type { SessionBackend } from '../backend/session-backend.js';
import type { SessionVerifier } from './session-verification.js';

/** The store's {@link SessionVerifier}: its keyring, the backend's JidoCode key and ledger, its policy. */
export function storeVerifier(
  keyring: Keyring,
  backend: SessionBackend,
  policy: UnsignedPolicy,
  logger: Logger,
): SessionVerifier {
  return {
    verify: (payload, signature) => keyring.verify(payload, signature),
    reloadKeyring: () =>
      keyring.reload().catch((error: unknown) => {
        logger.debug('Could not reload the keyring.', { error: String(error) });
      }),
    jidoCodeKey: () =>
      backend.jidoCodeKey?.() ??
      Promise.reject(new JidoError('unknown_key', 'This storage backend has no JidoCode key.')),
    ledger: backend.signedIds(),
    policy,
  };
}
