import type { ProviderName } from './model-spec.js';

/**
 * What the agent reads from the environment: the keys, the two base URLs and `JIDO_MODEL`.
 * Only these variables are read, and the keys' values are never written anywhere (no file, log or
 * error message): they go to the provider package and from there into request headers.
 */
export interface ProviderEnvironment {
  readonly ANTHROPIC_API_KEY?: string | undefined;
  readonly OPENAI_API_KEY?: string | undefined;
  readonly OPENAI_BASE_URL?: string | undefined;
  /** Where Anthropic's Messages API is (a proxy or gateway); the key is still required. */
  readonly ANTHROPIC_BASE_URL?: string | undefined;
  /** The model of sessions that name none, `<provider>/<model>` (not a secret). */
  readonly JIDO_MODEL?: string | undefined;
}

/** The variable that holds each provider's key. */
export const keyVariables: Readonly<Record<ProviderName, keyof ProviderEnvironment>> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
};

/** The agent's variables from `env` (usually `process.env`), blank values dropped. */
export function providerEnvironment(env: Readonly<Record<string, string | undefined>>): ProviderEnvironment {
  const pick = (name: keyof ProviderEnvironment) => {
    const value = env[name]?.trim();
    return value ? { [name]: value } : {};
  };
  return {
    ...pick('ANTHROPIC_API_KEY'),
    ...pick('OPENAI_API_KEY'),
    ...pick('OPENAI_BASE_URL'),
    ...pick('ANTHROPIC_BASE_URL'),
    ...pick('JIDO_MODEL'),
  };
}

/** True when a request to `provider` can be made: its key is set (a base URL alone is enough for openai). */
export function hasProviderKey(provider: ProviderName, environment: ProviderEnvironment): boolean {
  if (provider === 'openai' && environment.OPENAI_BASE_URL !== undefined) return true;
  return environment[keyVariables[provider]] !== undefined;
}
