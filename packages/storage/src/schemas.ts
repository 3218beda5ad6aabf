// What the listing index keeps of each session, as a zod schema. Importing this entry point loads
// zod; `@jido-code/storage` itself checks the index without it.
export { sessionMetadataSchema } from './sessions/session-metadata-schema.js';
