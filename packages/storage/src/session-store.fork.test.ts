import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SessionFactory } from '@jido-code/test-support';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore } from '../test/fixtures.js';
import { forkName } from './sessions/fork-of.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(config: Record<string, unknown> = {}) {
  const opened = await openTestStore({ config });
  cleanups.push(opened.cleanup);
  return opened;
}

function longSession(messages: number) {
  const factory = new SessionFactory({ seed: 20, stepMs: 1_000 });
  const conversation = Array.from({ length: messages }, (_, index) =>
    factory.message({ role: index % 2 === 0 ? 'user' : 'assistant', content: `message ${index + 1}` }),
  );
  return factory.session({ name: 'long one', conversation });
}

describe('SessionStore.fork', () => {
  it('a fork at any N of a 1,000-message session has exactly messages 1..N; the source file is untouched', async () => {
    const { store, home } = await setup({ max_sessions: 1000 });
    const source = longSession(1000);
    const saved = await store.save(source);
    if (!saved.ok) throw saved.error;
    const sourceFile = join(home, 'sessions', `${source.id}.json`);
    const before = await readFile(sourceFile);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), async (at) => {
        const forked = await store.fork(source.id, { at });
        if (!forked.ok) throw forked.error;
        const loaded = await store.load(forked.value.id);
        if (!loaded.ok) throw loaded.error;
        const fork = loaded.value.session;
        expect(loaded.value.signed).toBe(true);
        expect(fork.id).not.toBe(source.id);
        expect(fork.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(fork.parent_id).toBe(source.id);
        expect(fork.forked_at_message).toBe(at);
        expect(fork.conversation).toEqual(source.conversation.slice(0, at));
        expect(fork.todos).toEqual(source.todos);
        expect(fork.config).toEqual(source.config);
        expect(await readFile(sourceFile)).toEqual(before);
      }),
      { numRuns: 20 },
    );
  }, 300_000);

  it('defaults to every message and "<name> (fork)" cut to 50 characters; refuses a point out of range', async () => {
    const { store } = await setup();
    const factory = new SessionFactory({ seed: 21 });
    const source = factory.session({
      name: 'n'.repeat(50),
      conversation: [factory.message({ content: 'one' }), factory.message({ content: 'two' })],
    });
    await store.save(source);
    const forked = await store.fork(source.id);
    if (!forked.ok) throw forked.error;
    expect(forked.value.forked_at_message).toBe(2);
    expect(forked.value.name).toBe(`${'n'.repeat(43)} (fork)`);
    expect(forkName('short')).toBe('short (fork)');
    for (const at of [0, 3]) {
      const refused = await store.fork(source.id, { at });
      expect(refused.ok ? 'ok' : refused.error.code).toBe('invalid_value');
    }
  });

  it('counts against max_sessions like a new session', async () => {
    const { store } = await setup({ max_sessions: 1, auto_cleanup_on_limit: false });
    const factory = new SessionFactory({ seed: 22 });
    const source = factory.session({ conversation: [factory.message({ content: 'only' })] });
    const saved = await store.save(source);
    if (!saved.ok) throw saved.error;
    const refused = await store.fork(source.id);
    expect(refused.ok ? 'ok' : refused.error.code).toBe('session_count_limit');
    const listing = await store.listPersisted();
    expect(listing.ok && listing.value.sessions.map((entry) => entry.id)).toEqual([source.id]);
  });
});
