/** The assistants whose session files can be imported. */
export const importTools = ['claude-code', 'codex', 'gemini'] as const;
/** One of {@link importTools}. */
export type ImportTool = (typeof importTools)[number];

/**
 * Why a record (a line, or a part of one) of a source file was not turned into a message. Every
 * reason is counted per file; the catalogue is closed so scripts can rely on it.
 */
export const skipReasons = [
  /** The line is not JSON, or not a JSON object. */
  'malformed_line',
  /** The last line has no newline and does not parse: the writer was cut off (no fsync). */
  'torn_last_line',
  /** A record type this reader does not know. */
  'unknown_record',
  /** A known record type missing the fields it needs. */
  'invalid_record',
  /** Bookkeeping with no conversation in it (progress, snapshots, token counts, turn context). */
  'bookkeeping',
  /** Injected context rather than a typed prompt (meta lines, environment and instructions blocks). */
  'injected_context',
  /** A subagent (sidechain) record, left out unless sidechains are included. */
  'sidechain',
  /** A record on a branch of the conversation tree other than the one imported. */
  'other_branch',
  /** A record that repeats another (Codex writes most things twice; Gemini re-appends updates). */
  'duplicate',
  /** A message removed by a rewind (Gemini `$rewindTo`). */
  'rewound',
  /** Model reasoning ("thinking"), which is not kept. */
  'reasoning',
  /** An image, which is not kept. */
  'image',
  /** A file or document attachment, which is not kept. */
  'attachment',
  /** A UI notice (Gemini info, warning, error records). */
  'notice',
  /** A record whose text is empty. */
  'empty',
] as const;
/** One of {@link skipReasons}. */
export type SkipReason = (typeof skipReasons)[number];

/** Why a whole file was skipped or failed. */
export const fileReasons = [
  /** Nothing to import once skipped records are left out. */
  'empty_session',
  /** Outside `--project` or `--since`. */
  'filtered_out',
  /** A file another one supersedes (Gemini `.json` migrated to `.jsonl`). */
  'superseded',
  /** The file is not in this tool's format. */
  'wrong_format',
  /** The file could not be read. */
  'unreadable',
  /** The file or the resulting session is over a size cap. */
  'too_large',
  /** The resulting session did not pass the schema. */
  'invalid_session',
  /** The reader hit an unexpected condition (a bug): the file is left alone and the run goes on. */
  'reader_error',
] as const;
/** One of {@link fileReasons}. */
export type FileReason = (typeof fileReasons)[number];

/** Facts about a file that did not stop its import. */
export interface FileNotes {
  /** Lines that held bytes that are not UTF-8 (imported with U+FFFD in their place). */
  nonUtf8Lines: number;
  /** Lines that ended in CRLF. */
  crlfLines: number;
  /** Messages cut to the length limit (and marked). */
  cutMessages: number;
  /** Set when the project path could not be found in the file and a fallback was used. */
  projectPathGuessed: boolean;
}

/** What happened to one source file. */
export interface FileReport {
  /** The source file. */
  readonly path: string;
  /** The tool that wrote it. */
  readonly tool: ImportTool;
  /** `imported`: a session was produced; `skipped`: nothing to do; `failed`: the file was refused. */
  status: 'imported' | 'skipped' | 'failed';
  /** Why it was skipped or failed. */
  reason?: FileReason;
  /** A user-safe sentence about a skip or failure. */
  message?: string;
  /** The tool's own session id, when found. */
  sourceId?: string;
  /** Records (lines, or array entries for whole-JSON files) read. */
  records: number;
  /** Messages in the produced session. */
  messages: number;
  /** Records left out, by reason (only non-zero reasons are present). */
  skipped: Partial<Record<SkipReason, number>>;
  /** See {@link FileNotes}. */
  notes: FileNotes;
}

/** A fresh report for a file about to be read. */
export function newFileReport(tool: ImportTool, path: string): FileReport {
  return {
    path,
    tool,
    status: 'imported',
    records: 0,
    messages: 0,
    skipped: {},
    notes: { nonUtf8Lines: 0, crlfLines: 0, cutMessages: 0, projectPathGuessed: false },
  };
}

/** Counts `count` records skipped for `reason`. */
export function countSkip(report: FileReport, reason: SkipReason, count = 1): void {
  if (count <= 0) return;
  report.skipped[reason] = (report.skipped[reason] ?? 0) + count;
}

/** Marks the report skipped or failed with a reason and a user-safe message. */
export function settle(
  report: FileReport,
  status: 'skipped' | 'failed',
  reason: FileReason,
  message: string,
): FileReport {
  report.status = status;
  report.reason = reason;
  report.message = message;
  return report;
}
