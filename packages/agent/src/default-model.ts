import type { LlmConfig } from '@jido-code/core-schema';
import { exampleModels, isProviderName, type ModelSpec, parseModelSpec } from './model-spec.js';
import { hasProviderKey, type ProviderEnvironment } from './provider-environment.js';

/**
 * The model a session without one (provider `offline`, the default of new sessions) uses when a
 * key is set: `JIDO_MODEL` (`<provider>/<model>`) when given and its key is set, else Anthropic's
 * example model with `ANTHROPIC_API_KEY`, else OpenAI's with `OPENAI_API_KEY` or `OPENAI_BASE_URL`.
 * Undefined when no key is set: the offline agent answers.
 */
export function defaultModel(environment: ProviderEnvironment): ModelSpec | undefined {
  const preferred = environment.JIDO_MODEL;
  if (preferred !== undefined && preferred.trim() !== '') {
    const parsed = parseModelSpec(preferred);
    if (parsed.ok && hasProviderKey(parsed.value.provider, environment)) return parsed.value;
  }
  if (hasProviderKey('anthropic', environment))
    return { provider: 'anthropic', model: exampleModels.anthropic };
  if (hasProviderKey('openai', environment)) return { provider: 'openai', model: exampleModels.openai };
  return undefined;
}

/**
 * The config a reply is made with: the session's own when it names a provider, or, for an
 * `offline` session, {@link defaultModel} with the session's temperature and reply length. The
 * session's saved config is not changed (only `/model` changes it).
 */
export function effectiveConfig(config: LlmConfig, environment: ProviderEnvironment): LlmConfig | undefined {
  if (isProviderName(config.provider)) return config;
  const fallback = defaultModel(environment);
  return fallback === undefined
    ? undefined
    : { ...config, provider: fallback.provider, model: fallback.model };
}
