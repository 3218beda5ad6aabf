export { decideCheck, decideConsume, recordAttempt, resetAttempts } from './decide.js';
export type { Decision, RateLimitScope } from './decision.js';
export { type DocumentRateLimitStoreOptions, documentRateLimitStore } from './document-store.js';
export { rateLimitedError } from './errors.js';
export type { LockedDocument, LockedDocumentChange } from './locked-document.js';
export { type MemoryLockedDocument, memoryLockedDocument } from './memory-locked-document.js';
export { memoryRateLimitStore } from './memory-store.js';
export { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
export {
  defaultRateLimitRules,
  maxRuleLimit,
  maxRuleWindowMs,
  type OperationRule,
  operationNamePattern,
  type RateLimitConfig,
  type RateLimitRules,
  rateLimitRulesFromConfig,
  validateRateLimitRules,
  type WindowRule,
} from './rules.js';
export { appendHit, evaluateWindow, liveHits, type WindowEvaluation } from './sliding-window.js';
export {
  decodeRateLimitState,
  emptyRateLimitState,
  encodeRateLimitState,
  type KeyLog,
  maxRateLimitKeyLength,
  type OperationState,
  operationStateOf,
  type RateLimitState,
  rateLimitStateVersion,
  withOperationState,
} from './state.js';
export type { RateLimitStore, RateLimitTransaction } from './store.js';
