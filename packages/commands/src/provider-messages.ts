import type { JidoError } from '@jido-code/core-schema';

/** The providers a message may name (anything else is called "the model provider"). */
const providerNames: Readonly<Record<string, string>> = { anthropic: 'Anthropic', openai: 'OpenAI' };
const keyVariables: Readonly<Record<string, string>> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
};

const baseUrlVariables: Readonly<Record<string, string>> = {
  anthropic: 'ANTHROPIC_BASE_URL',
  openai: 'OPENAI_BASE_URL',
};

function provider(error: JidoError): string {
  const name = error.details.provider;
  return (typeof name === 'string' && providerNames[name]) || 'The model provider';
}

function keyVariable(error: JidoError): string {
  const name = error.details.provider;
  return (typeof name === 'string' && keyVariables[name]) || 'the provider key variable';
}

function baseUrlVariable(error: JidoError): string {
  const name = error.details.provider;
  return (typeof name === 'string' && baseUrlVariables[name]) || 'the base URL';
}

function status(error: JidoError): string {
  const value = error.details.status;
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599
    ? ` (HTTP ${value})`
    : '';
}

/** A model name as typed, when it is a short plain word (no path, no control character). */
function modelName(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9._:@-]{1,80}$/.test(value) ? value : undefined;
}

/**
 * One line per provider failure (docs/architecture.md, errors), built only from `details` it can
 * check: the provider from a closed list, an HTTP status, whole seconds. Never a key, URL or body.
 */
export const providerMessages = {
  provider_key_missing: (error: JidoError) =>
    `No key for ${provider(error)}: set ${keyVariable(error)} in the environment. The offline agent answers until then.`,
  provider_unknown: (error: JidoError) => {
    const name = modelName(error.details.provider);
    return `${name === undefined ? 'That provider' : `The provider "${name}"`} is not supported. Use /model anthropic/<model> or /model openai/<model>.`;
  },
  provider_auth_failed: (error: JidoError) =>
    `${provider(error)} refused the API key${status(error)}. Check ${keyVariable(error)}.`,
  provider_rate_limited: (error: JidoError) => {
    const value = error.details.retryAfterSeconds;
    const seconds =
      typeof value === 'number' && Number.isFinite(value) && value >= 0
        ? Math.max(1, Math.ceil(value))
        : undefined;
    return seconds === undefined
      ? `${provider(error)} is limiting requests${status(error)}. Wait a little, then /retry.`
      : `${provider(error)} is limiting requests${status(error)}. Wait ${seconds} ${seconds === 1 ? 'second' : 'seconds'}, then /retry.`;
  },
  provider_unavailable: (error: JidoError) =>
    `${provider(error)} had a server error${status(error)}. Try /retry in a moment.`,
  provider_unreachable: (error: JidoError) =>
    `${provider(error)} could not be reached. Check the network (or ${baseUrlVariable(error)}), then /retry.`,
  provider_failed: (error: JidoError) =>
    `${provider(error)} refused the request${status(error)}. Your message is saved; /retry resends it.`,
  context_too_long: (error: JidoError) => {
    const model = modelName(error.details.model);
    return `The conversation is too long for ${model ?? 'the model'}'s context. Start a new session with /session new.`;
  },
} satisfies Record<string, (error: JidoError) => string>;
