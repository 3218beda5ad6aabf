export { type KeyInfo, Keyring, type KeyringOptions } from './keyring.js';
export {
  type KeyringDocument,
  type KeyringKey,
  keyringDocumentSchema,
  keyringDocumentVersion,
  keyringKeySchema,
  maxKeyringKeys,
  parseKeyringDocument,
  serializeKeyringDocument,
} from './keyring-document.js';
export { type MemoryKeyringPersistence, memoryKeyringPersistence } from './memory-persistence.js';
export type { KeyringPersistence } from './persistence.js';
export { type SignedPayload, signatureVersion } from './signature.js';
export { type VerifyResult, verificationError } from './verify-result.js';
