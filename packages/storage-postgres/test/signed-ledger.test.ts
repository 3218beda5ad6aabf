/**
 * The signed-id ledger (the downgrade guard) remembers ids it knows are recorded, as the file
 * ledger does: a verified load of a session already recorded is one statement, not two; and an id
 * recorded inside a transaction that rolled back is not remembered (it is not in the table).
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { storeForFile } from './support/file-store.js';
import { testSession } from './support/sessions.js';

const store = storeForFile();

/** The statements `action` sends through the backend's database. */
async function statementsOf(action: () => Promise<unknown>): Promise<string[]> {
  const { db } = store().backend;
  const sent: string[] = [];
  const query = db.query.bind(db);
  db.query = ((sql: string, ...rest: unknown[]) => {
    sent.push(sql);
    return (query as (...args: unknown[]) => ReturnType<typeof db.query>)(sql, ...rest);
  }) as typeof db.query;
  try {
    await action();
  } finally {
    db.query = query;
  }
  return sent;
}

it('a verified load of a recorded session is one statement; the ledger still holds the id', async () => {
  const session = testSession({}, 3);
  expect((await store().save(session)).ok).toBe(true);
  for (let round = 0; round < 3; round++) {
    const sent = await statementsOf(async () => {
      const loaded = await store().load(session.id);
      expect(loaded.ok && loaded.value.signed).toBe(true);
    });
    // The save recorded the id inside its transaction (not remembered: a rollback could undo it),
    // so the first load records it again, outside any transaction; from then on one statement.
    expect(sent).toHaveLength(round === 0 ? 2 : 1);
    expect(sent[0]).toMatch(/^SELECT document FROM/);
  }
  const { rowCount } = await store().backend.db.query(
    `SELECT 1 FROM ${store().backend.schema}.signed_ids WHERE id = $1`,
    [session.id],
  );
  expect(rowCount).toBe(1);
});

it('an id recorded in a transaction that rolled back is not remembered as signed', async () => {
  const ledger = store().backend.signedIds();
  const id = randomUUID();
  await expect(
    store().backend.db.transaction(async () => {
      await ledger.record(id);
      expect(await ledger.wasSigned(id)).toBe(true);
      throw new Error('roll back');
    }),
  ).rejects.toThrow();
  expect(await ledger.wasSigned(id)).toBe(false);
  await ledger.record(id);
  expect(await ledger.wasSigned(id)).toBe(true);
  expect(await store().backend.signedIds().wasSigned(id)).toBe(true);
});
