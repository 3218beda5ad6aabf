import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore, sessionFixture } from '../../test/fixtures.js';
import { startWorker } from '../../test/run-worker.js';
import { SqliteSearchIndex } from './sqlite-search-index.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function message(content: string) {
  return { id: crypto.randomUUID(), role: 'user' as const, content, timestamp: new Date().toISOString() };
}

describe('search after a crash between the file write and the index update', () => {
  it('finds what the file holds once the writer was SIGKILLed right after its rename', async () => {
    const opened = await openTestStore();
    cleanups.push(opened.cleanup);
    const { store } = opened;
    const session = sessionFixture({ conversation: [message('kilo lima')] });
    await store.save(session);
    expect((await store.search('kilo')).ok).toBe(true);

    const grown = { ...session, conversation: [...session.conversation, message('mike november')] };
    const worker = startWorker('save', [store.backend.home, JSON.stringify(grown)], {
      env: { ...process.env, JIDO_TEST_CRASH_POINT: 'before-search-index' },
    });
    const outcome = await worker.outcome;
    expect(outcome.signal).toBe('SIGKILL');
    // The file holds the new message; the index does not.
    const file = await readFile(join(store.backend.sessionsDir, `${session.id}.json`), 'utf8');
    expect(file).toContain('mike november');
    const index = SqliteSearchIndex.open(store.backend.layout.searchIndexFile);
    expect(index.indexedSessions().get(session.id)?.messageCount).toBe(1);
    index.close();

    const found = await store.search('november');
    if (!found.ok) throw found.error;
    expect(found.value.results.map((result) => result.id)).toEqual([session.id]);
    expect(found.value.results[0]?.matches[0]?.message_index).toBe(2);
  });

  it('re-indexes and purges a message redacted in place by a writer SIGKILLed before the index update', async () => {
    const opened = await openTestStore();
    cleanups.push(opened.cleanup);
    const { store } = opened;
    const secret = 'zq9leakedvalue4kk';
    const session = sessionFixture({ conversation: [message(`token ${secret} here`), message('sierra')] });
    await store.save(session);
    expect((await store.search(secret)).ok).toBe(true);
    const indexFiles = async () =>
      Buffer.concat(
        await Promise.all(
          ['', '-wal'].map((suffix) =>
            readFile(`${store.backend.layout.searchIndexFile}${suffix}`).catch(() => Buffer.alloc(0)),
          ),
        ),
      );
    expect((await indexFiles()).includes(secret)).toBe(true);

    const [first, second] = session.conversation;
    if (first === undefined || second === undefined) throw new Error('fixture');
    const redacted = {
      ...session,
      conversation: [{ ...first, content: 'token [REDACTED:test] here' }, second],
    };
    const worker = startWorker('save', [store.backend.home, JSON.stringify(redacted)], {
      env: { ...process.env, JIDO_TEST_CRASH_POINT: 'before-search-index' },
    });
    expect((await worker.outcome).signal).toBe('SIGKILL');

    const found = await store.search(secret);
    if (!found.ok) throw found.error;
    expect(found.value.results).toEqual([]);
    expect((await indexFiles()).includes(secret)).toBe(false);
    const kept = await store.search('sierra');
    expect(kept.ok && kept.value.results.map((result) => result.id)).toEqual([session.id]);
  });

  it('indexes a save inside the save itself, only the new messages', async () => {
    const opened = await openTestStore();
    cleanups.push(opened.cleanup);
    const { store } = opened;
    const session = sessionFixture({ conversation: [message('oscar papa')] });
    await store.save(session);
    await store.reindex();
    const grown = { ...session, conversation: [...session.conversation, message('quebec romeo')] };
    await store.save(grown);
    const index = SqliteSearchIndex.open(store.backend.layout.searchIndexFile);
    try {
      expect(index.indexedSessions().get(session.id)?.messageCount).toBe(2);
    } finally {
      index.close();
    }
  });
});
