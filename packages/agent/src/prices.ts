import type { Usage } from '@jido-code/core-schema';
import type { ProviderName } from './model-spec.js';

/** A list price in US dollars per million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
}

/**
 * List prices (USD per million tokens, standard tier, no batch or cache discount) by model-name
 * prefix; the longest matching prefix wins. Copied by hand from the providers' price pages and
 * documented in the agent README; a model not listed (or any model behind `OPENAI_BASE_URL`)
 * gets no cost, only token counts.
 */
export const priceTable: Readonly<Record<ProviderName, readonly (readonly [string, ModelPrice])[]>> = {
  anthropic: [
    ['claude-opus-4-5', { input: 5, output: 25 }],
    ['claude-opus-4', { input: 15, output: 75 }],
    ['claude-sonnet-4', { input: 3, output: 15 }],
    ['claude-3-7-sonnet', { input: 3, output: 15 }],
    ['claude-haiku-4-5', { input: 1, output: 5 }],
    ['claude-3-5-haiku', { input: 0.8, output: 4 }],
  ],
  openai: [
    ['gpt-4o-mini', { input: 0.15, output: 0.6 }],
    ['gpt-4o', { input: 2.5, output: 10 }],
    ['gpt-4.1-nano', { input: 0.1, output: 0.4 }],
    ['gpt-4.1-mini', { input: 0.4, output: 1.6 }],
    ['gpt-4.1', { input: 2, output: 8 }],
    ['gpt-5-nano', { input: 0.05, output: 0.4 }],
    ['gpt-5-mini', { input: 0.25, output: 2 }],
    ['gpt-5', { input: 1.25, output: 10 }],
    ['o4-mini', { input: 1.1, output: 4.4 }],
    ['o3', { input: 2, output: 8 }],
  ],
};

/** The list price of a model, or undefined when the table has none. */
export function priceFor(provider: ProviderName, modelId: string): ModelPrice | undefined {
  let best: readonly [string, ModelPrice] | undefined;
  for (const entry of priceTable[provider]) {
    if (modelId.startsWith(entry[0]) && (best === undefined || entry[0].length > best[0].length))
      best = entry;
  }
  return best?.[1];
}

/** What `usage` cost at `price`, in US dollars, rounded to a millionth of a dollar. */
export function costOf(usage: Usage, price: ModelPrice): number {
  const input = usage.input_tokens ?? 0;
  const output = usage.output_tokens ?? 0;
  return Math.round(input * price.input + output * price.output) / 1_000_000;
}
