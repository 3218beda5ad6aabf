import type { Usage } from '@jido-code/core-schema';
import { printable } from './display-text.js';
import type { ModelView } from './outcome.js';

/**
 * `/model`: the model that answers and whether its key is set, naming the variable (never its
 * value). Without a key: why the offline agent answers, and what to set.
 */
export function describeModel(changed: boolean, model: ModelView): string {
  const name = printable(`${model.provider}/${model.model}`);
  if (model.variable === undefined) {
    return changed
      ? `Model set to ${name}.`
      : 'Model: the offline agent (no key set: set ANTHROPIC_API_KEY, OPENAI_API_KEY or OPENAI_BASE_URL to answer with a model).';
  }
  if (!model.ready) {
    const start = changed ? `Model set to ${name} and saved` : `Model: ${name}`;
    return `${start}, but ${model.variable} is not set, so the offline agent answers until it is.`;
  }
  if (model.viaDefault)
    return `Model: ${name} (the default for ${model.variable}; /model <provider>/<model> to choose).`;
  return changed ? `Model set to ${name} and saved.` : `Model: ${name}.`;
}

/** `/usage`: the session's total tokens and cost, and the last reply's. */
export function describeUsage(outcome: { replies: number; total: Usage; last?: Usage }): string {
  if (outcome.replies === 0) return 'No usage yet: no reply of this session reported any.';
  const lines = [
    `Total (${outcome.replies} ${outcome.replies === 1 ? 'reply' : 'replies'}): ${usageLine(outcome.total)}`,
  ];
  if (outcome.last !== undefined) lines.push(`Last reply: ${usageLine(outcome.last)}`);
  return lines.join('\n');
}

/** `1,234 in, 56 out, $0.0123` (the cost only when known). */
export function usageLine(usage: Usage): string {
  const count = (value: number | undefined) => (value ?? 0).toLocaleString('en-US');
  const cost = usage.total_cost === undefined ? '' : `, $${usage.total_cost.toFixed(4)}`;
  return `${count(usage.input_tokens)} tokens in, ${count(usage.output_tokens)} out${cost}`;
}
