// The light half of the agent: which provider and model, keys, prices and the context rule, with
// no AI SDK import, so the slash commands (loaded by every jido command) stay quick to start.
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
