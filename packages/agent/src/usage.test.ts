import { describe, expect, it } from 'vitest';
import { costOf, priceFor } from './prices.js';
import { replyUsage } from './usage.js';

describe('usage and cost', () => {
  it('picks the longest matching price prefix', () => {
    expect(priceFor('openai', 'gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(priceFor('openai', 'gpt-4o-2024-08-06')).toEqual({ input: 2.5, output: 10 });
    expect(priceFor('anthropic', 'claude-opus-4-5-20251101')).toEqual({ input: 5, output: 25 });
    expect(priceFor('anthropic', 'claude-opus-4-1')).toEqual({ input: 15, output: 75 });
    expect(priceFor('openai', 'llama3')).toBeUndefined();
  });

  it('computes cost per million tokens', () => {
    expect(costOf({ input_tokens: 2_000_000, output_tokens: 1_000_000 }, { input: 3, output: 15 })).toBe(21);
    expect(costOf({ input_tokens: 1 }, { input: 0.15, output: 0.6 })).toBe(0);
  });

  it('writes no cost behind a custom endpoint and leaves out counts the provider did not send', () => {
    const reported = {
      inputTokens: 10,
      outputTokens: undefined,
      inputTokenDetails: { noCacheTokens: 10, cacheReadTokens: undefined, cacheWriteTokens: undefined },
      outputTokenDetails: { textTokens: undefined, reasoningTokens: undefined },
      totalTokens: 10,
    };
    expect(replyUsage(reported, { provider: 'openai', modelId: 'gpt-4o', customEndpoint: true })).toEqual({
      input_tokens: 10,
    });
    expect(replyUsage(undefined, { provider: 'openai', modelId: 'gpt-4o', customEndpoint: false })).toEqual(
      {},
    );
  });
});
