export { type AskInput, askModel, defaultReplyTokens } from './ask-model.js';
// The light half (no AI SDK import), also on its own entry `@jido-code/agent/models`.
export * from './models.js';
export { providerError, retryAfter } from './provider-errors.js';
export {
  type ChooseModelOptions,
  type ChosenModel,
  chooseModel,
  type LanguageModelHandle,
} from './resolve-model.js';
export { type ReplyOutcome, type ReplyRequest, type ReplyStatus, streamReply } from './stream-reply.js';
export { systemPrompt } from './system-prompt.js';
export { type ReportedUsage, replyUsage } from './usage.js';
