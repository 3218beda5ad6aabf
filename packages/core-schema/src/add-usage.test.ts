import { describe, expect, it } from 'vitest';
import { addUsage } from './add-usage.js';

describe('addUsage', () => {
  it('adds a reply to the cumulative usage, field by field', () => {
    const total = addUsage(addUsage(undefined, { input_tokens: 10, output_tokens: 5, total_cost: 0.1 }), {
      input_tokens: 1,
      output_tokens: 2,
      total_cost: 0.2,
    });
    expect(total).toEqual({ input_tokens: 11, output_tokens: 7, total_cost: 0.3 });
  });

  it('keeps fields only one side has and leaves its inputs alone', () => {
    const total = { input_tokens: 3 };
    expect(addUsage(total, { reasoning_tokens: 4 })).toEqual({ input_tokens: 3, reasoning_tokens: 4 });
    expect(total).toEqual({ input_tokens: 3 });
  });
});
