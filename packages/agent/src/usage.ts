import type { Usage } from '@jido-code/core-schema';
import type { ProviderName } from './model-spec.js';
import { costOf, priceFor } from './prices.js';

/** The token counts the AI SDK reports (its `LanguageModelUsage`), as far as they are read here. */
export interface ReportedUsage {
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
  readonly inputTokenDetails?: { readonly cacheReadTokens?: number | undefined } | undefined;
  readonly outputTokenDetails?: { readonly reasoningTokens?: number | undefined } | undefined;
}

/**
 * A reply's usage in JidoCode's field names: `input_tokens`, `output_tokens`, and `total_cost` (US
 * dollars) when the provider reported a cost or the price table has the model. Counts the provider
 * did not report are left out rather than written as zero.
 */
export function replyUsage(
  reported: ReportedUsage | undefined,
  model: { readonly provider: ProviderName; readonly modelId: string; readonly customEndpoint: boolean },
  reportedCost?: number,
): Usage {
  const usage: Record<string, number> = {};
  // The two main counts are kept even at zero; the detail counts only when there is something.
  const counts: [string, number | undefined, number][] = [
    ['input_tokens', reported?.inputTokens, 0],
    ['output_tokens', reported?.outputTokens, 0],
    ['cache_read_tokens', reported?.inputTokenDetails?.cacheReadTokens, 1],
    ['reasoning_tokens', reported?.outputTokenDetails?.reasoningTokens, 1],
  ];
  for (const [key, value, least] of counts) {
    if (typeof value === 'number' && Number.isFinite(value) && value >= least) usage[key] = value;
  }
  if (reportedCost !== undefined && Number.isFinite(reportedCost) && reportedCost >= 0) {
    usage.total_cost = reportedCost;
  } else if (!model.customEndpoint && usage.input_tokens !== undefined) {
    const price = priceFor(model.provider, model.modelId);
    if (price !== undefined) usage.total_cost = costOf(usage, price);
  }
  return usage;
}
