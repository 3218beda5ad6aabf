import { err, JidoError, type JsonValue, ok, type Result } from '@jido-code/core-schema';
import { reachCrashPoint } from '../crash-points.js';
import { errnoCode, type FileSystem } from '../fs/file-system.js';
import { batchBytes, writeBatchBytes } from './journal-batch-write.js';
import { JournalClock } from './journal-clock.js';
import { journalFull, journalRefusal } from './journal-errors.js';
import { closeQuietly, defaultJournalSyncMode, type JournalSyncMode } from './journal-file-io.js';
import { type PreparedJournalLine, prepareJournalLine, sealJournalLine } from './journal-line.js';
import { defaultJournalPreallocationBytes, preallocationPadding } from './journal-preallocation.js';
import type { JournalSigner } from './journal-signer.js';
import type { JournalWriterStats, SessionJournal } from './journal-store.js';
import {
  defaultJournalMaxBytes,
  type JournalWriterOptions,
  openJournalFile,
  type WriterState,
} from './journal-writer-open.js';

export { defaultJournalMaxBytes, type JournalWriterOptions } from './journal-writer-open.js';

interface PendingAppend {
  readonly seq: number;
  /** The encoded line, sealed or not once its batch is taken. */
  readonly line: PreparedJournalLine;
  /** The UTF-8 length of the unsealed line. */
  readonly bytes: number;
  readonly settle: (result: Result<{ seq: number }>) => void;
}

/** A taken batch as written: its lines, the last one sealing the others. */
interface SealedBatch {
  readonly text: string;
  /** Its UTF-8 length. */
  readonly bytes: number;
}

/** A written batch whose `fdatasync` is under way. */
interface SyncingBatch {
  readonly batch: readonly PendingAppend[];
  readonly sync: Promise<JidoError | undefined>;
}

/**
 * Appends signed, chained records to one session's journal, durably. `append` resolves only after
 * its line is on disk: written through the `O_DSYNC` descriptor, or written and `fdatasync`'ed (see
 * {@link JournalSyncMode}); appends that arrive while a flush is running share the next single
 * durable write (group commit), and one MAC, on the batch's last line, covers the batch's lines
 * and chains it to the previous batch. The first failed write or `fdatasync` fails
 * every append of that batch and poisons the writer: a failed `fdatasync` is never retried, because
 * after one the kernel may already have dropped the unwritten pages and a retry could falsely
 * succeed. Reopening (which re-reads and verifies the file) is the way back.
 */
export class JournalWriter implements SessionJournal {
  readonly #fs: FileSystem;
  readonly #signer: JournalSigner;
  readonly #clock: JournalClock;
  readonly #maxBytes: number;
  readonly #fd: number;
  readonly #path: string;
  readonly #sessionId: string;
  /** The descriptor is `O_DSYNC`: a batch is durable once its write returns. */
  readonly #dsync: boolean;
  #nextSeq: number;
  /** `canonicalJson` of the session id and of the last sealed line's MAC, which the next batch chains to. */
  readonly #sessionJson: string;
  #lastMacJson: string;
  /** Where the next batch is written: the end of everything written so far. */
  #written: number;
  /** Where the data will end once every pending append is written. */
  #reserved: number;
  /** The file's size, zeros ahead of the data included. */
  #allocated: number;
  #preallocateBytes: number;
  /**
   * The bytes a seal adds to a line (its MAC's JSON in place of `""`), as the last seal did: each
   * append leaves room for it under the size limit, since any line may end up sealing its batch.
   */
  #sealBytes: number;
  #pending: PendingAppend[] = [];
  #flushing: Promise<void> | undefined;
  /** Set while the drain waits on a sync with nothing to write: a new append wakes it. */
  #wake: (() => void) | undefined;
  #failure: JidoError | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  #syncs = 0;
  #records = 0;

  private constructor(state: WriterState) {
    this.#fs = state.options.fs;
    this.#signer = state.options.signer;
    this.#clock = new JournalClock(state.options.now);
    this.#maxBytes = state.options.maxBytes ?? defaultJournalMaxBytes;
    this.#sessionId = state.options.sessionId;
    this.#dsync = (state.options.syncMode ?? defaultJournalSyncMode) === 'dsync';
    this.#fd = state.fd;
    this.#path = state.path;
    this.#nextSeq = state.nextSeq;
    // The id matched the UUID pattern and the MAC comes from a line verified to be canonical JSON
    // (or is ''): plain strings whose JSON.stringify is their canonical JSON.
    this.#sessionJson = JSON.stringify(state.options.sessionId);
    this.#lastMacJson = JSON.stringify(state.lastMac);
    this.#sealBytes = sealBytesOf(this.#signer, this.#lastMacJson);
    this.#written = state.size;
    this.#reserved = state.size;
    this.#allocated = state.allocated;
    this.#preallocateBytes = state.options.preallocateBytes ?? defaultJournalPreallocationBytes;
  }

