/** Exit status: the operation succeeded. */
export const exitOk = 0;
/** Exit status: the operation failed (not found, invalid, refused, rate limited). */
export const exitFailure = 1;
/** Exit status: the command line itself was wrong. */
export const exitUsage = 2;

/**
 * The exit status for an error: 2 for usage errors, 1 for everything else. Reads the `code` alone
 * so that this module (loaded for every run, `--version` included) imports nothing heavy.
 */
export function exitCodeFor(error: unknown): number {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'usage'
    ? exitUsage
    : exitFailure;
}

/** Folds a message onto one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
