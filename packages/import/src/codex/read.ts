import { basename } from 'node:path';
import { isRecord, parseJsonLines, splitLines, stringOf } from '../lines.js';
import { countSkip, type FileReport } from '../report.js';
import { toolCallText, toolResultText } from '../text.js';
import type { ReaderOptions, Transcript, TranscriptMessage } from '../transcript.js';
import { isInjectedText, messageText, toolOutputText, userRequestText } from './content.js';

const bookkeepingTypes = new Set([
  'turn_context',
  'world_state',
  'token_usage_record',
  'inter_agent_communication',
  'inter_agent_communication_metadata',
  'retained_context',
  'security_risk_score',
  'realtime_item',
]);
const eventDuplicates = new Set([
  'user_message',
  'agent_message',
  'agent_reasoning',
  'agent_reasoning_raw_content',
]);

interface Candidate extends TranscriptMessage {
  /** Where the message came from: the model-facing item or the UI event that repeats it. */
  readonly from: 'item' | 'event';
}

/** State of one pass over a rollout file. */
class RolloutReader {
  readonly candidates: Candidate[] = [];
  sourceId: string | undefined;
  cwd: string | undefined;
  model: string | undefined;
  readonly #toolNames = new Map<string, string>();

  constructor(
    private readonly report: FileReport,
    private readonly options: ReaderOptions,
  ) {}

  read(record: Record<string, unknown>, key: string): void {
    const payload = isRecord(record.payload) ? record.payload : undefined;
    const type = stringOf(record.type);
    if (!type || !payload) {
      countSkip(this.report, 'invalid_record');
      return;
    }
    const timestamp = stringOf(record.timestamp);
    const add = (from: Candidate['from'], role: Candidate['role'], content: string): void => {
      this.candidates.push({ key, from, role, content, timestamp });
    };
    if (type === 'session_meta') {
      this.sourceId ??= stringOf(payload.id);
      this.cwd ??= stringOf(payload.cwd);
      countSkip(this.report, 'bookkeeping');
      return;
    }
    if (type === 'turn_context') {
      this.cwd = stringOf(payload.cwd) ?? this.cwd;
      this.model = stringOf(payload.model) ?? this.model;
    }
    if (bookkeepingTypes.has(type)) {
      countSkip(this.report, 'bookkeeping');
      return;
    }
    if (type === 'compacted') {
      const summary = stringOf(payload.message)?.trim();
      add(
        'item',
        'system',
        summary ? `Conversation compacted. Summary:\n${summary}` : 'Conversation compacted.',
      );
      return;
    }
    if (type === 'response_item') {
      this.#item(payload, add);
      return;
    }
    if (type === 'event_msg') {
      this.#event(payload, add);
      return;
    }
    countSkip(this.report, 'unknown_record');
  }

  #item(
    payload: Record<string, unknown>,
    add: (from: 'item', role: Candidate['role'], text: string) => void,
  ): void {
    const { maxToolArgumentChars: argLimit, maxToolResultChars: resultLimit } = this.options;
    switch (payload.type) {
      case 'message': {
        const role = payload.role;
        const text = messageText(payload.content, this.report);
        if (role === 'developer' || role === 'system' || isInjectedText(text)) {
          countSkip(this.report, 'injected_context');
          return;
        }
        if (role !== 'user' && role !== 'assistant') {
          countSkip(this.report, 'invalid_record');
          return;
        }
        const shown = role === 'user' ? userRequestText(text) : text;
        if (shown.trim() === '') {
          countSkip(this.report, 'empty');
          return;
        }
        add('item', role, shown);
        return;
      }
      case 'reasoning': {
        countSkip(this.report, 'reasoning');
        return;
      }
      case 'function_call':
      case 'custom_tool_call':
      case 'local_shell_call': {
        const name = stringOf(payload.name) ?? (payload.type === 'local_shell_call' ? 'shell' : 'tool');
        this.#toolNames.set(stringOf(payload.call_id) ?? '', name);
        add(
          'item',
          'tool',
          toolCallText(name, payload.arguments ?? payload.input ?? payload.action, argLimit),
        );
        return;
      }
      case 'web_search_call': {
        add('item', 'tool', toolCallText('web_search', payload.action, argLimit));
        return;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const name = this.#toolNames.get(stringOf(payload.call_id) ?? '') ?? 'tool';
        add('item', 'tool', toolResultText(name, toolOutputText(payload.output, this.report), resultLimit));
        return;
      }
      default: {
        countSkip(this.report, 'unknown_record');
        return;
      }
    }
  }

  #event(
    payload: Record<string, unknown>,
    add: (from: 'event', role: Candidate['role'], text: string) => void,
  ): void {
    if (!eventDuplicates.has(String(payload.type))) {
      countSkip(this.report, 'bookkeeping');
      return;
    }
    if (payload.type === 'user_message') {
      const images = [payload.images, payload.local_images].filter(Array.isArray).flat().length;
      countSkip(this.report, 'image', images);
      const text = stringOf(payload.message) ?? '';
      if (isInjectedText(text)) {
        countSkip(this.report, 'injected_context');
        return;
      }
      add('event', 'user', userRequestText(text));
      return;
    }
    if (payload.type === 'agent_message') {
      add('event', 'assistant', stringOf(payload.message) ?? '');
      return;
    }
    countSkip(this.report, 'reasoning');
  }
}

/**
 * Codex writes the user's prompt and the model's answer twice: as a `response_item` message (what
 * the model saw) and as an `event_msg` (what the UI showed). The items are kept; the events are
 * used for a role only when the file has no item of that role (older or cut files).
 */
function dropDuplicates(candidates: readonly Candidate[], report: FileReport): TranscriptMessage[] {
  const hasItem = (role: Candidate['role']) => candidates.some((c) => c.from === 'item' && c.role === role);
  const useItems = { user: hasItem('user'), assistant: hasItem('assistant') };
  const kept: TranscriptMessage[] = [];
  for (const candidate of candidates) {
    const duplicate =
      candidate.from === 'event' && (candidate.role === 'user' ? useItems.user : useItems.assistant);
    if (duplicate) countSkip(report, 'duplicate');
    else if (candidate.content.trim() === '') countSkip(report, 'empty');
    else
      kept.push({
        key: candidate.key,
        role: candidate.role,
        content: candidate.content,
        timestamp: candidate.timestamp,
      });
  }
  return kept;
}

/** Reads one Codex rollout file into a transcript, or undefined when it is not a rollout. */
export function readCodex(
  bytes: Uint8Array,
  path: string,
  report: FileReport,
  options: ReaderOptions,
): Transcript | undefined {
  const reader = new RolloutReader(report, options);
  const seen = new Set<string>();
  let shaped = 0;
  for (const { line, record } of parseJsonLines(splitLines(bytes, report), report)) {
    if (typeof record.type === 'string' && isRecord(record.payload)) shaped += 1;
    if (seen.has(line.text)) {
      countSkip(report, 'duplicate');
      continue;
    }
    seen.add(line.text);
    reader.read(record, `L${line.number}`);
  }
  if (shaped === 0) return undefined;
  const fromName = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i.exec(
    basename(path),
  )?.[1];
  return {
    sourceId: reader.sourceId ?? fromName ?? basename(path).replace(/\.jsonl$/, ''),
    cwd: reader.cwd,
    provider: 'openai',
    model: reader.model,
    title: undefined,
    messages: dropDuplicates(reader.candidates, report),
  };
}
