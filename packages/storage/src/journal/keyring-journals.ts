import { JidoError } from '@jido-code/core-schema';
import type { Keyring } from '@jido-code/crypto';
import type { SessionBackend } from '../backend/session-backend.js';
import type { JournalStore } from './journal-store.js';

/** The backend's journals, their lines signed and checked with `keyring`; `internal` if it keeps none. */
export function keyringJournals(backend: SessionBackend, keyring: Keyring): Promise<JournalStore> {
  if (backend.journals === undefined) {
    throw new JidoError('internal', `The ${backend.kind} storage backend keeps no journals.`);
  }
  return backend.journals({
    sign: (payload) => keyring.sign(payload),
    verify: (payload, signature) => keyring.verify(payload, signature).status === 'valid',
  });
}
