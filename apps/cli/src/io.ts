import type { Readable, Writable } from 'node:stream';

/** The process surroundings the CLI works in; tests and embedders pass their own. */
export interface CliIo {
  /** Where shell lines come from. */
  readonly stdin: Readable & { readonly isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  /** Normal output: tables, JSON, transcripts. */
  readonly stdout: Writable & { readonly isTTY?: boolean; readonly columns?: number };
  /** Errors, warnings and progress. */
  readonly stderr: Writable & { readonly isTTY?: boolean };
  /** Environment (`JIDO_CODE_HOME`, `NO_COLOR`, `JIDO_*` config). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory: relative `--home`, `--output` and import paths are resolved against it. */
  readonly cwd: string;
}

/** The real process's streams, environment and folder. */
export function processIo(): CliIo {
  // Getters: process.stdin is created on first access, and a one-shot command never needs it.
  return {
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** True when stdout is a terminal (tables, colour, progress) rather than a pipe or a file. */
function isInteractiveOutput(io: CliIo): boolean {
  return io.stdout.isTTY === true;
}

/** True when both ends are a terminal, so the CLI may ask a question and read the answer. */
export function canPrompt(io: CliIo): boolean {
  return io.stdin.isTTY === true && io.stdout.isTTY === true;
}

/** Colour only on a terminal and only when `NO_COLOR` is unset or empty (https://no-color.org). */
export function colorEnabled(io: CliIo): boolean {
  const noColor = io.env.NO_COLOR;
  return isInteractiveOutput(io) && (noColor === undefined || noColor === '');
}

/** Writes `text` and a line ending. */
export function writeLine(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}
