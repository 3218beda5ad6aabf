import { basename } from 'node:path';
import { isRecord, parseJsonLines, splitLines, stringOf } from '../lines.js';
import { countSkip, type FileReport } from '../report.js';
import { toolCallText, toolResultText } from '../text.js';
import type { ReaderOptions, Transcript, TranscriptMessage } from '../transcript.js';
import { isInjectedUserText, slashCommandText, toolResultContent } from './content.js';
import { type ClaudeRecord, chooseBranch } from './tree.js';

const conversationTypes = new Set(['user', 'assistant']);
const bookkeepingTypes = new Set(['system', 'progress', 'file-history-snapshot', 'queue-operation']);

/** Emits the messages of one Claude Code record, in block order. */
class MessageCollector {
  readonly messages: TranscriptMessage[] = [];
  readonly #toolNames = new Map<string, string>();
  /** `message.id` of the assistant message last emitted: its next text fragment joins it. */
  #lastReplyId: string | undefined;

  constructor(
    private readonly report: FileReport,
    private readonly options: ReaderOptions,
  ) {}

  rememberToolNames(records: readonly ClaudeRecord[]): void {
    for (const { record } of records) {
      const content = isRecord(record.message) ? record.message.content : undefined;
      if (!Array.isArray(content)) continue;
      for (const block of content)
        if (isRecord(block) && block.type === 'tool_use' && typeof block.id === 'string')
          this.#toolNames.set(block.id, stringOf(block.name) ?? 'tool');
    }
  }

  add(entry: ClaudeRecord, prefix: string): void {
    const { record } = entry;
    const key = stringOf(record.uuid) ?? `line-${entry.line}`;
    const timestamp = stringOf(record.timestamp);
    const replyId =
      record.type === 'assistant' && isRecord(record.message) ? stringOf(record.message.id) : undefined;
    const push = (role: TranscriptMessage['role'], content: string, suffix = ''): void => {
      const last = this.messages.at(-1);
      if (
        role === 'assistant' &&
        replyId !== undefined &&
        replyId === this.#lastReplyId &&
        last?.role === 'assistant'
      ) {
        this.messages[this.messages.length - 1] = { ...last, content: `${last.content}\n\n${content}` };
        return;
      }
      this.messages.push({ key: `${key}${suffix}`, role, content: `${prefix}${content}`, timestamp });
      this.#lastReplyId = role === 'assistant' ? replyId : undefined;
    };
    if (record.type === 'system') {
      countSkip(this.report, 'bookkeeping');
      return;
    }
    const message = isRecord(record.message) ? record.message : undefined;
    if (!message) {
      countSkip(this.report, 'invalid_record');
      return;
    }
    if (record.type === 'user' && record.isCompactSummary === true) {
      push('system', `Conversation compacted. Summary:\n${toolResultContent(message.content, this.report)}`);
      return;
    }
    if (record.isMeta === true) {
      countSkip(this.report, 'injected_context');
      return;
    }
    const content = message.content;
    if (typeof content === 'string') {
      this.#addText(record.type === 'assistant' ? 'assistant' : 'user', content, push);
      return;
    }
    if (!Array.isArray(content)) {
      countSkip(this.report, 'invalid_record');
      return;
    }
    content.forEach((block, index) => {
      this.#addBlock(record.type, block, (role, text) => push(role, text, `:${index}`));
    });
  }

