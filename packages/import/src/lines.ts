import { countSkip, type FileReport } from './report.js';

/** One line of a JSONL source, decoded. */
export interface SourceLine {
  /** 1-based line number. */
  readonly number: number;
  /** The text without its line ending. */
  readonly text: string;
  /** True for a last line with no newline after it (possibly cut off by the writer). */
  readonly unterminated: boolean;
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8');

/**
 * Decodes bytes as UTF-8. Invalid sequences become U+FFFD instead of failing; the caller learns
 * whether any were replaced. A leading byte-order mark is dropped.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: strictDecoder.decode(bytes), valid: true };
  } catch {
    return { text: lenientDecoder.decode(bytes), valid: false };
  }
}

/**
 * Splits a JSONL file into decoded lines, skipping blank ones. CRLF endings and bytes that are
 * not UTF-8 are tolerated and counted in the report's notes.
 */
export function splitLines(bytes: Uint8Array, report: FileReport): SourceLine[] {
  const whole = decodeUtf8(bytes);
  return whole.valid ? splitText(whole.text, report) : splitBytes(bytes, report);
}

/** The fast path: the whole file is valid UTF-8, so split the decoded text. */
function splitText(text: string, report: FileReport): SourceLine[] {
  const lines: SourceLine[] = [];
  const parts = text.split('\n');
  parts.forEach((part, index) => {
    const unterminated = index === parts.length - 1;
    if (unterminated && part === '') return;
    let line = part;
    if (line.endsWith('\r')) {
      line = line.slice(0, -1);
      report.notes.crlfLines += 1;
    }
    if (line.trim() !== '') lines.push({ number: index + 1, text: line, unterminated });
  });
  return lines;
}

/** The careful path: decode line by line, counting the lines whose bytes are not UTF-8. */
function splitBytes(bytes: Uint8Array, report: FileReport): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = 0;
  let number = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    const unterminated = end === -1;
    if (unterminated) end = bytes.length;
    number += 1;
    let stop = end;
    if (stop > start && bytes[stop - 1] === 0x0d) {
      stop -= 1;
      report.notes.crlfLines += 1;
    }
    const { text, valid } = decodeUtf8(bytes.subarray(start, stop));
    if (!valid) report.notes.nonUtf8Lines += 1;
    if (text.trim() !== '') lines.push({ number, text, unterminated });
    start = end + 1;
  }
  return lines;
}

/** A JSON object, or undefined when the text is not one. */
export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** True for a plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a string, else undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Parses each line as a JSON object. Lines that are not are counted (`malformed_line`, or
 * `torn_last_line` for an unterminated last line) and left out.
 */
export function parseJsonLines(
  lines: readonly SourceLine[],
  report: FileReport,
): { line: SourceLine; record: Record<string, unknown> }[] {
  const parsed: { line: SourceLine; record: Record<string, unknown> }[] = [];
  for (const line of lines) {
    report.records += 1;
    const record = parseObject(line.text);
    if (record) parsed.push({ line, record });
    else countSkip(report, line.unterminated ? 'torn_last_line' : 'malformed_line');
  }
  return parsed;
}
