// The rules and the persisted state as zod schemas. Importing this entry point loads zod;
// `@jido-code/rate-limit` itself checks both without it.
export { operationRuleSchema, rateLimitRulesSchema, windowRuleSchema } from './rules-schema.js';
export { rateLimitStateSchema } from './state-schema.js';
