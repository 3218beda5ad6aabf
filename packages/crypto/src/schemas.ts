// The keyring document's zod schema, and the validators that use it directly. Importing this entry
// point loads zod; `@jido-code/crypto` itself checks the document without it.
export {
  keyringDocumentSchema,
  keyringKeySchema,
  parseKeyringDocument,
  validateKeyringDocument,
} from './keyring-document-schema.js';
