import type { Writable } from 'node:stream';

/** How long an operation may take before a spinner appears: quick ones print no flicker. */
const spinnerDelayMs = 200;
const frameMs = 80;
const frames = ['◒', '◐', '◓', '◑'];

/**
 * Runs `work`; on a terminal, when it takes longer than a moment, shows a spinner with `label` on
 * `output` until it is done. On a pipe it only runs `work`.
 *
 * The spinner only writes to `output`. It never touches standard input: the shell's line editor
 * owns it, and a prompt library's spinner that takes the terminal for itself (raw mode, its own
 * reader, exit on Ctrl+C) leaves the line editor paused, so the shell stops reading after the first
 * slow command, and would exit on Ctrl+C without saving.
 */
export async function withSpinner<T>(
  output: Writable | undefined,
  label: string,
  work: () => Promise<T>,
): Promise<T> {
  if (output === undefined) return work();
  let frame = 0;
  let spinning: NodeJS.Timeout | undefined;
  const draw = () => {
    output.write(`\r\u001b[2K${frames[frame % frames.length]}  ${label}…`);
    frame += 1;
  };
  const timer = setTimeout(() => {
    draw();
    spinning = setInterval(draw, frameMs);
  }, spinnerDelayMs);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    if (spinning !== undefined) {
      clearInterval(spinning);
      output.write('\r\u001b[2K');
    }
  }
}