  #addText(
    role: 'user' | 'assistant',
    text: string,
    push: (role: 'user' | 'assistant', text: string) => void,
  ): void {
    if (role === 'user' && isInjectedUserText(text)) {
      countSkip(this.report, 'injected_context');
      return;
    }
    const shown = role === 'user' ? (slashCommandText(text) ?? text) : text;
    if (shown.trim() === '') {
      countSkip(this.report, 'empty');
      return;
    }
    push(role, shown);
  }

  #addBlock(
    type: unknown,
    block: unknown,
    push: (role: TranscriptMessage['role'], text: string) => void,
  ): void {
    if (!isRecord(block)) {
      countSkip(this.report, 'invalid_record');
      return;
    }
    const role = type === 'assistant' ? 'assistant' : 'user';
    switch (block.type) {
      case 'text': {
        this.#addText(role, stringOf(block.text) ?? '', push);
        return;
      }
      case 'thinking':
      case 'redacted_thinking': {
        countSkip(this.report, 'reasoning');
        return;
      }
      case 'image': {
        countSkip(this.report, 'image');
        return;
      }
      case 'document': {
        countSkip(this.report, 'attachment');
        return;
      }
      case 'tool_use': {
        push(
          'tool',
          toolCallText(stringOf(block.name) ?? 'tool', block.input, this.options.maxToolArgumentChars),
        );
        return;
      }
      case 'tool_result': {
        const name = this.#toolNames.get(stringOf(block.tool_use_id) ?? '') ?? 'tool';
        const text = toolResultContent(block.content, this.report);
        push('tool', toolResultText(name, text, this.options.maxToolResultChars));
        return;
      }
      default: {
        countSkip(this.report, 'unknown_record');
        return;
      }
    }
  }
}

/** Records of the file, classified; the ones that carry no conversation are counted here. */
function classify(bytes: Uint8Array, report: FileReport): { records: ClaudeRecord[]; title?: string } {
  const records: ClaudeRecord[] = [];
  let title: string | undefined;
  for (const { line, record } of parseJsonLines(splitLines(bytes, report), report)) {
    const type = stringOf(record.type);
    if (type === 'summary') {
      title ??= stringOf(record.summary);
      countSkip(report, 'bookkeeping');
    } else if (type && (conversationTypes.has(type) || bookkeepingTypes.has(type))) {
      records.push({ line: line.number, record });
    } else countSkip(report, 'unknown_record');
  }
  return title === undefined ? { records } : { records, title };
}

/**
 * Reads one Claude Code session file (plus, with sidechains included, its subagent files) into a
 * transcript: the branch ending at the latest leaf, assistant fragments in block order, tool
 * calls and results as compact `tool` messages.
 */
export function readClaudeCode(
  bytes: Uint8Array,
  path: string,
  report: FileReport,
  options: ReaderOptions,
  subagentFiles: readonly Uint8Array[] = [],
): Transcript | undefined {
  const { records, title } = classify(bytes, report);
  const conversation = records.filter((entry) => conversationTypes.has(String(entry.record.type)));
  if (records.length === 0) return undefined;
  const branch = chooseBranch(records, report, options.includeSidechains);
  const collector = new MessageCollector(report, options);
  collector.rememberToolNames(records);
  for (const entry of branch.records) collector.add(entry, '');
  if (options.includeSidechains) {
    const sidechains = [...branch.sidechains];
    for (const file of subagentFiles) {
      const sub = classify(file, report);
      collector.rememberToolNames(sub.records);
      sidechains.push(...sub.records.filter((entry) => conversationTypes.has(String(entry.record.type))));
    }
    const start = collector.messages.length;
    for (const entry of sidechains) collector.add(entry, '[subagent] ');
    for (const message of collector.messages.splice(start)) insertByTime(collector.messages, message);
  }
  const first = conversation.find((entry) => typeof entry.record.sessionId === 'string');
  const leaf = branch.records.at(-1)?.record ?? first?.record;
  const model = conversation
    .map((entry) => entry.record.message)
    .find((message) => isRecord(message) && typeof message.model === 'string');
  return {
    sourceId: stringOf(first?.record.sessionId) ?? basename(path).replace(/\.jsonl$/, ''),
    cwd: stringOf(leaf?.cwd) ?? stringOf(first?.record.cwd),
    provider: 'anthropic',
    model: isRecord(model) ? stringOf(model.model) : undefined,
    title,
    messages: collector.messages,
  };
}

/** Inserts a message after every message not later than it (stable for equal times). */
function insertByTime(messages: TranscriptMessage[], message: TranscriptMessage): void {
  const time = message.timestamp ?? '';
  let index = messages.length;
  while (index > 0 && (messages[index - 1]?.timestamp ?? '') > time) index -= 1;
  messages.splice(index, 0, message);
}
