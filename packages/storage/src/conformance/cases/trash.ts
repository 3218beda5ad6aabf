import { expect, it } from 'vitest';
import { conformanceSession } from '../conformance-session.js';
import { must, processTimeoutMs, type SuiteContext, sessionLeasedByAWorker } from '../suite-context.js';

/** The trash: moves keep the signed bytes, restores put them back, empties remove for good. */
export function trashCases(context: SuiteContext): void {
  it('trash keeps the signed bytes and a record; restore brings the session back whole', async () => {
    const { store } = await context.fresh();
    const session = conformanceSession({ messages: 4, name: 'to trash' });
    must(await store.save(session));
    const before = await store.backend.read(session.id);
    expect(must(await store.trash(session.id, 'delete'))).toEqual({ trashed: true });
    const gone = await store.load(session.id);
    expect(gone.ok || gone.error.code).toBe('not_found');
    expect(must(await store.listPersisted()).sessions).toEqual([]);
    const trash = must(await store.listTrash());
    expect(trash.problems).toEqual([]);
    expect(trash.entries).toMatchObject([{ id: session.id, name: 'to trash', reason: 'delete' }]);
    const entry = trash.entries[0]?.entry ?? '';
    expect((await store.backend.readTrashed(entry)).bytes).toEqual(before.bytes);
    expect(must(await store.restoreFromTrash(entry))).toEqual({ id: session.id });
    const restored = must(await store.load(session.id));
    expect(restored.signed).toBe(true);
    expect(restored.session.conversation).toHaveLength(4);
    expect(must(await store.listTrash()).entries).toEqual([]);
    expect(must(await store.trash(conformanceSession().id))).toEqual({ trashed: false });
  });

  rewriteCase(context);

  it('a restore refuses an id that is live again unless given a new id', async () => {
    const { store } = await context.fresh();
    const session = conformanceSession({ messages: 2 });
    must(await store.save(session));
    must(await store.trash(session.id));
    must(await store.save(session));
    const entry = must(await store.listTrash()).entries[0]?.entry ?? '';
    const refused = await store.restoreFromTrash(entry);
    expect(refused.ok || refused.error.code).toBe('already_exists');
    const copy = must(await store.restoreFromTrash(entry, { newId: true }));
    expect(copy.id).not.toBe(session.id);
    expect(must(await store.load(copy.id)).session.conversation).toHaveLength(2);
    expect(must(await store.listTrash()).entries).toEqual([]);
  });

  it('a session leased by another process is never moved to the trash', {
    timeout: processTimeoutMs,
  }, async () => {
    const { store, session } = await sessionLeasedByAWorker(context);
    const refused = await store.trash(session.id);
    expect(refused.ok || refused.error.code).toBe('session_active');
    expect(must(await store.load(session.id)).session.id).toBe(session.id);
  });

  it('empty by age keeps recent entries; a restore racing an empty never leaves half a session', async () => {
    const { spec, store } = await context.fresh();
    const sessions = [conformanceSession(), conformanceSession(), conformanceSession()];
    for (const session of sessions) {
      must(await store.save(session));
      must(await store.trash(session.id, 'cleanup:age'));
    }
    expect(must(await store.emptyTrash({ olderThanDays: 1 })).purged).toEqual([]);
    const other = await context.open(spec);
    const [first] = must(await store.listTrash()).entries;
    const [restored, emptied] = await Promise.all([
      store.restoreFromTrash(first?.entry ?? ''),
      other.emptyTrash(),
    ]);
    must(emptied);
    const live = await store.load(first?.id ?? '');
    // Either the restore won (whole and verified) or the empty did (gone everywhere).
    if (restored.ok) expect(live.ok && live.value.signed).toBe(true);
    else expect(live.ok).toBe(false);
    expect(must(await store.listTrash())).toEqual({ entries: [], problems: [] });
  });
}

/** `rewriteTrashed` (what `scan --fix` uses on the trash) replaces the bytes and the record in place. */
function rewriteCase(context: SuiteContext): void {
  it('a rewrite replaces a trashed session and its record in place, keeping the move', async () => {
    const { store } = await context.fresh();
    const session = conformanceSession({ messages: 3, name: 'key sk-live-trashname' });
    const [first] = session.conversation;
    if (first === undefined) throw new Error('fixture');
    session.conversation[0] = { ...first, content: 'the value sk-live-trashsecret here' };
    must(await store.save(session));
    must(await store.trash(session.id, 'delete'));
    const [moved] = must(await store.listTrash()).entries;
    if (moved === undefined) throw new Error('not trashed');
    const redacted = {
      ...session,
      name: 'key [REDACTED]',
      conversation: session.conversation.map((message) => ({
        ...message,
        content: message.content.replace('sk-live-trashsecret', '[REDACTED]'),
      })),
    };
    must(await store.rewriteTrashed(moved, redacted));
    const listing = must(await store.listTrash());
    expect(listing.problems).toEqual([]);
    expect(listing.entries).toEqual([{ ...moved, name: 'key [REDACTED]' }]);
    const loaded = must(await store.loadTrashed(moved));
    expect(loaded.signed).toBe(true);
    expect(loaded.session.conversation[0]?.content).toBe('the value [REDACTED] here');
    const bytes = Buffer.from((await store.backend.readTrashed(moved.entry)).bytes);
    expect(bytes.includes('sk-live-trash')).toBe(false);
    const other = await store.rewriteTrashed(moved, { ...redacted, id: conformanceSession().id });
    expect(other.ok || other.error.code).toBe('invalid_value');
    must(await store.emptyTrash());
    const gone = await store.rewriteTrashed(moved, redacted);
    expect(gone.ok || gone.error.code).toBe('not_found');
  });
}
