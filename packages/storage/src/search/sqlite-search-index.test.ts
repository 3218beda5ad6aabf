import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Message, Session } from '@jido-code/core-schema';
import { SessionFactory } from '@jido-code/test-support';
import { temporaryFolder } from '@jido-code/test-support/vitest';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { messageMatches, parseSearchQuery, type SearchQuery } from './search-query.js';
import { SqliteSearchIndex } from './sqlite-search-index.js';

const open: SqliteSearchIndex[] = [];
afterEach(() => {
  for (const index of open.splice(0)) index.close();
});

function memoryIndex(options: { rankingWindow?: number } = {}): SqliteSearchIndex {
  const index = SqliteSearchIndex.open(':memory:', options);
  open.push(index);
  return index;
}

function parsed(text: string): SearchQuery {
  const query = parseSearchQuery(text);
  if (!query.ok) throw query.error;
  return query.value;
}

function stateOf(session: Session) {
  return { stamp: 's', updatedAt: session.updated_at, contentHash: session.id };
}

function sessionWith(factory: SessionFactory, texts: readonly string[], roles?: Message['role'][]): Session {
  return factory.session({
    conversation: texts.map((content, index) => factory.message({ content, role: roles?.[index] ?? 'user' })),
  });
}

describe('SqliteSearchIndex', () => {
  it('ranks only the most recently indexed matches past its ranking window, and says how many', () => {
    const factory = new SessionFactory({ seed: 11 });
    const filler = 'with a long tail of other words about the release and the weather today';
    const sessions = [
      sessionWith(factory, ['deploy']),
      ...Array.from({ length: 4 }, (_, n) => sessionWith(factory, [`deploy ${n} ${filler}`])),
    ];
    const windowed = memoryIndex({ rankingWindow: 3 });
    const whole = memoryIndex();
    for (const session of sessions) {
      windowed.upsert(session, stateOf(session));
      whole.upsert(session, stateOf(session));
    }
    const all = whole.query(parsed('deploy'), {}, 10);
    expect(all.rankedAmongRecent).toBeUndefined();
    expect(all.hits).toHaveLength(5);
    expect(all.hits[0]?.id).toBe(sessions[0]?.id);
    const recent = windowed.query(parsed('deploy'), {}, 10);
    expect(recent.rankedAmongRecent).toBe(3);
    expect(recent.hits.map((hit) => hit.id).sort()).toEqual(
      sessions
        .slice(2)
        .map((session) => session.id)
        .sort(),
    );
    expect(windowed.query(parsed('deploy 3'), {}, 10)).toEqual({
      hits: [{ id: sessions[4]?.id, score: expect.any(Number), messageIndexes: [0] }],
    });
  });

  it('finds words as prefixes, case- and accent-insensitively, all words in one message', () => {
    const factory = new SessionFactory({ seed: 3 });
    const index = memoryIndex();
    const cafe = sessionWith(factory, ['Le Café est ouvert', 'unrelated']);
    const split = sessionWith(factory, ['the cafe', 'is open']);
    index.upsert(cafe, stateOf(cafe));
    index.upsert(split, stateOf(split));
    expect(
      index
        .query(parsed('CAF'), {}, 10)
        .hits.map((hit) => hit.id)
        .sort(),
    ).toEqual([cafe.id, split.id].sort());
    expect(index.query(parsed('cafe ouv'), {}, 10).hits.map((hit) => hit.id)).toEqual([cafe.id]);
    expect(index.query(parsed('cafe open'), {}, 10).hits).toEqual([]);
  });

  it('matches quoted phrases exactly and excludes -words', () => {
    const factory = new SessionFactory({ seed: 4 });
    const index = memoryIndex();
    const a = sessionWith(factory, ['fix the failing tests now']);
    const b = sessionWith(factory, ['the tests are failing, fix them']);
    for (const session of [a, b]) index.upsert(session, stateOf(session));
    expect(index.query(parsed('"failing tests"'), {}, 10).hits.map((hit) => hit.id)).toEqual([a.id]);
    expect(index.query(parsed('fix -now'), {}, 10).hits.map((hit) => hit.id)).toEqual([b.id]);
    expect(index.query(parsed('fix -"failing tests"'), {}, 10).hits.map((hit) => hit.id)).toEqual([b.id]);
  });

  it('filters by role, time and project, and returns at most three messages per session', () => {
    const factory = new SessionFactory({ seed: 5 });
    const index = memoryIndex();
    const session = sessionWith(
      factory,
      ['deploy one', 'deploy two', 'deploy three', 'deploy four'],
      ['user', 'assistant', 'user', 'assistant'],
    );
    index.upsert(session, stateOf(session));
    const [hit] = index.query(parsed('deploy'), {}, 10).hits;
    expect(hit?.messageIndexes).toHaveLength(3);
    expect(
      index.query(parsed('deploy'), { role: 'assistant' }, 10).hits[0]?.messageIndexes.toSorted(),
    ).toEqual([1, 3]);
    const third = session.conversation[2] as Message;
    expect(
      index.query(parsed('deploy'), { since: third.timestamp }, 10).hits[0]?.messageIndexes.toSorted(),
    ).toEqual([2, 3]);
    expect(index.query(parsed('deploy'), { projectPath: '/nowhere' }, 10).hits).toEqual([]);
    expect(index.query(parsed('deploy'), { projectPath: session.project_path }, 10).hits).toHaveLength(1);
  });

  it('appends only new messages when the earlier ones are unchanged, and re-indexes a changed history', () => {
    const factory = new SessionFactory({ seed: 6 });
    const index = memoryIndex();
    const first = sessionWith(factory, ['alpha']);
    index.upsert(first, stateOf(first));
    const grown = { ...first, conversation: [...first.conversation, factory.message({ content: 'beta' })] };
    index.upsert(grown, stateOf(grown));
    expect(index.query(parsed('alpha'), {}, 10).hits).toHaveLength(1);
    expect(index.query(parsed('beta'), {}, 10).hits[0]?.messageIndexes).toEqual([1]);
    const rewritten = { ...grown, conversation: [factory.message({ content: 'gamma' })] };
    index.upsert(rewritten, stateOf(rewritten));
    expect(index.query(parsed('alpha'), {}, 10).hits).toEqual([]);
    expect(index.query(parsed('beta'), {}, 10).hits).toEqual([]);
    expect(index.indexedSessions().get(first.id)?.messageCount).toBe(1);
    index.remove(first.id);
    expect(index.query(parsed('gamma'), {}, 10).hits).toEqual([]);
    expect(index.indexedSessions().size).toBe(0);
  });

  it('re-indexes a message rewritten in place under the same id (a redaction), wherever it is', () => {
    const factory = new SessionFactory({ seed: 7 });
    const index = memoryIndex();
    const session = sessionWith(factory, ['first zebrakey', 'middle quaggakey', 'last okapikey']);
    index.upsert(session, stateOf(session));
    for (const word of ['zebrakey', 'quaggakey', 'okapikey'])
      expect(index.query(parsed(word), {}, 10).hits, word).toHaveLength(1);
    // The same message objects' ids and times, only the text redacted, as `sessions scan --fix` saves.
    const redacted = {
      ...session,
      conversation: session.conversation.map((message) => ({
        ...message,
        content: message.content.replace(/\w+key/, '[REDACTED:test]'),
      })),
    };
    index.upsert(redacted, stateOf(redacted));
    for (const word of ['zebrakey', 'quaggakey', 'okapikey'])
      expect(index.query(parsed(word), {}, 10).hits, word).toEqual([]);
    expect(index.query(parsed('middle redacted'), {}, 10).hits[0]?.messageIndexes).toEqual([1]);
    // Appending after the rewrite still keeps the (new) prefix and adds only the new message.
    const grown = {
      ...redacted,
      conversation: [...redacted.conversation, factory.message({ content: 'tapir' })],
    };
    index.upsert(grown, stateOf(grown));
    expect(index.query(parsed('tapir'), {}, 10).hits[0]?.messageIndexes).toEqual([3]);
    expect(index.query(parsed('redacted'), {}, 10).hits[0]?.messageIndexes).toHaveLength(3);
  });

  it('purges text re-indexed away from its files: no byte of it is left in the database or its log', async () => {
    const folder = await temporaryFolder();
    const path = join(folder, 'search.db');
    const index = SqliteSearchIndex.open(path);
    open.push(index);
    const factory = new SessionFactory({ seed: 8 });
    const secret = 'xq7leakedtokenvalue9zz';
    const filler = Array.from({ length: 300 }, (_, n) => `ordinary message ${n} about the build`);
    const session = sessionWith(factory, [...filler, `the token is ${secret} today`, 'the end']);
    index.upsert(session, stateOf(session));
    const onDisk = async () =>
      Buffer.concat(
        await Promise.all(
          ['', '-wal'].map((suffix) => readFile(`${path}${suffix}`).catch(() => Buffer.alloc(0))),
        ),
      ).includes(secret);
    expect(await onDisk()).toBe(true);
    expect(index.purgeRemovedText()).toBe(true);
    expect(await onDisk()).toBe(true);

    const redacted = {
      ...session,
      conversation: session.conversation.map((message) => ({
        ...message,
        content: message.content.replace(secret, '[REDACTED:test]'),
      })),
    };
    index.upsert(redacted, stateOf(redacted));
    expect(index.query(parsed(secret), {}, 10).hits).toEqual([]);
    expect(await onDisk()).toBe(true);
    expect(index.purgeRemovedText()).toBe(true);
    expect(await onDisk()).toBe(false);
    expect(index.query(parsed('ordinary 299'), {}, 10).hits).toHaveLength(1);
  });

  it('never throws on hostile queries', () => {
    const factory = new SessionFactory({ seed: 7 });
    const index = memoryIndex();
    const session = sessionWith(factory, ['NEAR AND OR NOT ^ * : "quoted" (paren) 🙂 שלום']);
    index.upsert(session, stateOf(session));
    const hostile = [
      'NEAR(a b)',
      'a OR b',
      '"unclosed',
      '***',
      'col:value',
      '^start',
      '\0null',
      'x'.repeat(10_000),
      '🙂 שלום',
      "'; DROP TABLE sessions; --",
      '-"" - --',
      'a"b"c',
    ];
    for (const text of hostile) {
      const query = parseSearchQuery(text);
      if (query.ok) expect(() => index.query(query.value, {}, 10)).not.toThrow();
      else expect(query.error.code).toBe('usage');
    }
    expect(index.query(parsed('שלום'), {}, 10).hits).toHaveLength(1);
    expect(index.query(parsed('NOT'), {}, 10).hits).toHaveLength(1);
  });

  it('matches the same sessions as a brute-force scan', () => {
    const alphabet = ['ab', 'abc', 'abd', 'Bé', 'be', 'cat', 'Çat', 'dog', 'do', 'ñu', 'nu', 'x1', 'x12'];
    const word = fc.constantFrom(...alphabet);
    const text = fc.array(word, { minLength: 0, maxLength: 8 }).map((words) => words.join(' '));
    const corpus = fc.array(fc.array(text, { minLength: 0, maxLength: 4 }), { minLength: 1, maxLength: 8 });
    const term = fc.tuple(
      fc.constantFrom('', '-'),
      fc.boolean(),
      fc.array(word, { minLength: 1, maxLength: 2 }),
    );
    const queryText = fc
      .array(term, { minLength: 1, maxLength: 3 })
      .map((terms) =>
        terms
          .map(([sign, quoted, words]) => (quoted ? `${sign}"${words.join(' ')}"` : `${sign}${words[0]}`))
          .join(' '),
      );
    fc.assert(
      fc.property(corpus, queryText, (sessions, text) => {
        const query = parseSearchQuery(text);
        fc.pre(query.ok);
        if (!query.ok) return;
        const factory = new SessionFactory({ seed: 11 });
        const index = SqliteSearchIndex.open(':memory:');
        try {
          const built = sessions.map((texts) => sessionWith(factory, texts));
          for (const session of built) index.upsert(session, stateOf(session));
          const expected = built
            .filter((session) =>
              session.conversation.some((message) => messageMatches(query.value, message.content)),
            )
            .map((session) => session.id)
            .sort();
          const actual = index
            .query(query.value, {}, 1000)
            .hits.map((hit) => hit.id)
            .sort();
          expect(actual).toEqual(expected);
        } finally {
          index.close();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('ranks a query without filters exactly as the SQL ranking does (a filter that keeps every message)', () => {
    // Few words, repeated texts and updates in the same second: equal scores and ties on every key.
    const word = fc.constantFrom('ab', 'abc', 'cat', 'dog', 'do', 'x1');
    const text = fc.array(word, { minLength: 1, maxLength: 5 }).map((words) => words.join(' '));
    const corpus = fc.array(fc.array(text, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 });
    let compared = 0;
    fc.assert(
      fc.property(
        corpus,
        fc.constantFrom('ab', 'do', 'cat ab', '"ab cat"', 'x1 -dog', 'a'),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 30 }),
        (sessions, text, limit, rankingWindow) => {
          const factory = new SessionFactory({ seed: 13 });
          const index = SqliteSearchIndex.open(':memory:', { rankingWindow });
          try {
            for (const [at, texts] of sessions.entries()) {
              const session = {
                ...sessionWith(factory, texts),
                updated_at: `2025-01-0${1 + (at % 3)}T00:00:00.000Z`,
              };
              index.upsert(session, stateOf(session));
            }
            const unfiltered = index.query(parsed(text), {}, limit);
            const everything = index.query(parsed(text), { since: '0000-01-01T00:00:00.000Z' }, limit);
            expect(unfiltered).toEqual(everything);
            if (unfiltered.hits.length > 1) compared += 1;
          } finally {
            index.close();
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(compared).toBeGreaterThan(50);
  });
});
