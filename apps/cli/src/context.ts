import { isAbsolute, resolve } from 'node:path';
import pc from 'picocolors';
import { type CliIo, colorEnabled, writeLine } from './io.js';

/** The global flags every command accepts. */
export interface GlobalOptions {
  /** `--home DIR`: the jido home (default `$JIDO_CODE_HOME`, else `~/.jido_code`). */
  readonly home?: string;
  /** `--store URL|DIR`: a `postgres://` URL or a folder (then like `--home`); wins over everything. */
  readonly store?: string;
  /** `--json`: machine-readable output with the file format's snake_case names. */
  readonly json: boolean;
  /** `--verbose`: debug details behind errors and warnings. */
  readonly verbose: boolean;
}

/** Colour functions: picocolors when colour is on, identity functions when it is off. */
export type Colors = ReturnType<typeof pc.createColors>;

/** What every command implementation receives. */
export interface CommandContext {
  readonly io: CliIo;
  readonly options: GlobalOptions;
  readonly colors: Colors;
  /** One line (or block) on stdout. */
  out(text?: string): void;
  /** One line on stderr. */
  note(text: string): void;
  /** A path as given on the command line, resolved against the CLI's working directory. */
  path(value: string): string;
  /** Runs `close` when the command has finished (a database pool, say); errors are ignored. */
  atExit(close: () => Promise<void>): void;
  /** Runs what {@link atExit} registered, once. */
  finish(): Promise<void>;
}

/** Builds the context of one run. */
export function commandContext(io: CliIo, options: GlobalOptions): CommandContext {
  const closers: (() => Promise<void>)[] = [];
  return {
    io,
    options,
    colors: pc.createColors(colorEnabled(io)),
    out: (text = '') => writeLine(io.stdout, text),
    note: (text) => writeLine(io.stderr, text),
    path: (value) => (isAbsolute(value) ? value : resolve(io.cwd, value)),
    atExit: (close) => {
      closers.push(close);
    },
    finish: async () => {
      for (const close of closers.splice(0)) await close().catch(() => {});
    },
  };
}

/** Prints a value as stable, indented JSON on stdout. */
export function printJson(context: CommandContext, value: unknown): void {
  context.out(JSON.stringify(value, null, 2));
}
