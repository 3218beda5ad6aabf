import type { CommandContext } from './context.js';

/** A progress display: told the number of items, then each item done. */
export interface ProgressBar {
  start(total: number): void;
  advance(): void;
  stop(message: string): void;
}

/** A progress bar on stderr when it is a terminal and output is not `--json`; else undefined. */
export async function terminalProgress(
  context: CommandContext,
  label: string,
): Promise<ProgressBar | undefined> {
  if (context.options.json || context.io.stderr.isTTY !== true) return undefined;
  const { progress } = await import('@clack/prompts');
  let bar: ReturnType<typeof progress> | undefined;
  return {
    start(total) {
      if (total === 0) return;
      bar = progress({ max: total, output: context.io.stderr, withGuide: false });
      bar.start(label);
    },
    advance() {
      bar?.advance(1);
    },
    stop(message) {
      bar?.stop(message);
    },
  };
}
