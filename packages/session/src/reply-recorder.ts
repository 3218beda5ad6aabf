import {
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

/**
 * Journals one streaming reply as it arrives (docs/architecture.md, streamed replies). Text is
 * pushed piece by piece; at most one `reply_text` append is in flight, and everything pushed
 * while it waits for its fsync goes into the next one: one record per fsync, not one per token,
 * so a fast stream is group-committed and a slow one is still saved piece by piece. A kill at any
 * moment leaves a journal whose replay holds the reply so far, marked `partial`.
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

  /** Resolves once every pushed piece is durable; the first journal failure, if any. */
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
    const flushed = await this.flush();
    if (!flushed.ok) return flushed;
    const usage = end.usage !== undefined && Object.keys(end.usage).length > 0 ? end.usage : undefined;
    const change: SessionChange = {
      type: 'reply_end',
      id: this.#parts.id,
      partial: end.partial,
      ...(usage === undefined ? {} : { usage, cumulative_usage: sumUsage(this.#parts.cumulative(), usage) }),
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
    const text = this.#pending.slice(0, room);
    this.#pending = '';
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

/** `total` plus `added`, field by field; costs kept to a millionth of a dollar. */
export function sumUsage(total: Usage | undefined, added: Usage): Usage {
  const sum: Record<string, number> = { ...(total ?? {}) };
  for (const [key, value] of Object.entries(added)) {
    const next = (sum[key] ?? 0) + value;
    sum[key] = key === 'total_cost' ? Math.round(next * 1_000_000) / 1_000_000 : next;
  }
  return sum;
}
