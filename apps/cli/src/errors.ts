import { JidoError } from '@jido-code/core-schema';
import { exitCodeFor, oneLine } from './exit-codes.js';
import type { CliIo } from './io.js';

/** A usage error of the jido command line: exit status 2, with a hint on where to read the usage. */
export function cliUsageError(message: string, hint?: string): JidoError {
  return new JidoError('usage', hint === undefined ? message : `${message} ${hint}`, {
    details: { usage: hint ?? message },
  });
}

/** Marks a JidoError whose message the CLI wrote itself for this user and may print as it is. */
const cliMessage = Symbol('jido.cliMessage');

/**
 * An error whose message names something the user gave (a path on the command line), so it is
 * printed as written instead of the code's generic message. Keeps the code (and so the exit status).
 */
export function cliMessageError(code: JidoError['code'], message: string, cause?: unknown): JidoError {
  return Object.assign(new JidoError(code, message, { cause }), { [cliMessage]: true });
}

/**
 * Prints an error the one way the CLI prints errors: one plain line on stderr with the sanitized
 * message (never a path, key id or stack). With `verbose`, the debug facts behind it follow, each
 * line prefixed with `debug:`. Loads `@jido-code/commands` only when there is an error to print.
 */
export async function reportError(io: CliIo, error: unknown, verbose: boolean): Promise<number> {
  const { sanitizeError } = await import('@jido-code/commands/listing');
  const sanitized = sanitizeError(error);
  const own = error instanceof JidoError && cliMessage in error;
  io.stderr.write(`jido: ${oneLine(own ? error.message : sanitized.message)}\n`);
  if (verbose) await printDebug(io, error);
  return exitCodeFor(error);
}

/**
 * The `--verbose` lines behind an error: code, raw message, details, each validation issue on its
 * own line (`debug: issue: id: Invalid input: expected string, received undefined`), cause, stack.
 */
export async function printDebug(io: CliIo, error: unknown, withStack = true): Promise<void> {
  const { sanitizeError } = await import('@jido-code/commands/listing');
  const { debug } = sanitizeError(error);
  io.stderr.write(`debug: code=${debug.code} message=${JSON.stringify(debug.message)}\n`);
  if (Object.keys(debug.details).length > 0) {
    io.stderr.write(`debug: details=${safeJson(debug.details)}\n`);
  }
  const issues = debug.details.issues;
  if (Array.isArray(issues)) {
    for (const issue of issues)
      if (typeof issue === 'string') io.stderr.write(`debug: issue: ${oneLine(issue)}\n`);
  }
  if (debug.cause !== undefined) io.stderr.write(`debug: cause=${oneLine(debug.cause)}\n`);
  if (withStack && debug.stack !== undefined) {
    for (const line of debug.stack.split('\n')) io.stderr.write(`debug: ${line}\n`);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, inner: unknown) =>
      inner instanceof Error ? `${inner.name}: ${inner.message}` : inner,
    );
  } catch {
    return String(value);
  }
}
