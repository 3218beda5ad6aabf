import type { Writable } from 'node:stream';

/** How long an operation may take before a spinner appears: quick ones print no flicker. */
const spinnerDelayMs = 200;

/**
 * Runs `work`; on a terminal, when it takes longer than a moment, shows a spinner with `label` on
 * `output` until it is done. On a pipe it only runs `work`.
 */
export async function withSpinner<T>(
  output: Writable | undefined,
  label: string,
  work: () => Promise<T>,
): Promise<T> {
  if (output === undefined) return work();
  let done = false;
  let active: { clear(): void } | undefined;
  const timer = setTimeout(() => {
    void import('@clack/prompts').then(({ spinner }) => {
      if (done) return;
      const shown = spinner({ output, withGuide: false });
      shown.start(label);
      active = shown;
    });
  }, spinnerDelayMs);
  try {
    return await work();
  } finally {
    done = true;
    clearTimeout(timer);
    active?.clear();
  }
}
