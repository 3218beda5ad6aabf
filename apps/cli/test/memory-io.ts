import { PassThrough } from 'node:stream';
import type { CliIo } from '../src/io.js';

/** A `CliIo` over in-memory streams (a pipe, never a terminal), and what was written to it. */
export interface MemoryIo extends CliIo {
  readonly stdin: PassThrough;
  /** Everything written on stdout so far. */
  stdoutText(): string;
  /** Everything written on stderr so far. */
  stderrText(): string;
}

/** A fresh {@link MemoryIo} working in `cwd`. */
export function memoryIo(cwd: string, env: Readonly<Record<string, string>> = {}): MemoryIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  return {
    stdin: new PassThrough(),
    stdout,
    stderr,
    env,
    cwd,
    stdoutText: () => out,
    stderrText: () => err,
  };
}
