// The zod-free entry point; the keyring document's zod schema is in `@jido-code/crypto/schemas`.
export { type KeyInfo, Keyring, type KeyringOptions } from './keyring.js';
export {
  checkKeyringDocument,
  type KeyringDocument,
  type KeyringKey,
  keyringDocumentVersion,
  maxKeyringKeys,
  serializeKeyringDocument,
} from './keyring-document.js';
export { type MemoryKeyringPersistence, memoryKeyringPersistence } from './memory-persistence.js';
export type { KeyringPersistence } from './persistence.js';
export { type SignedPayload, signatureVersion } from './signature.js';
export { type VerifyResult, verificationError } from './verify-result.js';
