import {
  addUsage,
  err,
  type JidoError,
  limits,
  type Message,
  ok,
  type Result,
  type Usage,
} from '@jido-code/core-schema';
import type { SessionChange } from './journal-records.js';

/** What a {@link ReplyRecorder} needs from its live session. */
export interface ReplyRecorderParts {
  /** The reply's message id (its `message` record, marked partial, is already journaled). */
  readonly id: string;
  /** Journals a change and applies it once durable (the live session's one write path). */
  readonly journal: (change: SessionChange) => Promise<Result<unknown>>;
  /** The reply's text as applied so far (after redaction), or undefined once it is gone. */
  readonly current: () => Message | undefined;
  /** The session's `cumulative_usage` as it stands. */
  readonly cumulative: () => Usage | undefined;
}

/** How a reply ended, for {@link ReplyRecorder.finish}. */
export interface ReplyEnd {
  /** True when the reply did not finish (stopped, failed mid-stream). */
  readonly partial: boolean;
  /** The reply's token counts and cost; added to the session's `cumulative_usage`. */
  readonly usage?: Usage | undefined;
}

/** The longest unfinished line held back before its start is journaled anyway. */
export const maxHeldBack = 4096;
/** What stays held back of a line longer than {@link maxHeldBack}. */
const heldTail = 512;

/**
 * How much of `text`, streamed text not yet journaled, may be journaled now. Each record is redacted
 * on its own, so a secret split across two records (or a key name on one side and its value on the
 * other) would be missed: only whole lines are journaled, and a private key's block only once its
 * END line is there. A line longer than {@link maxHeldBack} is journaled up to a space before its
 * last {@link heldTail} characters, so that the hold stays bounded.
 */
export function journalableLength(text: string): number {
  let end = text.lastIndexOf('\n') + 1;
  const begin = text.lastIndexOf('-----BEGIN');
  if (begin !== -1) {
    const close = text.indexOf('-----END', begin);
    const closed = close !== -1 && text.indexOf('\n', close) !== -1 && text.indexOf('\n', close) < end;
    if (!closed) end = Math.min(end, text.lastIndexOf('\n', begin) + 1);
  }
  if (text.length - end > maxHeldBack) {
    const limit = text.length - heldTail;
    const space = text.slice(end, limit).search(/\s\S*$/);
    end = space === -1 ? limit : end + space + 1;
  }
  return end;
}

/**
 * Journals one streaming reply as it arrives (docs/architecture.md, streamed replies). Text is
 * pushed piece by piece; at most one `reply_text` append is in flight, and everything pushed
 * while it waits for its fsync goes into the next one: one record per fsync, not one per token,
 * so a fast stream is group-committed and a slow one is still saved line by line. The unfinished
 * last line is held back until it ends (see {@link journalableLength}), so that redaction sees
 * every secret whole. A kill at any moment leaves a journal whose replay holds the reply up to its
 * last finished line, marked `partial`; a stop or an error journals all of it.
 */
export class ReplyRecorder {
  readonly #parts: ReplyRecorderParts;
  #pending = '';
  #inFlight: Promise<void> | undefined;
  #failure: JidoError | undefined;
  #finished = false;
  #records = 0;
  #pushes = 0;

  constructor(parts: ReplyRecorderParts) {
    this.#parts = parts;
  }

  /** The reply's message id. */
  get id(): string {
    return this.#parts.id;
  }

  /** `reply_text` records journaled so far, and pieces pushed (records ≤ pieces: group commit). */
  get stats(): { readonly records: number; readonly pushes: number } {
    return { records: this.#records, pushes: this.#pushes };
  }

  /** Adds streamed text; it is journaled in the background, in order. */
  push(text: string): void {
    if (this.#finished || text.length === 0) return;
    this.#pushes += 1;
    this.#pending += text;
    this.#pump();
  }

  /**
   * Resolves once every pushed piece is durable, except an unfinished last line, which waits for
   * its end or for {@link finish}; the first journal failure, if any.
   */
  async flush(): Promise<Result<void>> {
    while (this.#inFlight !== undefined) await this.#inFlight;
    return this.#failure === undefined ? ok(undefined) : err(this.#failure);
  }

  /**
   * Journals the end of the reply: its `partial` flag, its usage and the session's new
   * `cumulative_usage`, after every pushed piece. Later pushes are ignored.
   */
  async finish(end: ReplyEnd): Promise<Result<Message>> {
    this.#finished = true;
    await this.flush();
    this.#pump();
    const flushed = await this.flush();
    if (!flushed.ok) return flushed;
    const usage = end.usage !== undefined && Object.keys(end.usage).length > 0 ? end.usage : undefined;
    const change: SessionChange = {
      type: 'reply_end',
      id: this.#parts.id,
      partial: end.partial,
      ...(usage === undefined ? {} : { usage, cumulative_usage: addUsage(this.#parts.cumulative(), usage) }),
    };
    const ended = await this.#parts.journal(change);
    if (!ended.ok) return ended;
    const message = this.#parts.current();
    return message === undefined ? err(this.#failure as JidoError) : ok(message);
  }

  #pump(): void {
    if (this.#inFlight !== undefined || this.#pending === '' || this.#failure !== undefined) return;
    const at = this.#parts.current()?.content.length ?? 0;
    // A reply never grows past the longest message a session file accepts.
    const room = Math.max(0, limits.maxMessageLength - at);
    const ready = this.#finished ? this.#pending.length : journalableLength(this.#pending);
    const text = this.#pending.slice(0, Math.min(ready, room));
    this.#pending = room <= ready ? '' : this.#pending.slice(ready);
    if (text === '') return;
    this.#inFlight = this.#parts
      .journal({ type: 'reply_text', id: this.#parts.id, at, text })
      .then((result) => {
        if (result.ok) this.#records += 1;
        else this.#failure = result.error;
        this.#inFlight = undefined;
        this.#pump();
      });
  }
}
