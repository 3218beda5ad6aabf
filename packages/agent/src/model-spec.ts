import { err, JidoError, ok, type Result } from '@jido-code/core-schema';

/** The providers the shell can talk to. */
export const supportedProviders = ['anthropic', 'openai'] as const;
/** See {@link supportedProviders}. */
export type ProviderName = (typeof supportedProviders)[number];

/** A provider and a model, as `/model <provider>/<model>` names them. */
export interface ModelSpec {
  readonly provider: ProviderName;
  readonly model: string;
}

/** True when `name` is one of the {@link supportedProviders}. */
export function isProviderName(name: string): name is ProviderName {
  return (supportedProviders as readonly string[]).includes(name);
}

/**
 * Reads `anthropic/claude-sonnet-4-5` or `openai/gpt-4o-mini`. The model part is kept as typed
 * (a local server's model names contain `/`, `:` and `.`), only its length and characters are checked.
 */
export function parseModelSpec(text: string): Result<ModelSpec> {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const provider = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const model = slash < 0 ? '' : trimmed.slice(slash + 1);
  if (!isProviderName(provider)) {
    return err(
      new JidoError('provider_unknown', `Unknown provider "${provider}".`, {
        details: { provider: provider.slice(0, 80) },
      }),
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a model name must hold no control character
  if (model.length === 0 || model.length > 200 || /[\s\u0000-\u001f\u007f]/.test(model)) {
    return err(
      new JidoError(
        'usage',
        `Name a model after the provider, e.g. /model ${provider}/${exampleModels[provider]}.`,
      ),
    );
  }
  return ok({ provider, model });
}

/** A model per provider, for examples in messages and the README. */
export const exampleModels: Readonly<Record<ProviderName, string>> = {
  anthropic: 'claude-sonnet-4-5',
  openai: 'gpt-4o-mini',
};
