import { expect, it } from 'vitest';
import { conformanceSession } from '../conformance-session.js';
import { must, type SuiteContext } from '../suite-context.js';

/** Save, load, update, delete and listing through the store over the backend. */
export function roundTripCases(context: SuiteContext): void {
  it('round trip: a saved session loads back signed and equal; a missing one is not_found', async () => {
    const { store } = await context.fresh();
    const session = conformanceSession({ messages: 3 });
    expect(must(await store.save(session))).toMatchObject({ id: session.id, created: true });
    const loaded = must(await store.load(session.id));
    expect(loaded.signed).toBe(true);
    expect(loaded.session).toMatchObject(session);
    expect(must(await store.save({ ...loaded.session, name: 'renamed' })).created).toBe(false);
    expect(must(await store.load(session.id)).session.name).toBe('renamed');
    const missing = await store.load(conformanceSession().id);
    expect(missing.ok || missing.error.code).toBe('not_found');
  });

  it('update is a read-modify-write; delete is idempotent and the session is gone', async () => {
    const { store } = await context.fresh();
    const session = conformanceSession();
    must(await store.save(session));
    must(await store.update(session.id, (current) => ({ ...current, name: 'updated' })));
    expect(must(await store.load(session.id)).session.name).toBe('updated');
    expect(must(await store.delete(session.id, { purge: true }))).toEqual({ deleted: true, purged: true });
    expect(must(await store.delete(session.id, { purge: true }))).toEqual({ deleted: false, purged: true });
    const gone = await store.load(session.id);
    expect(gone.ok || gone.error.code).toBe('not_found');
  });

  it('listing: every session once, newest closed first, with its metadata; a second store sees them', async () => {
    const { spec, store } = await context.fresh();
    const sessions = [3, 1, 2].map((ageDays) => conformanceSession({ ageDays, messages: ageDays }));
    for (const session of sessions) must(await store.save(session));
    const listing = must(await store.listPersisted());
    expect(listing.problems).toEqual([]);
    expect(listing.sessions.map((entry) => entry.id)).toEqual(
      [...sessions]
        .sort((a, b) => ((a.closed_at ?? '') < (b.closed_at ?? '') ? 1 : -1))
        .map((entry) => entry.id),
    );
    expect(listing.sessions.find((entry) => entry.id === sessions[0]?.id)).toMatchObject({
      name: 'conformance',
      message_count: 3,
      signed: true,
    });
    const other = await context.open(spec);
    must(await other.delete(sessions[1]?.id ?? ''));
    expect(
      must(await store.listPersisted())
        .sessions.map((entry) => entry.id)
        .sort(),
    ).toEqual([sessions[0]?.id, sessions[2]?.id].sort());
    expect(must(await store.verifyAll())).toMatchObject({ checked: 2, failed: [] });
  });

  it('the count limit refuses a new session past max_sessions, but existing ones still save', async () => {
    const { store } = await context.fresh({ max_sessions: 2 });
    const [first, second, third] = [conformanceSession(), conformanceSession(), conformanceSession()];
    must(await store.save(first));
    must(await store.save(second));
    const refused = await store.save(third);
    expect(refused.ok || refused.error.code).toBe('session_count_limit');
    expect(must(await store.save({ ...first, name: 'still saves' })).created).toBe(false);
  });
}
