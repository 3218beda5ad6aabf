import { isRecord, parseJsonLines, type SourceLine, stringOf } from '../lines.js';
import { countSkip, type FileReport } from '../report.js';

/** A Gemini CLI conversation as its own reader would rebuild it. */
export interface GeminiConversation {
  metadata: Record<string, unknown>;
  /** Message records, last version of each id, at the id's first position. */
  messages: Record<string, unknown>[];
}

/**
 * Rebuilds a JSONL chat recording: line 1 (or any line with `sessionId` and no `type`) is metadata,
 * `{$set}` patches it (a `$set.messages` snapshot is kept apart, see below), a message record re-appended with a known id replaces the earlier version
 * in place, and `{$rewindTo: id}` drops that message and everything after it (everything, when
 * the id is unknown).
 */
export function replayJsonl(
  lines: readonly SourceLine[],
  report: FileReport,
): GeminiConversation | undefined {
  let metadata: Record<string, unknown> | undefined;
  let snapshot: unknown[] = [];
  const byId = new Map<string, Record<string, unknown>>();
  for (const { record } of parseJsonLines(lines, report)) {
    if (isRecord(record.$set)) {
      const { messages, ...patch } = record.$set;
      if (Array.isArray(messages) && messages.length > 0) snapshot = messages;
      metadata = { ...metadata, ...patch };
      countSkip(report, 'bookkeeping');
    } else if ('$rewindTo' in record) {
      countSkip(report, 'bookkeeping');
      rewind(byId, stringOf(record.$rewindTo), report);
    } else if (typeof record.id === 'string' && typeof record.type === 'string') {
      if (byId.has(record.id)) countSkip(report, 'duplicate');
      byId.set(record.id, record);
    } else if (typeof record.sessionId === 'string' && metadata === undefined) {
      metadata = { ...record };
    } else countSkip(report, 'unknown_record');
  }
  if (!metadata) return undefined;
  // A `$set.messages` snapshot is the model's (possibly compressed) context; the records hold the
  // whole conversation, so the snapshot is used only when no record was written at all.
  const messages = byId.size > 0 ? [...byId.values()] : snapshot.filter(isRecord);
  return { metadata, messages };
}

function rewind(
  byId: Map<string, Record<string, unknown>>,
  id: string | undefined,
  report: FileReport,
): void {
  const ids = [...byId.keys()];
  const at = id === undefined ? -1 : ids.indexOf(id);
  for (const removed of ids.slice(at === -1 ? 0 : at)) {
    byId.delete(removed);
    countSkip(report, 'rewound');
  }
}

/** A legacy whole-JSON recording: `{sessionId, messages[], …}`. */
export function fromWholeJson(value: unknown, report: FileReport): GeminiConversation | undefined {
  if (!isRecord(value) || typeof value.sessionId !== 'string' || !Array.isArray(value.messages))
    return undefined;
  const { messages, ...metadata } = value;
  const records: Record<string, unknown>[] = [];
  for (const message of messages) {
    report.records += 1;
    if (isRecord(message) && typeof message.type === 'string') records.push(message);
    else countSkip(report, 'invalid_record');
  }
  return { metadata, messages: records };
}
