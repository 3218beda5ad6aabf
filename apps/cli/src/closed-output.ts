/**
 * A reader that stops early (`jido sessions list | head -1`) closes the pipe, and the next write to
 * it fails with EPIPE. That is not the command's failure: the rest of the output is dropped and the
 * command finishes as it would have, so a save in progress completes and the exit status is the
 * command's own. Any other output error is one clear line and status 1, never a stack trace.
 */
export function tolerateClosedOutput(streams: readonly NodeJS.WriteStream[]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') return;
      process.exitCode = 1;
      if (stream !== process.stderr && process.stderr.writable) {
        process.stderr.write(`jido: The output could not be written (${error.code ?? 'error'}).\n`);
      }
    });
  }
}