  /**
   * Opens (creating 0600, O_CREAT|O_EXCL|O_NOFOLLOW, then fsync of the directory) or continues an
   * existing journal (see {@link openJournalFile}).
   */
  static async open(options: JournalWriterOptions): Promise<Result<JournalWriter>> {
    const opened = await openJournalFile(options);
    return opened.ok ? ok(new JournalWriter(opened.value)) : opened;
  }

  /** The session this journal belongs to. */
  get sessionId(): string {
    return this.#sessionId;
  }

  /** The journal file's path. */
  get path(): string {
    return this.#path;
  }

  /** True once a write or `fdatasync` failed: every later append fails at once. */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** Test/bench observability: durable flushes made (`fdatasync` calls or `O_DSYNC` batch writes) and records written. */
  get stats(): JournalWriterStats {
    return { syncs: this.#syncs, records: this.#records };
  }

  /**
   * Resolves only after the line is written and fdatasync'ed (group commit: appends that arrive
   * while a flush is in progress share the next single write + fdatasync). Loops on short writes.
   * A failed write or fdatasync fails every append of that batch with io_error and poisons the
   * writer (later appends fail at once): a failed fsync is never retried. Data JSON cannot
   * represent (invalid_value, too_deep) or that would grow the journal past its limit (too_large)
   * is refused without writing anything and without poisoning. Never throws.
   */
  append(type: string, data: JsonValue): Promise<Result<{ seq: number }>> {
    const refused = journalRefusal(this.#failure, this.#closed, this.#path);
    if (refused !== undefined) return Promise.resolve(err(refused));
    const at = this.#clock.timestamp();
    if (!at.ok) return Promise.resolve(at);
    const seq = this.#nextSeq;
    const prepared = prepareJournalLine({ seq, at: at.value, type, data }, this.#lastMacJson);
    if (!prepared.ok) return Promise.resolve(prepared);
    const line = prepared.value;
    const length = Buffer.byteLength(line.unsealed, 'utf8');
    if (this.#reserved + length + this.#sealBytes > this.#maxBytes) {
      return Promise.resolve(err(journalFull(this.#path, this.#maxBytes)));
    }
    this.#nextSeq = seq + 1;
    this.#reserved += length;
    return new Promise((settle) => {
      this.#pending.push({ seq, line, bytes: length, settle });
      if (this.#flushing === undefined) this.#flushing = this.#drain();
      else this.#wake?.();
    });
  }

  /** Waits for in-flight appends to settle, then closes the file. Later appends fail. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#closeOnce();
    return this.#closing;
  }

  async #closeOnce(): Promise<void> {
    this.#closed = true;
    while (this.#flushing !== undefined) await this.#flushing;
    // Every acknowledged line was already fdatasync'ed, so a failing close loses nothing.
    await closeQuietly(this.#fs, this.#fd);
  }

  /**
   * Writes batches until none is pending. Never rejects: failures settle the appends instead. With
   * `O_DSYNC` a batch is acknowledged when its write returns. Otherwise the next batch's write
   * overlaps the previous batch's `fdatasync` (pipelined): a batch is acknowledged only once an
   * `fdatasync` that started after its write completed has returned.
   */
  async #drain(): Promise<void> {
    // One microtask lets appends issued in the same synchronous burst join the first batch.
    await Promise.resolve();
    let syncing: SyncingBatch | undefined;
    for (;;) {
      const batch = this.#pending;
      if (batch.length === 0) {
        if (syncing !== undefined) {
          // Appends arriving while this sync runs are written at once, not after it.
          if ((await this.#syncOrArrival(syncing)) === 'arrival') continue;
          if (!(await this.#acknowledge(syncing))) return;
          syncing = undefined;
          continue;
        }
        // Cleared synchronously with the emptiness check, so an append arriving later always
        // finds no flush running and starts one.
        this.#flushing = undefined;
        return;
      }
      this.#pending = [];
      const sealed = this.#seal(batch);
      if (!sealed.ok) {
        this.#unreserve(batch, sealed.error);
        continue;
      }
      const writeFailure = await this.#writeBatch(batch, sealed.value);
      if (this.#dsync) {
        // O_DSYNC: the write that returned is the sync; one write is in flight at a time, so the
        // file never holds a later batch's bytes past an earlier batch's unwritten ones.
        if (writeFailure !== undefined) {
          this.#fail(writeFailure, batch);
          return;
        }
        this.#syncs += 1;
        this.#settle(batch);
        continue;
      }
      if (syncing !== undefined && !(await this.#acknowledge(syncing, batch))) return;
      syncing = undefined;
      if (writeFailure !== undefined) {
        this.#fail(writeFailure, batch);
        return;
      }
      syncing = { batch, sync: this.#sync() };
    }
  }

  /** Waits until the sync ends or a new append arrives, whichever comes first. */
  async #syncOrArrival(syncing: SyncingBatch): Promise<'sync' | 'arrival'> {
    const arrival = new Promise<'arrival'>((resolve) => {
      this.#wake = () => resolve('arrival');
    });
    try {
      return await Promise.race([syncing.sync.then(() => 'sync' as const), arrival]);
    } finally {
      this.#wake = undefined;
    }
  }

  /**
   * Waits for a batch's `fdatasync` and settles its appends. On failure every append not yet
   * acknowledged (`alsoFailed`: written after that sync began) fails with it; returns false then.
   */
  async #acknowledge(syncing: SyncingBatch, alsoFailed: readonly PendingAppend[] = []): Promise<boolean> {
    const failure = await syncing.sync;
    if (failure !== undefined) {
      this.#fail(failure, [...syncing.batch, ...alsoFailed]);
      return false;
    }
    this.#settle(syncing.batch);
    return true;
  }

  /** Acknowledges a batch that is durable. */
  #settle(batch: readonly PendingAppend[]): void {
    reachCrashPoint('journal-after-append');
    for (const append of batch) append.settle(ok({ seq: append.seq }));
  }

  /** The writer fails for good: these appends and every pending one settle with `failure`. */
  #fail(failure: JidoError, batch: readonly PendingAppend[]): void {
    this.#failure = failure;
    const abandoned = this.#pending;
    this.#pending = [];
    for (const append of [...batch, ...abandoned]) append.settle(err(failure));
    this.#flushing = undefined;
  }

  /**
   * Seals a batch the moment it is taken, before any later append is encoded: its lines unsealed,
   * then the last one signed over them. Later appends chain to this seal.
   */
  #seal(batch: readonly PendingAppend[]): Result<SealedBatch> {
    const last = batch[batch.length - 1] as PendingAppend;
    let before = '';
    for (const append of batch) if (append !== last) before += append.line.unsealed;
    const sealed = sealJournalLine(last.line, this.#sessionJson, before, this.#signer);
    if (!sealed.ok) return sealed;
    const sealBytes = Buffer.byteLength(sealed.value.text, 'utf8') - last.bytes;
    // Appends left room for a seal as long as the last one; a longer MAC (a new key with a longer
    // id, or a first one the signer could not make at open) is checked here.
    if (this.#reserved + sealBytes > this.#maxBytes) return err(journalFull(this.#path, this.#maxBytes));
    this.#lastMacJson = sealed.value.macJson;
    this.#reserved += sealBytes;
    this.#sealBytes = sealBytes;
    let bytes = sealBytes;
    for (const append of batch) bytes += append.bytes;
    return ok({ text: before + sealed.value.text, bytes });
  }

  /**
   * A batch that could not be sealed fails without writing anything and without poisoning the
   * writer: its seqs and space are given back, so the next append continues the chain where the
   * last written batch left it.
   */
  #unreserve(batch: readonly PendingAppend[], failure: JidoError): void {
    this.#nextSeq = (batch[0] as PendingAppend).seq;
    for (const append of batch) {
      this.#reserved -= append.bytes;
      append.settle(err(failure));
    }
  }

  /** One buffer, one write loop; the error instead of a throw. */
  async #writeBatch(batch: readonly PendingAppend[], sealed: SealedBatch): Promise<JidoError | undefined> {
    const padding = preallocationPadding(
      {
        written: this.#written,
        allocated: this.#allocated,
        maxBytes: this.#maxBytes,
        chunkBytes: this.#preallocateBytes,
      },
      sealed.bytes,
    );
    const buffer = batchBytes(sealed.text, padding);
    try {
      await writeBatchBytes(this.#fs, this.#fd, buffer, this.#written);
    } catch (cause) {
      if (padding === 0 || !isOutOfSpace(cause)) return this.#ioError(cause, 'write');
      // The zeros did not fit where the lines alone may: the same lines again at the same place,
      // and no more zeros from this writer. (Rewriting identical bytes is harmless; the failure
      // came from allocating space, not from writing data back, so nothing is lost by retrying.)
      this.#preallocateBytes = 0;
      return this.#writeBatch(batch, sealed);
    }
    this.#written += buffer.dataBytes;
    this.#allocated = Math.max(this.#allocated, this.#written + padding);
    this.#records += batch.length;
    return undefined;
  }

  /** One `fdatasync` of everything written so far; the error instead of a throw. */
  async #sync(): Promise<JidoError | undefined> {
    this.#syncs += 1;
    try {
      await this.#fs.fdatasync(this.#fd);
    } catch (cause) {
      return this.#ioError(cause, 'fdatasync');
    }
    return undefined;
  }

  #ioError(cause: unknown, action: string): JidoError {
    return new JidoError('io_error', 'The change could not be saved to the session journal.', {
      cause,
      details: { path: this.#path, action, errno: errnoCode(cause) },
    });
  }
}

/**
 * What a seal adds to a line: the last MAC's length when the journal has one, else that of a MAC
 * the signer makes now. A signer that cannot sign yet counts as 0, and the seal's own check keeps
 * the limit.
 */
function sealBytesOf(signer: JournalSigner, lastMacJson: string): number {
  if (lastMacJson !== '""') return Buffer.byteLength(lastMacJson, 'utf8') - 2;
  try {
    return Buffer.byteLength(JSON.stringify(signer.sign('')), 'utf8') - 2;
  } catch {
    return 0;
  }
}

/** A write refused for want of space or quota, which a smaller write may still get. */
function isOutOfSpace(cause: unknown): boolean {
  const code = errnoCode(cause);
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG';
}
