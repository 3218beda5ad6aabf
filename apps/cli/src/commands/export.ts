import { writeFile } from 'node:fs/promises';
import { printable } from '@jido-code/commands/listing';
import type { CommandContext } from '../context.js';
import { cliUsageError } from '../errors.js';
import { exitFailure, exitOk } from '../exit-codes.js';
import { loadSaved, loadTrashedTarget, openStore } from '../store.js';
import { jsonExport, markdownTranscript } from '../transcript.js';

/** The formats `jido sessions export` writes. */
export const exportFormats = ['json', 'md'] as const;

/** One of {@link exportFormats}. */
export type ExportFormat = (typeof exportFormats)[number];

/** Options of `jido sessions export`. */
export interface ExportOptions {
  readonly format: ExportFormat;
  /** The file to write; stdout when absent. */
  readonly output?: string;
  /** Overwrite `output` when it exists (refused otherwise). */
  readonly force?: boolean;
  /** The target names a session in the trash listing instead. */
  readonly trash?: boolean;
}

/**
 * `jido sessions export <target> [--format json|md] [--output FILE [--force]]`: the plain session without its
 * signature (json, importable) or a readable transcript (md). The export is the user's file, so
 * it is written here with a plain `writeFile` (mode 0600: transcripts are private), not by the store.
 */
export async function exportCommand(
  context: CommandContext,
  target: string,
  options: ExportOptions,
): Promise<number> {
  if (context.options.json && options.format === 'md') {
    throw cliUsageError(
      "--json cannot be used with '--format md': the Markdown transcript is not JSON.",
      "Run 'jido sessions export --help' for usage.",
    );
  }
  const store = await openStore(context);
  const loaded = await (options.trash === true ? loadTrashedTarget : loadSaved)(store, target);
  const { signature: _signature, ...session } = loaded.session;
  const text = options.format === 'md' ? markdownTranscript(session) : jsonExport(session);
  if (options.output === undefined) {
    context.io.stdout.write(text);
    return exitOk;
  }
  try {
    // 'wx' fails on an existing file: an export never silently replaces one.
    await writeFile(context.path(options.output), text, { mode: 0o600, flag: options.force ? 'w' : 'wx' });
  } catch (error) {
    // The user named this file, so naming it back is safe; the errno says why.
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    context.note(
      code === 'EEXIST'
        ? `jido: ${printable(options.output)} already exists. Use --force to overwrite it.`
        : `jido: Could not write ${printable(options.output)} (${code}).`,
    );
    return exitFailure;
  }
  context.note(`Exported "${printable(session.name)}" to ${printable(options.output)}.`);
  return exitOk;
}
