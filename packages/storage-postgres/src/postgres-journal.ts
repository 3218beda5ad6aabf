import { err, JidoError, type JsonValue, ok, type Result } from '@jido-code/core-schema';
import {
  encodeJournalLine,
  type JournalSigner,
  type JournalWriterStats,
  type SessionJournal,
} from '@jido-code/storage';
import { type JournalRows, journalLeaseLost } from './journal-rows.js';
import type { Fence } from './session-rows.js';

/** Where a {@link PostgresJournal} continues: the verified journal so far. */
export interface JournalPosition {
  readonly nextSeq: number;
  readonly lastMac: string;
  readonly size: number;
}

/** What a {@link PostgresJournal} writes with. */
export interface PostgresJournalParts {
  readonly rows: JournalRows;
  readonly sessionId: string;
  /** The fencing token of the lease this process held when it opened the journal. */
  readonly fence: Fence;
  readonly signer: JournalSigner;
  readonly now: () => Date;
  readonly maxBytes: number;
}

interface PendingAppend {
  readonly seq: number;
  readonly bytes: Buffer;
  readonly settle: (result: Result<{ seq: number }>) => void;
}

/**
 * One session's journal in PostgreSQL: each record is signed and chained exactly like a line of
 * the file journal, and acknowledged once its row committed. Appends that arrive while a batch is
 * being inserted share the next single multi-row INSERT (group commit). Every INSERT carries the
 * lease's fencing token; once the lease is lost, or an INSERT fails (its outcome is then unknown),
 * the journal is poisoned like the file writer: that batch and every later append fail, and
 * reopening (which re-reads and verifies the rows) is the way back.
 */
export class PostgresJournal implements SessionJournal {
  readonly #parts: PostgresJournalParts;
  #nextSeq: number;
  #lastMac: string;
  #reserved: number;
  #pending: PendingAppend[] = [];
  #flushing: Promise<void> | undefined;
  #failure: JidoError | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  #syncs = 0;
  #records = 0;

  constructor(parts: PostgresJournalParts, position: JournalPosition) {
    this.#parts = parts;
    this.#nextSeq = position.nextSeq;
    this.#lastMac = position.lastMac;
    this.#reserved = position.size;
  }

  get sessionId(): string {
    return this.#parts.sessionId;
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** Commits made (one per batch) and records written. */
  get stats(): JournalWriterStats {
    return { syncs: this.#syncs, records: this.#records };
  }

  /**
   * Resolves once the record's row committed. Invalid data, or data that would grow the journal
   * past its limit, is refused at once without writing or poisoning. Never throws.
   */
  append(type: string, data: JsonValue): Promise<Result<{ seq: number }>> {
    if (this.#failure !== undefined) {
      // A lost lease stays the answer: the user is told another process took the session over.
      if (this.#failure.code === 'lease_lost') return Promise.resolve(err(this.#failure));
      return Promise.resolve(
        err(
          new JidoError('io_error', 'The session journal failed earlier and accepts no more changes.', {
            cause: this.#failure,
            details: { id: this.sessionId, code: this.#failure.code },
          }),
        ),
      );
    }
    if (this.#closed) {
      return Promise.resolve(err(new JidoError('io_error', 'The session journal is closed.')));
    }
    let at: string;
    try {
      at = this.#parts.now().toISOString();
    } catch (cause) {
      return Promise.resolve(
        err(new JidoError('invalid_value', 'The clock gave an invalid time.', { cause })),
      );
    }
    const seq = this.#nextSeq;
    const encoded = encodeJournalLine(
      { seq, at, type, data },
      { sessionId: this.sessionId, prev: this.#lastMac },
      this.#parts.signer,
    );
    if (!encoded.ok) return Promise.resolve(encoded);
    const { bytes, mac } = encoded.value;
    if (this.#reserved + bytes.length > this.#parts.maxBytes) {
      return Promise.resolve(
        err(
          new JidoError('too_large', 'The session journal is full.', {
            details: { id: this.sessionId, maxBytes: this.#parts.maxBytes },
          }),
        ),
      );
    }
    this.#nextSeq = seq + 1;
    this.#lastMac = mac;
    this.#reserved += bytes.length;
    return new Promise((settle) => {
      this.#pending.push({ seq, bytes, settle });
      this.#flushing ??= this.#drain();
    });
  }

  /** Waits for appends in flight, then lets go. Later appends fail. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#closeOnce();
    return this.#closing;
  }

  async #closeOnce(): Promise<void> {
    this.#closed = true;
    while (this.#flushing !== undefined) await this.#flushing;
  }

  /** Inserts batches, one statement at a time, until none is pending. Never rejects. */
  async #drain(): Promise<void> {
    // One microtask lets appends issued in the same synchronous burst join the first batch.
    await Promise.resolve();
    for (;;) {
      const batch = this.#pending;
      if (batch.length === 0) {
        this.#flushing = undefined;
        return;
      }
      this.#pending = [];
      const failure = await this.#insert(batch);
      if (failure !== undefined) {
        this.#fail(failure, batch);
        return;
      }
      for (const append of batch) append.settle(ok({ seq: append.seq }));
    }
  }

  async #insert(batch: readonly PendingAppend[]): Promise<JidoError | undefined> {
    const { rows, sessionId, fence } = this.#parts;
    this.#syncs += 1;
    try {
      const written = await rows.insert(
        sessionId,
        fence,
        batch.map((append) => append.seq),
        batch.map((append) => append.bytes),
      );
      if (!written) return journalLeaseLost(sessionId, fence);
    } catch (cause) {
      return cause instanceof JidoError
        ? cause
        : new JidoError('io_error', 'The change could not be saved to the session journal.', { cause });
    }
    this.#records += batch.length;
    return undefined;
  }

  /** The journal fails for good: these appends and every pending one settle with `failure`. */
  #fail(failure: JidoError, batch: readonly PendingAppend[]): void {
    this.#failure = failure;
    const abandoned = this.#pending;
    this.#pending = [];
    for (const append of [...batch, ...abandoned]) append.settle(err(failure));
    this.#flushing = undefined;
  }
}
