/**
 * Sync between a file home and a PostgreSQL store, over random histories on both sides: no session
 * version is ever lost (each is live or in its side's trash), every conflict ends with one winner
 * live on both sides and the loser in the trash of its side, and a dry run changes nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UnsignedSession } from '@jido-code/core-schema';
import { type SessionBackend, SessionStore } from '@jido-code/storage';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { syncSessions } from '../src/index.js';
import { openConformanceStore } from './support/conformance-store.js';
import { dropSchema, testDatabase } from './support/database.js';
import { testSession } from './support/sessions.js';

const database = testDatabase();
const options = { url: database.url, schema: database.newSchema() };
let root: string;
let home: SessionStore<SessionBackend>;
let postgres: SessionStore<SessionBackend>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'jido-sync-'));
  const opened = await SessionStore.open({ home: join(root, 'home'), env: {} });
  if (!opened.ok) throw opened.error;
  home = opened.value;
  postgres = await openConformanceStore(options, {});
});

afterAll(async () => {
  await (postgres?.backend as { close?: () => Promise<void> } | undefined)?.close?.();
  await dropSchema(database.url, options.schema);
  await rm(root, { recursive: true, force: true });
});

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString();

/** One id's history: on which side it is, and each side's version (name and updated_at day). */
const historyOf = fc.record({
  where: fc.constantFrom('source', 'target', 'both'),
  sourceVersion: fc.record({ name: fc.constantFrom('a', 'b', 'c'), day: fc.integer({ min: 0, max: 3 }) }),
  targetVersion: fc.record({ name: fc.constantFrom('a', 'b', 'c'), day: fc.integer({ min: 0, max: 3 }) }),
});

async function live(store: SessionStore<SessionBackend>, id: string) {
  const loaded = await store.load(id);
  return loaded.ok
    ? { name: loaded.value.session.name, updated_at: loaded.value.session.updated_at }
    : undefined;
}

async function trashed(store: SessionStore<SessionBackend>, id: string): Promise<string[]> {
  const trash = await store.listTrash();
  if (!trash.ok) throw trash.error;
  return trash.value.entries.filter((entry) => entry.id === id).map((entry) => entry.name);
}

for (const direction of ['to', 'from'] as const) {
  it(`sync --${direction}: random histories lose nothing and resolve every conflict once`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(historyOf, { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (histories, dryRun) => {
          const [source, target] = direction === 'to' ? [home, postgres] : [postgres, home];
          const cases = histories.map((history) => {
            const id = testSession().id;
            const version = (side: { name: string; day: number }): UnsignedSession =>
              testSession({
                id,
                name: `${side.name}-${side.day}`,
                created_at: day(0),
                updated_at: day(side.day),
                closed_at: null,
                conversation: [],
              });
            return {
              id,
              history,
              source: version(history.sourceVersion),
              target: version(history.targetVersion),
            };
          });
          for (const { history, source: mine, target: theirs } of cases) {
            if (history.where !== 'target') expect((await source.save(mine)).ok).toBe(true);
            if (history.where !== 'source') expect((await target.save(theirs)).ok).toBe(true);
          }
          const report = await syncSessions(source, target, { dryRun });
          for (const { id, history, source: mine, target: theirs } of cases) {
            const entry = report.entries.find((candidate) => candidate.id === id);
            const [onSource, onTarget] = [await live(source, id), await live(target, id)];
            const [sourceTrash, targetTrash] = [await trashed(source, id), await trashed(target, id)];
            if (dryRun || history.where === 'target') {
              // Nothing moves on a dry run, and an id only on the target is never touched.
              expect(onSource?.name).toBe(history.where === 'target' ? undefined : mine.name);
              expect(onTarget?.name).toBe(history.where === 'source' ? undefined : theirs.name);
              expect([...sourceTrash, ...targetTrash]).toEqual([]);
              if (history.where === 'target')
                expect(entry).toMatchObject({ action: 'kept', reason: 'only on the target' });
              continue;
            }
            if (history.where === 'source') {
              expect(entry).toMatchObject({ action: 'copied', side: 'target' });
              expect(onTarget?.name).toBe(mine.name);
              continue;
            }
            if (mine.name === theirs.name && mine.updated_at === theirs.updated_at) {
              expect(entry).toMatchObject({ action: 'kept', reason: 'identical on both sides' });
              expect([...sourceTrash, ...targetTrash]).toEqual([]);
              continue;
            }
            const sourceWins = mine.updated_at >= theirs.updated_at;
            const winner = sourceWins ? mine : theirs;
            const loser = sourceWins ? theirs : mine;
            expect(entry).toMatchObject({ action: 'updated', side: sourceWins ? 'target' : 'source' });
            expect(onSource?.name).toBe(winner.name);
            expect(onTarget?.name).toBe(winner.name);
            // The loser is in its own side's trash, and nowhere else: one winner, one trashed loser.
            expect(sourceWins ? targetTrash : sourceTrash).toEqual([loser.name]);
            expect(sourceWins ? sourceTrash : targetTrash).toEqual([]);
          }
        },
      ),
      { numRuns: database.kind === 'pglite' ? 8 : 20, seed: 2323 },
    );
  }, 600_000);
}
