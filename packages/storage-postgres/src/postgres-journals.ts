import { err, JidoError, ok, type Result, toJidoError } from '@jido-code/core-schema';
import {
  checkJournalSessionId,
  type DecodedJournal,
  decodeJournal,
  type JournalContents,
  type JournalSigner,
  type JournalStore,
  type QuarantinedJournal,
  type QuarantineReason,
  type SessionJournal,
} from '@jido-code/storage';
import { type JournalRows, journalLeaseLost, type QuarantineRow } from './journal-rows.js';
import { PostgresJournal } from './postgres-journal.js';
import type { Fence } from './session-rows.js';

/** What {@link PostgresJournals} works with. */
export interface PostgresJournalsOptions {
  readonly rows: JournalRows;
  readonly signer: JournalSigner;
  /** The fence of the lease this process holds on a session, if it holds one. */
  readonly fenceOf: (id: string) => Fence | undefined;
  readonly now: () => Date;
  readonly maxBytes: number;
}

/** Where a quarantined journal is said to be kept (a table, not a file: for messages and details). */
const quarantineTable = 'journal_quarantine';

/**
 * The PostgreSQL backend's {@link JournalStore}: the records of every session's journal as rows
 * of `journal`, verified on read exactly like a journal file (the rows, concatenated in `seq`
 * order, are the bytes a file would hold). Opening, retiring and quarantining need the session's
 * lease in this process and are fenced by it, so a journal whose holder is alive is never touched
 * and a holder that lost its lease cannot write; reading needs nothing (recovery, a look into
 * another holder's journal).
 */
export class PostgresJournals implements JournalStore {
  readonly #options: PostgresJournalsOptions;

  constructor(options: PostgresJournalsOptions) {
    this.#options = options;
  }

  /** Continues the verified journal (a damaged one is refused: `journal_corrupt`), under the lease. */
  open(sessionId: string): Promise<Result<SessionJournal>> {
    return this.#guard(sessionId, 'open the session journal', async (id) => {
      const fence = this.#options.fenceOf(id);
      if (fence === undefined) return err(journalLeaseLost(id, undefined));
      const decoded = await this.#decode(id, true);
      if (!decoded.ok) return decoded;
      const { contents, validBytes, lastMac } = decoded.value;
      if (contents.corruption !== undefined) return err(contents.corruption);
      const { rows, signer, now, maxBytes } = this.#options;
      const position = { nextSeq: contents.records.length + 1, lastMac, size: validBytes };
      return ok(new PostgresJournal({ rows, sessionId: id, fence, signer, now, maxBytes }, position));
    });
  }

  read(sessionId: string): Promise<Result<JournalContents>> {
    return this.#guard(sessionId, 'read the session journal', async (id) => {
      const decoded = await this.#decode(id, false);
      return decoded.ok ? ok(decoded.value.contents) : decoded;
    });
  }

  /** Deletes the records under the lease; none is success (idempotent). */
  retire(sessionId: string): Promise<Result<void>> {
    return this.#guard(sessionId, 'retire the session journal', async (id) => {
      const fence = this.#options.fenceOf(id);
      if (fence === undefined || !(await this.#options.rows.remove(id, fence))) {
        return err(journalLeaseLost(id, fence));
      }
      return ok(undefined);
    });
  }

  list(): Promise<Result<string[]>> {
    return this.#run('list the session journals', async () => ok(await this.#options.rows.ids()));
  }

  /**
   * Moves the records into `journal_quarantine` as one entry `<id>.<time>.<reason>`, under the
   * lease, in one statement: never deleted. An entry name already taken moves to the next second.
   */
  quarantine(sessionId: string, reason: QuarantineReason): Promise<Result<QuarantinedJournal>> {
    return this.#guard(sessionId, 'move the session journal aside', async (id) => {
      const fence = this.#options.fenceOf(id);
      if (fence === undefined) return err(journalLeaseLost(id, undefined));
      const at = new Date(Math.floor(this.#options.now().getTime() / 1000) * 1000);
      for (let attempt = 0; ; attempt++) {
        const when = new Date(at.getTime() + attempt * 1000);
        const entry = `${id}.${compactTime(when)}.${reason}`;
        try {
          if (!(await this.#options.rows.quarantine(id, fence, entry, reason, when))) {
            return err(journalLeaseLost(id, fence));
          }
          return ok(quarantinedJournal({ entry, session_id: id, reason, quarantined_at: when }));
        } catch (error) {
          const taken = error instanceof JidoError && error.details.sqlState === '23505';
          if (!taken || attempt >= 10) throw error;
        }
      }
    });
  }

  listQuarantined(): Promise<Result<QuarantinedJournal[]>> {
    return this.#run('list the quarantined journals', async () =>
      ok((await this.#options.rows.quarantined()).map(quarantinedJournal)),
    );
  }

  /**
   * Reads and verifies the rows as the bytes a journal file would hold. A row cannot be torn, so a
   * last record without its '\n' is damage, not an append in flight. Over the size limit (checked
   * before reading) → too_large; no rows → not_found, unless `empty` (a writer starts one).
   */
  async #decode(id: string, empty: boolean): Promise<Result<DecodedJournal>> {
    const { rows, signer, maxBytes } = this.#options;
    const size = await rows.size(id);
    if (size.count === 0 && !empty) {
      return err(new JidoError('not_found', 'The session has no journal.', { details: { id } }));
    }
    if (size.bytes > maxBytes) {
      return err(
        new JidoError('too_large', 'The session journal is too large.', {
          details: { id, size: size.bytes, maxBytes },
        }),
      );
    }
    const decoded = decodeJournal(await rows.read(id), id, signer);
    if (!decoded.ok || !decoded.value.contents.tornTail) return decoded;
    const { tornTail: _torn, ...contents } = decoded.value.contents;
    const corruption =
      contents.corruption ??
      new JidoError('journal_corrupt', 'The session journal is damaged or was modified.', {
        details: { reason: 'incomplete record', sessionId: id, seq: contents.records.length + 1 },
      });
    return ok({ ...decoded.value, contents: { ...contents, tornTail: false, corruption } });
  }

  async #guard<T>(
    sessionId: string,
    action: string,
    fn: (id: string) => Promise<Result<T>>,
  ): Promise<Result<T>> {
    const checked = checkJournalSessionId(sessionId);
    if (!checked.ok) return checked;
    return this.#run(action, () => fn(checked.value));
  }

  async #run<T>(action: string, fn: () => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await fn();
    } catch (error) {
      return err(toJidoError(error, 'io_error', `Could not ${action}.`));
    }
  }
}

function compactTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** A `journal_quarantine` row as the journal interface describes a quarantined journal. */
export function quarantinedJournal(row: QuarantineRow): QuarantinedJournal {
  const at = row.quarantined_at instanceof Date ? row.quarantined_at : new Date(row.quarantined_at);
  return {
    sessionId: row.session_id,
    reason: row.reason as QuarantineReason,
    quarantinedAt: `${at.toISOString().slice(0, 19)}Z`,
    fileName: row.entry,
    path: `postgres:${quarantineTable}/${row.entry}`,
    homeRelativePath: `${quarantineTable}/${row.entry}`,
  };
}
