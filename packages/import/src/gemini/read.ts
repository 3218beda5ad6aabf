import { basename } from 'node:path';
import { decodeUtf8, isRecord, parseObject, splitLines, stringOf } from '../lines.js';
import { countSkip, type FileReport } from '../report.js';
import { toolCallText, toolResultText } from '../text.js';
import type { ReaderOptions, Transcript, TranscriptMessage } from '../transcript.js';
import { fromWholeJson, type GeminiConversation, replayJsonl } from './conversation.js';

/** Text of a Gemini `content`/`displayContent`: a string or Part[]; inline files are counted. */
function partsText(content: unknown, report: FileReport): string {
  if (typeof content === 'string') return content;
  const parts = Array.isArray(content) ? content : isRecord(content) ? [content] : [];
  const texts: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') texts.push(part);
    else if (!isRecord(part)) continue;
    else if (typeof part.text === 'string' && part.thought !== true) texts.push(part.text);
    else if (isRecord(part.inlineData))
      countSkip(report, String(part.inlineData.mimeType ?? '').startsWith('image/') ? 'image' : 'attachment');
    else if (isRecord(part.fileData)) countSkip(report, 'attachment');
  }
  return texts.join('\n');
}

function toolResult(call: Record<string, unknown>, report: FileReport): string {
  const responses = Array.isArray(call.result) ? call.result : [];
  const outputs: string[] = [];
  for (const entry of responses) {
    const response =
      isRecord(entry) && isRecord(entry.functionResponse) ? entry.functionResponse.response : undefined;
    if (isRecord(response))
      outputs.push(stringOf(response.output) ?? stringOf(response.error) ?? JSON.stringify(response));
    else if (isRecord(entry)) outputs.push(partsText(entry, report));
  }
  if (outputs.length === 0 && typeof call.resultDisplay === 'string') outputs.push(call.resultDisplay);
  return outputs.join('\n');
}

function messagesOf(
  record: Record<string, unknown>,
  report: FileReport,
  options: ReaderOptions,
): TranscriptMessage[] {
  const key = stringOf(record.id) ?? 'message';
  const timestamp = stringOf(record.timestamp);
  const out: TranscriptMessage[] = [];
  if (record.type === 'user') {
    const display =
      record.displayContent === undefined ? undefined : partsText(record.displayContent, report);
    const text = display ?? partsText(record.content, report);
    if (display !== undefined && display.trim() === '') countSkip(report, 'injected_context');
    else if (text.trim() === '') countSkip(report, 'empty');
    else out.push({ key, role: 'user', content: text, timestamp });
    return out;
  }
  if (record.type !== 'gemini') {
    countSkip(
      report,
      ['info', 'error', 'warning'].includes(String(record.type)) ? 'notice' : 'unknown_record',
    );
    return out;
  }
  if (Array.isArray(record.thoughts) && record.thoughts.length > 0) countSkip(report, 'reasoning');
  const text = partsText(record.content, report);
  if (text.trim() !== '') out.push({ key, role: 'assistant', content: text, timestamp });
  const calls = Array.isArray(record.toolCalls) ? record.toolCalls.filter(isRecord) : [];
  calls.forEach((call, index) => {
    const name = stringOf(call.name) ?? 'tool';
    const time = stringOf(call.timestamp) ?? timestamp;
    out.push({
      key: `${key}:call${index}`,
      role: 'tool',
      content: toolCallText(name, call.args, options.maxToolArgumentChars),
      timestamp: time,
    });
    out.push({
      key: `${key}:result${index}`,
      role: 'tool',
      content: toolResultText(name, toolResult(call, report), options.maxToolResultChars),
      timestamp: time,
    });
  });
  if (out.length === 0) countSkip(report, 'empty');
  return out;
}

/** Parses either form: a whole-JSON object, else JSONL with appended updates and rewinds. */
function conversationOf(bytes: Uint8Array, report: FileReport): GeminiConversation | undefined {
  const { text, valid } = decodeUtf8(bytes);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') && trimmed.includes('"messages"')) {
    const whole = parseObject(text);
    if (whole) {
      if (!valid) report.notes.nonUtf8Lines += 1;
      return fromWholeJson(whole, report);
    }
  }
  return replayJsonl(splitLines(bytes, report), report);
}

/** Reads one Gemini CLI chat recording (`.json` or `.jsonl`); undefined when it is neither. */
export function readGemini(
  bytes: Uint8Array,
  path: string,
  report: FileReport,
  options: ReaderOptions,
  projectRoot: string | undefined,
): Transcript | undefined {
  const conversation = conversationOf(bytes, report);
  if (!conversation) return undefined;
  const messages = conversation.messages.flatMap((record) => messagesOf(record, report, options));
  const model = conversation.messages
    .map((record) => stringOf(record.model))
    .find((name) => name !== undefined);
  return {
    sourceId: stringOf(conversation.metadata.sessionId) || basename(path).replace(/\.jsonl?$/, ''),
    cwd: projectRoot,
    provider: 'google',
    model,
    title: stringOf(conversation.metadata.summary),
    messages,
  };
}
