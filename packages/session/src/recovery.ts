import { err, JidoError, ok, type Result, type UnsignedSession } from '@jido-code/core-schema';
import type { JournalRecord } from '@jido-code/storage';
import { decodeChange } from './journal-records.js';
import { applyChange } from './live-session.js';
import { SessionState } from './session-state.js';

/** The outcome of replaying one journal. */
export interface Replay {
  /** The session with every journaled change applied. */
  readonly session: UnsignedSession;
  /** Records applied (duplicates of what the snapshot had are counted but change nothing). */
  readonly applied: number;
}

/**
 * Replays journal records over a snapshot (or, when the session crashed before its first
 * snapshot, over the metadata in the journal's `open` record). Replay is idempotent: messages
 * already present (same id) are skipped, todos and names are whole-value replacements.
 */
export function replayJournal(
  snapshot: UnsignedSession | undefined,
  records: readonly JournalRecord[],
): Result<Replay> {
  let state = snapshot ? new SessionState(snapshot) : undefined;
  let applied = 0;
  for (const record of records) {
    const change = decodeChange(record.type, record.data);
    if (!change.ok) return change;
    if (!state) {
      if (change.value.type !== 'open') {
        return err(
          new JidoError('journal_corrupt', 'The session journal does not start with the session itself.'),
        );
      }
      state = new SessionState({ ...change.value.session, conversation: [], todos: [] });
    }
    applyChange(state, change.value, record.at);
    applied++;
  }
  if (!state) return err(new JidoError('journal_corrupt', 'The session journal is empty.'));
  return ok({ session: state.toSession(), applied });
}
