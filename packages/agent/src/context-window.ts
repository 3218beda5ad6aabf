/**
 * Tokens a model reads at most, by model-name prefix (the longest matching prefix wins). A model
 * not in the table, such as one on a local server, gets {@link defaultContextWindow}: small on
 * purpose, so the conversation is cut rather than refused; `config.extra.context_window` sets it.
 */
export const contextWindows: readonly (readonly [prefix: string, tokens: number])[] = [
  ['claude-', 200_000],
  ['gpt-4o', 128_000],
  ['gpt-4.1', 1_047_576],
  ['gpt-5', 400_000],
  ['o3', 200_000],
  ['o4-mini', 200_000],
];

/** The context of a model the table does not know. */
export const defaultContextWindow = 8_192;

/** The context window of `modelId` from {@link contextWindows}. */
export function contextWindowFor(modelId: string): number {
  let best: readonly [string, number] | undefined;
  for (const entry of contextWindows) {
    if (modelId.startsWith(entry[0]) && (best === undefined || entry[0].length > best[0].length))
      best = entry;
  }
  return best?.[1] ?? defaultContextWindow;
}
