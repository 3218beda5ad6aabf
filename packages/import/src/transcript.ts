import type { MessageRole } from '@jido-code/core-schema';

/** A message as a reader found it, before limits and ids are applied. */
export interface TranscriptMessage {
  /** Stable key from the source (record id or line number), unique within the file. */
  readonly key: string;
  readonly role: MessageRole;
  readonly content: string;
  /** The source's timestamp, as written (normalized later). */
  readonly timestamp: string | undefined;
}

/** What a reader extracts from one source file: the tool-neutral form of a session. */
export interface Transcript {
  /** The tool's own session id. */
  sourceId: string;
  /** The project folder, when the file says. */
  cwd: string | undefined;
  /** LLM provider and model, when the file says. */
  provider: string;
  model: string | undefined;
  /** A title the tool stored, when there is one. */
  title: string | undefined;
  /** Messages in conversation order. */
  messages: TranscriptMessage[];
}

/** The settings every reader shares. */
export interface ReaderOptions {
  /** Import subagent (sidechain) records too. */
  readonly includeSidechains: boolean;
  /** Longest tool-call argument summary, in characters. */
  readonly maxToolArgumentChars: number;
  /** Longest tool-result summary, in characters. */
  readonly maxToolResultChars: number;
}
