export { type AskInput, askModel, defaultReplyTokens } from './ask-model.js';
export {
  type ContextInput,
  type ConversationTurn,
  type CutContext,
  cutContext,
  estimateTokens,
  systemWithTodos,
} from './context-cut.js';
export { contextWindowFor, contextWindows, defaultContextWindow } from './context-window.js';
export { defaultModel, effectiveConfig } from './default-model.js';
export {
  exampleModels,
  isProviderName,
  type ModelSpec,
  type ProviderName,
  parseModelSpec,
  supportedProviders,
} from './model-spec.js';
export { costOf, type ModelPrice, priceFor, priceTable } from './prices.js';
export {
  hasProviderKey,
  keyVariables,
  type ProviderEnvironment,
  providerEnvironment,
} from './provider-environment.js';
export { providerError, retryAfter } from './provider-errors.js';
export {
  type ChooseModelOptions,
  type ChosenModel,
  chooseModel,
  type LanguageModelHandle,
} from './resolve-model.js';
export { type ReplyOutcome, type ReplyRequest, type ReplyStatus, streamReply } from './stream-reply.js';
export { systemPrompt } from './system-prompt.js';
export { addUsage, type ReportedUsage, replyUsage } from './usage.js';
