import { limits, type Message, type UnsignedSession } from '@jido-code/core-schema';
import { unsignedSessionSchema } from '@jido-code/core-schema/schemas';
import { type FileReport, type ImportTool, settle } from './report.js';
import { importedSessionId } from './session-id.js';
import { cutText, oneLine } from './text.js';
import type { Transcript, TranscriptMessage } from './transcript.js';

/** What turning a transcript into a session needs besides the transcript. */
export interface BuildOptions {
  readonly tool: ImportTool;
  /** Absolute path of the source file. */
  readonly path: string;
  /** When this import runs (ISO 8601 UTC). */
  readonly importedAt: string;
  /** Longest message kept whole; longer ones are cut and marked. */
  readonly maxMessageChars: number;
  /** Largest session (serialized bytes) accepted; a larger one is refused. */
  readonly maxSessionBytes: number;
  /** Project path used when the file names none. */
  readonly fallbackProjectPath: string;
  /** Time used for messages when the file has no usable timestamp at all (the file's mtime). */
  readonly fallbackTime: string;
}

/** An ISO 8601 UTC timestamp from a source's time value, or undefined when it is not one. */
function normalizeTimestamp(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const date = new Date(value);
  const time = date.getTime();
  if (Number.isNaN(time) || time < 0 || time > 253402300799999) return undefined;
  return date.toISOString();
}

/** Timestamps for every message: the source's own, else the previous message's, else the next. */
function fillTimestamps(messages: readonly TranscriptMessage[], fallback: string): string[] {
  const known = messages.map((message) => normalizeTimestamp(message.timestamp));
  const firstKnown = known.find((time) => time !== undefined) ?? fallback;
  let previous = firstKnown;
  return known.map((time) => {
    previous = time ?? previous;
    return previous;
  });
}

function uniqueIds(messages: readonly TranscriptMessage[]): string[] {
  const seen = new Set<string>();
  return messages.map((message) => {
    const base = message.key.slice(0, limits.maxShortStringLength - 12) || 'message';
    let id = base;
    for (let n = 2; seen.has(id); n += 1) id = `${base}#${n}`;
    seen.add(id);
    return id;
  });
}

function sessionName(transcript: Transcript, tool: ImportTool): string {
  const fromTitle = transcript.title ? oneLine(transcript.title, limits.maxNameLength) : '';
  if (fromTitle) return fromTitle;
  const firstUser = transcript.messages.find((message) => message.role === 'user' && message.content.trim());
  const fromUser = firstUser ? oneLine(firstUser.content, limits.maxNameLength) : '';
  return fromUser || `${tool} ${transcript.sourceId.slice(0, 8)}`;
}

function isUsablePath(path: string | undefined): path is string {
  return path !== undefined && /^\/[^\0]*$/.test(path) && path.length <= limits.maxPathLength;
}

function conversationOf(transcript: Transcript, options: BuildOptions, report: FileReport): Message[] {
  const times = fillTimestamps(transcript.messages, options.fallbackTime);
  const ids = uniqueIds(transcript.messages);
  return transcript.messages.map((message, index) => {
    const { text, cut } = cutText(
      message.content,
      Math.min(options.maxMessageChars, limits.maxMessageLength),
    );
    if (cut) report.notes.cutMessages += 1;
    return {
      id: ids[index] ?? message.key,
      role: message.role,
      content: text,
      timestamp: times[index] ?? '',
    };
  });
}

/**
 * The session's serialized size, or a bound below `cap` when a cheap worst case already fits: a
 * UTF-16 unit takes at most 6 bytes in JSON (`\u001f`), plus room for each message's fields.
 * Serializing every session only to learn it is far under the cap would double the import's cost.
 */
function serializedSizeAtMost(session: UnsignedSession, cap: number): number {
  let worst = 64 * 1024;
  for (const message of session.conversation) worst += 6 * message.content.length + 2048;
  return worst <= cap ? worst : Buffer.byteLength(JSON.stringify(session));
}

/**
 * Turns a transcript into a validated, unsigned jido session, or settles the report (skipped when
 * there is nothing to import, failed when the result is over a cap or invalid) and returns
 * undefined. Sessions over the size cap are refused, not split: see docs/import-formats.md.
 */
export function buildSession(
  transcript: Transcript,
  report: FileReport,
  options: BuildOptions,
): UnsignedSession | undefined {
  report.sourceId = transcript.sourceId;
  if (transcript.messages.length === 0) {
    settle(report, 'skipped', 'empty_session', 'has no messages to import');
    return undefined;
  }
  if (transcript.messages.length > limits.maxMessages) {
    settle(
      report,
      'failed',
      'too_large',
      `has ${transcript.messages.length} messages, over the ${limits.maxMessages} cap`,
    );
    return undefined;
  }
  const conversation = conversationOf(transcript, options, report);
  const times = conversation.map((message) => message.timestamp).sort();
  const usablePath = isUsablePath(transcript.cwd);
  if (!usablePath) report.notes.projectPathGuessed = true;
  const candidate = {
    version: 1 as const,
    id: importedSessionId(options.tool, transcript.sourceId),
    name: sessionName(transcript, options.tool),
    project_path: usablePath ? transcript.cwd : options.fallbackProjectPath,
    config: { provider: transcript.provider, model: oneLine(transcript.model ?? '', 200) || 'unknown' },
    created_at: times[0] ?? options.fallbackTime,
    updated_at: times.at(-1) ?? options.fallbackTime,
    closed_at: times.at(-1) ?? options.fallbackTime,
    conversation,
    todos: [],
    imported_from: {
      tool: options.tool,
      source_id: transcript.sourceId,
      path: options.path,
      imported_at: options.importedAt,
    },
  };
  const parsed = unsignedSessionSchema.safeParse(candidate);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') ?? 'session';
    settle(report, 'failed', 'invalid_session', `does not make a valid session (${where})`);
    return undefined;
  }
  const bytes = serializedSizeAtMost(parsed.data, options.maxSessionBytes);
  if (bytes > options.maxSessionBytes) {
    const mib = (bytes / 1024 / 1024).toFixed(1);
    const cap = (options.maxSessionBytes / 1024 / 1024).toFixed(1);
    settle(report, 'failed', 'too_large', `would make a ${mib} MiB session, over the ${cap} MiB cap`);
    return undefined;
  }
  report.messages = conversation.length;
  return parsed.data;
}
