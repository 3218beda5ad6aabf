import { randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import { printable, sanitizeError } from '@jido-code/commands/listing';
import {
  checkSessionDocument,
  JidoError,
  type ParsedSession,
  parseJson,
  type Result,
  type UnsignedSession,
} from '@jido-code/core-schema';
import { Redactor, redactionNotice } from '@jido-code/session/redaction';
import { type CommandContext, printJson } from '../context.js';
import { printDebug } from '../errors.js';
import { exitFailure, exitOk } from '../exit-codes.js';
import { openStore } from '../store.js';

/** Options of `jido sessions import`. */
export interface ImportOptions {
  /** Store under a fresh id instead of refusing an id that already exists. */
  readonly newId: boolean;
}

/** A field path from a schema error (`conversation.3.role`): safe to show, it names no file. */
function fieldOf(error: JidoError): string | undefined {
  const path = error.details.path;
  return typeof path === 'string' && /^[A-Za-z0-9_.]{1,100}$/.test(path) ? path : undefined;
}

/** Reads the user's file with the store's size cap checked on the open descriptor before reading. */
async function readUserFile(path: string, maxBytes: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    if (stats.size > maxBytes) {
      throw new JidoError('too_large', 'The file is larger than the session size limit.', {
        details: { size: stats.size, max: maxBytes },
      });
    }
    const bytes = await handle.readFile();
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } finally {
    await handle.close();
  }
}

/** Standard input, whole, with the same size cap and strict UTF-8 as a file. */
async function readInput(context: CommandContext, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of context.io.stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > maxBytes) {
      throw new JidoError('too_large', 'The input is larger than the session size limit.', {
        details: { size, max: maxBytes },
      });
    }
    chunks.push(bytes);
  }
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Buffer.concat(chunks));
}

/**
 * `jido sessions import <file|-> [--new-id]`: validates a plain session JSON (an export, or written by
 * hand; any `signature` in it is dropped), refuses an id that is already stored unless `--new-id`,
 * redacts the secrets in it (config `redaction`), then signs and stores it.
 */
export async function importCommand(
  context: CommandContext,
  file: string,
  options: ImportOptions,
): Promise<number> {
  const store = await openStore(context);
  let text: string;
  try {
    const maxBytes = store.config.max_file_size_bytes;
    text =
      file === '-' ? await readInput(context, maxBytes) : await readUserFile(context.path(file), maxBytes);
  } catch (error) {
    if (error instanceof JidoError) throw error;
    if (error instanceof TypeError) {
      throw new JidoError('invalid_json', 'The file is not valid UTF-8.', { cause: error });
    }
    // The user named this file, so naming it back is safe; the errno says why.
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    context.note(`jido: Could not read ${printable(file)} (${code}).`);
    return exitFailure;
  }
  const parsed = await parseSessionText(text);
  if (!parsed.ok) {
    const field = fieldOf(parsed.error);
    if (field === undefined) throw parsed.error;
    context.note(`jido: ${sanitizeError(parsed.error).message} First bad field: ${field}.`);
    // The user's file is what is wrong, not jido's code: no stack.
    if (context.options.verbose) await printDebug(context.io, parsed.error, false);
    return exitFailure;
  }
  const { signature: _signature, ...plain } = parsed.value.session;
  let session: UnsignedSession = plain;
  if (options.newId) {
    session = { ...plain, id: randomUUID() };
  } else {
    const existing = await store.load(plain.id);
    if (existing.ok || existing.error.code !== 'not_found') {
      throw new JidoError('already_exists', 'A session with this id is already stored.', {
        details: { id: plain.id },
      });
    }
  }
  const redacted = await new Redactor(store.config).redactSession(session);
  session = redacted.session;
  const saved = await store.save(session);
  if (!saved.ok) throw saved.error;
  if (context.options.json) {
    const { mode, count, kinds } = redacted.report;
    printJson(context, {
      id: session.id,
      name: session.name,
      imported_from: plain.id,
      message_count: session.conversation.length,
      todo_count: session.todos.length,
      secrets: { redaction: mode, count, kinds },
    });
  } else {
    context.out(`Imported "${printable(session.name)}" as ${session.id}.`);
    const notice = redactionNotice(redacted.report);
    if (notice !== undefined) context.out(notice);
  }
  if (saved.value.warning !== undefined) {
    const { count, max } = saved.value.warning;
    context.note(`warning: ${count} of ${max} saved sessions; consider 'jido sessions cleanup'.`);
  }
  return exitOk;
}

/** Session JSON text: depth pre-scan, `JSON.parse`, then the schema (zod loaded only for a bad file). */
async function parseSessionText(text: string): Promise<Result<ParsedSession>> {
  const json = parseJson(text);
  return json.ok ? checkSessionDocument(json.value) : json;
}
