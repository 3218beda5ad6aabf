import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { err, JidoError, type LlmConfig, ok, type Result } from '@jido-code/core-schema';
import { isProviderName, type ProviderName } from './model-spec.js';
import { hasProviderKey, keyVariables, type ProviderEnvironment } from './provider-environment.js';

/**
 * An AI SDK language model (a provider package's, or the SDK's `MockLanguageModelV3` in tests),
 * typed by the few fields this package reads so that its declarations need none of the SDK's.
 */
export interface LanguageModelHandle {
  readonly specificationVersion: string;
  readonly provider: string;
  readonly modelId: string;
}

/** A model ready to be asked, with what the session's config said about it. */
export interface ChosenModel {
  readonly provider: ProviderName;
  readonly modelId: string;
  /** The AI SDK model (a provider package's, or a test model). */
  readonly languageModel: LanguageModelHandle;
  readonly temperature?: number | undefined;
  readonly maxOutputTokens?: number | undefined;
  /** Set when requests go to an OpenAI-compatible server at `OPENAI_BASE_URL` (no list prices apply). */
  readonly customEndpoint: boolean;
  /** Tokens the model reads at most; `config.extra.context_window` overrides the built-in table. */
  readonly contextWindow?: number | undefined;
}

/** Options of {@link chooseModel}. */
export interface ChooseModelOptions {
  /** Replaces `fetch` in the provider package (tests pass none: they use a real local server). */
  readonly fetch?: typeof globalThis.fetch | undefined;
}

/** Anthropic's Messages API, used unless `ANTHROPIC_BASE_URL` names another server. */
const anthropicApiUrl = 'https://api.anthropic.com/v1';

/** Placeholder sent to a keyless local server: the provider package needs some key to send. */
const noKeyForLocalServer = 'no-key';

/**
 * The model a session's `config` names (`provider`, `model`, `temperature`, `max_tokens`), built
 * with the key from the environment. With `OPENAI_BASE_URL`, OpenAI requests go to that server's
 * Chat Completions API (`/chat/completions`), which local servers speak, not the Responses API.
 * With `ANTHROPIC_BASE_URL`, Anthropic requests go to that server's Messages API (`/messages`).
 * Fails with `provider_unknown` or `provider_key_missing`; the key never appears in an error.
 */
export function chooseModel(
  config: LlmConfig,
  environment: ProviderEnvironment,
  options: ChooseModelOptions = {},
): Result<ChosenModel> {
  const provider = config.provider;
  if (!isProviderName(provider)) {
    return err(
      new JidoError('provider_unknown', `Unknown provider "${provider}".`, {
        details: { provider: provider.slice(0, 80) },
      }),
    );
  }
  if (!hasProviderKey(provider, environment)) {
    return err(
      new JidoError('provider_key_missing', `No key for ${provider}: set ${keyVariables[provider]}.`, {
        details: { provider, variable: keyVariables[provider] },
      }),
    );
  }
  const fetchOption = options.fetch === undefined ? {} : { fetch: options.fetch };
  const common = {
    provider,
    modelId: config.model,
    temperature: config.temperature,
    maxOutputTokens: config.max_tokens,
    contextWindow: contextWindowOverride(config),
  };
  if (provider === 'anthropic') {
    // The base URL is always passed (the API's own when none is set): the provider package would
    // otherwise read ANTHROPIC_BASE_URL from process.env itself, past `providerEnvironment`.
    const anthropic = createAnthropic({
      apiKey: environment.ANTHROPIC_API_KEY as string,
      baseURL: environment.ANTHROPIC_BASE_URL ?? anthropicApiUrl,
      ...fetchOption,
    });
    return ok({ ...common, languageModel: anthropic(config.model), customEndpoint: false });
  }
  const baseURL = environment.OPENAI_BASE_URL;
  const openai = createOpenAI({
    apiKey: environment.OPENAI_API_KEY ?? noKeyForLocalServer,
    ...(baseURL === undefined ? {} : { baseURL }),
    ...fetchOption,
  });
  return ok({
    ...common,
    languageModel: baseURL === undefined ? openai(config.model) : openai.chat(config.model),
    customEndpoint: baseURL !== undefined,
  });
}

function contextWindowOverride(config: LlmConfig): number | undefined {
  const value = config.extra?.context_window;
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}
