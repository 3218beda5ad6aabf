import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullSession, sessionArbitrary } from '../test/session-arbitrary.js';
import { parseSessionDocument } from './parse-session.js';
import { timestampSchema } from './primitives.js';
import { type Session, sessionSchema } from './session.js';
import { acceptMessage, acceptSession, acceptSessionField, sessionKeys } from './session-fast-path.js';
import { isUtcTimestamp } from './utc-timestamp.js';

const digits = (length: number) => fc.stringMatching(new RegExp(`^[0-9]{${length}}$`));
const oneOf = <T>(usual: fc.Arbitrary<T>, ...rare: fc.Arbitrary<T>[]) =>
  fc.oneof({ arbitrary: usual, weight: 8 }, ...rare.map((arbitrary) => ({ arbitrary, weight: 1 })));
const anyChar = fc.string({ minLength: 1, maxLength: 1, unit: 'binary' });

/** Timestamp-like text: every field near and past its range, separators and suffixes sometimes wrong. */
const timestampLike = fc
  .tuple(
    oneOf(fc.constantFrom('1900', '2000', '2024', '2023', '2100', '0000', '9999'), digits(4), anyChar),
    oneOf(fc.constant('-'), anyChar),
    oneOf(
      fc.integer({ min: 0, max: 13 }).map((n) => String(n).padStart(2, '0')),
      digits(1),
      digits(3),
    ),
    oneOf(fc.constant('-'), anyChar),
    oneOf(
      fc.integer({ min: 0, max: 32 }).map((n) => String(n).padStart(2, '0')),
      digits(1),
    ),
    oneOf(fc.constant('T'), fc.constantFrom('t', ' ')),
    oneOf(
      fc.integer({ min: 0, max: 24 }).map((n) => String(n).padStart(2, '0')),
      digits(1),
    ),
    oneOf(fc.constant(':'), anyChar),
    oneOf(
      fc.integer({ min: 0, max: 60 }).map((n) => String(n).padStart(2, '0')),
      digits(3),
    ),
    oneOf(fc.constant(':'), anyChar, fc.constant('')),
    oneOf(
      fc.integer({ min: 0, max: 60 }).map((n) => String(n).padStart(2, '0')),
      fc.constant(''),
    ),
    oneOf(
      fc.constantFrom('', '.000', '.5', '.123456'),
      fc.constant('.'),
      fc.string({ maxLength: 4 }).map((text) => `.${text}`),
    ),
    oneOf(fc.constant('Z'), fc.constantFrom('', 'z', '+00:00', 'ZZ', 'Z ')),
  )
  .map((parts) => parts.join(''));

describe('isUtcTimestamp', () => {
  it('agrees with timestampSchema on timestamp-like and arbitrary text', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          timestampLike,
          fc.string(),
          fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
        ),
        (text) => {
          const expected = timestampSchema.safeParse(text).success;
          expect(isUtcTimestamp(text)).toBe(expected);
          if (expected) accepted++;
          else refused++;
        },
      ),
      { numRuns: 20_000 },
    );
    // Not vacuous: both answers were exercised many times.
    expect(accepted).toBeGreaterThan(1_000);
    expect(refused).toBeGreaterThan(2_000);
  });

  it.each([
    ['2024-02-29T00:00:00Z', true],
    ['2023-02-29T00:00:00Z', false],
    ['2000-02-29T23:59:59.999999Z', true],
    ['1900-02-29T00:00:00Z', false],
    ['2024-04-31T00:00:00Z', false],
    ['2024-12-31T24:00:00Z', false],
    ['2024-12-31T23:59:60Z', false],
    ['2024-12-31T23:59:59.Z', false],
    ['2024-12-31T23:59Z', false],
    ['2024-12-31T23:59:59+00:00', false],
    ['２024-12-31T23:59:59Z', false],
  ])('%s: %s, as the schema says', (text, expected) => {
    expect(timestampSchema.safeParse(text).success).toBe(expected);
    expect(isUtcTimestamp(text)).toBe(expected);
  });
});

const anyJson = fc.jsonValue({ maxDepth: 2 });

const absent = Symbol('absent');
const long = (length: number, prefix = '') => prefix + 'x'.repeat(length - prefix.length);
const paths = ['/', 'relative', '/a\0b', long(4096, '/'), long(4097, '/'), 7];
const stamps = ['2024-02-29T12:00:00Z', '2023-02-29T12:00:00Z', '2024-01-01T00:00:00+00:00', null, 1];
const uuids = ['3b241101-e2bb-4255-8caf-4136c566a962', '3B241101-E2BB-4255-8CAF-4136C566A962', '', null];
const counts = [0, 1, -1, 1.5, 100_000, 100_001, 10_000_000, 10_000_001, '1', null];

/** For each field (`field` or `field.key` of its first item), values on both sides of its rules. */
const fieldEdges: Record<string, readonly unknown[]> = {
  version: [0, 1, 2, '1'],
  id: uuids,
  name: ['', ' ', '  x  ', long(50), long(51), ` ${long(50)} `, 3],
  project_path: paths,
  created_at: stamps,
  closed_at: stamps,
  language: ['', 'x', long(35), long(36), null],
  cumulative_usage: [{}, { a: 0 }, { a: -1 }, { '': 1 }, { constructor: 1 }, [], null],
  prompt_history: [[], [''], ['x', 2], 'x', null],
  last_resumed_at: stamps,
  recovered_at: stamps,
  parent_id: uuids,
  forked_at_message: counts,
  pinned: [true, false, 0, null],
  moved_from: [{}, { project_path: '/p', moved_at: '2024-01-01T00:00:00Z' }, null],
  imported_from: [{}, null, 'x'],
  signature: ['', 'x', long(256), long(257), null, 1],
  todos: [
    [],
    [{}],
    Array.from({ length: 1_001 }, () => ({ content: 'c', status: 'pending', active_form: 'a' })),
  ],
  'config.provider': ['', long(256), long(257), absent],
  'config.model': ['', 'm', absent],
  'config.temperature': [0, 2, 2.0001, -0.0001, '1', absent],
  'config.max_tokens': counts,
  'config.extra': [
    {},
    { k: long(4096) },
    { k: long(4097) },
    { k: [] },
    { __proto__: null, prototype: 1 },
    [],
  ],
  'config.other': ['x'],
  'moved_from.project_path': paths,
  'moved_from.moved_at': stamps,
  'imported_from.tool': ['claude-code', 'Claude', 'a--b', '-a', long(64), long(65), ''],
  'imported_from.source_id': ['', long(256), long(257)],
  'imported_from.path': paths,
  'imported_from.imported_at': stamps,
  'imported_from.other': [1],
  'todos.content': ['', long(4096), long(4097), absent, 7, null],
  'todos.status': ['pending', 'in_progress', 'completed', 'done', 'Pending', absent, 1, null],
  'todos.active_form': ['', long(4096), long(4097), absent, [], undefined],
  'todos.other': [1],
};

/** Values at and around the schema's edges, of every JSON type. */
const edgeValue = fc.oneof(
  anyJson,
  fc.constantFrom(
    null,
    true,
    0,
    -1,
    1,
    2,
    2.5,
    0.5,
    10_000_000,
    10_000_001,
    100_000,
    100_001,
    1e300,
    '',
    ' ',
    'x',
    '/',
    '/abs/path',
    'relative/path',
    '/with\0nul',
    'x'.repeat(35),
    'x'.repeat(36),
    'x'.repeat(64),
    'x'.repeat(65),
    'x'.repeat(256),
    'x'.repeat(257),
    'claude-code',
    'Claude',
    'a--b',
    'pending',
    'done',
    '2024-02-29T12:00:00Z',
    '2023-02-29T12:00:00Z',
    '3b241101-e2bb-4255-8caf-4136c566a962',
    '3B241101-E2BB-4255-8CAF-4136C566A962',
    [],
    ['a', ''],
    {},
    { input_tokens: 3 },
    { __proto__: 1 },
  ),
  timestampLike,
);

type Mutation = (document: Record<string, unknown>) => void;

function messageAt(document: Record<string, unknown>, at: number): Record<string, unknown> | undefined {
  const conversation = document.conversation;
  if (!Array.isArray(conversation) || conversation.length === 0) return undefined;
  const message = conversation[at % conversation.length];
  return typeof message === 'object' && message !== null && !Array.isArray(message) ? message : undefined;
}

/** Edits of a stored document, most of them of a message: what a damaged or hand-edited file holds. */
const fieldEdgeMutation: fc.Arbitrary<Mutation> = fc
  .constantFrom(...Object.entries(fieldEdges))
  .chain(([path, values]) => fc.tuple(fc.constant(path), fc.constantFrom(...values)))
  .map(([path, value]) => (document: Record<string, unknown>) => {
    const [field, key] = path.split('.') as [string, string | undefined];
    if (key === undefined) {
      document[field] = value;
      return;
    }
    const target = document[field];
    const inner = Array.isArray(target) ? target[0] : target;
    if (typeof inner !== 'object' || inner === null) return;
    if (value === absent) delete (inner as Record<string, unknown>)[key];
    else (inner as Record<string, unknown>)[key] = value;
  });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Weighted: one edit among dozens of fields and their edge values must come up often.
  { arbitrary: fieldEdgeMutation, weight: 12 },
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom('id', 'role', 'content', 'timestamp', 'usage', 'partial', 'extra'),
      anyJson,
    )
    .map(([at, key, value]) => (document: Record<string, unknown>) => {
      const message = messageAt(document, at);
      if (message !== undefined) message[key] = value;
    }),
  fc
    .tuple(fc.nat(), fc.constantFrom('id', 'role', 'content', 'timestamp', 'usage', 'partial'))
    .map(([at, key]) => (document: Record<string, unknown>) => {
      const message = messageAt(document, at);
      if (message !== undefined) delete message[key];
    }),
  fc.tuple(fc.nat(), timestampLike).map(([at, timestamp]) => (document: Record<string, unknown>) => {
    const message = messageAt(document, at);
    if (message !== undefined) message.timestamp = timestamp;
  }),
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom('__proto__', 'constructor', 'prototype', '', 'x'.repeat(257), 'tokens', '0'),
      fc.oneof(fc.double(), fc.integer({ min: -3, max: 3 }), anyJson),
    )
    .map(([at, key, value]) => (document: Record<string, unknown>) => {
      const message = messageAt(document, at);
      if (message === undefined) return;
      const usage = JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}}`);
      message.usage = { ...(message.usage as object), ...usage };
      if (key === '__proto__') message.usage = JSON.parse(`{"__proto__":1}`);
    }),
  fc
    .tuple(fc.nat(), fc.integer({ min: 60, max: 70 }))
    .map(([at, count]) => (document: Record<string, unknown>) => {
      const message = messageAt(document, at);
      if (message !== undefined) {
        message.usage = Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));
      }
    }),
  fc
    .tuple(fc.nat(), fc.constantFrom('', 'x'.repeat(256), 'x'.repeat(257)))
    .map(([at, id]) => (document: Record<string, unknown>) => {
      const message = messageAt(document, at);
      if (message !== undefined) message.id = id;
    }),
  fc.tuple(fc.nat(), anyJson).map(([at, value]) => (document: Record<string, unknown>) => {
    const conversation = document.conversation;
    if (Array.isArray(conversation)) conversation.splice(at % (conversation.length + 1), 0, value);
  }),
  fc
    .tuple(
      fc.constantFrom('name', 'created_at', 'todos', 'config', 'conversation', 'version', 'other'),
      anyJson,
    )
    .map(([key, value]) => (document: Record<string, unknown>) => {
      document[key] = value;
    }),
  fc
    .tuple(fc.constantFrom(...sessionKeys, 'unknown'), edgeValue)
    .map(([key, value]) => (document: Record<string, unknown>) => {
      document[key] = value;
    }),
  fc.constantFrom<Mutation>(
    (document: Record<string, unknown>) => {
      document.name = ` ${String(document.name)} `;
    },
    (document: Record<string, unknown>) => {
      document.conversation = JSON.parse(
        '[{"__proto__":{"id":"x"},"id":"m","role":"user","content":"","timestamp":"2024-01-01T00:00:00Z"}]',
      );
    },
  ),
);

/** A valid session as `JSON.parse` returns it, then zero or more edits. */
const documentArbitrary = fc
  .tuple(
    // The full session has every optional field, so that edits of their inner fields apply.
    fc.oneof(
      sessionArbitrary,
      fc.constant(null).map(() => fullSession()),
    ),
    fc.array(mutation, { maxLength: 3 }),
  )
  .map(([session, mutations]) => {
    const document = JSON.parse(JSON.stringify(session)) as Record<string, unknown>;
    for (const apply of mutations) apply(document);
    return document;
  });

type Accept = (document: Record<string, unknown>) => Session | undefined;

/** Whenever `accept` accepts, zod accepts with the same output, key order included. */
function agreesWithZod(accept: Accept, stats: { accepted: number; invalid: number }) {
  return fc.property(documentArbitrary, (document: Record<string, unknown>) => {
    const reference = sessionSchema.safeParse(structuredClone(document));
    if (!reference.success) stats.invalid++;
    const accepted = accept(document);
    if (accepted === undefined) return;
    stats.accepted++;
    expect(reference.success).toBe(true);
    expect(accepted).toStrictEqual(reference.data);
    expect(JSON.stringify(accepted)).toBe(JSON.stringify(reference.data));
  });
}

describe('sessionKeys', () => {
  it("are the schema's keys in its order", () => {
    expect([...sessionKeys]).toStrictEqual(Object.keys(sessionSchema.shape));
  });
});

describe('acceptSession', () => {
  it('returns what zod returns for a session built in memory with optional keys left undefined', () => {
    const full = fullSession();
    const [first, ...rest] = full.conversation;
    const session = {
      ...full,
      language: undefined,
      pinned: undefined,
      signature: undefined,
      conversation: [{ ...first, usage: undefined, partial: undefined, extra: 1 }, ...rest],
    };
    expect(acceptSession(session)).toStrictEqual(sessionSchema.parse(session));
  });

  it('accepts only what zod accepts, returning what zod returns', () => {
    const stats = { accepted: 0, invalid: 0 };
    fc.assert(agreesWithZod(acceptSession, stats), { numRuns: 3_000 });
    // Not vacuous: many documents were accepted, many were invalid.
    expect(stats.accepted).toBeGreaterThan(600);
    expect(stats.invalid).toBeGreaterThan(600);
  });

  it('accepts the full session and every valid generated one', () => {
    expect(acceptSession(fullSession())).toStrictEqual(sessionSchema.parse(fullSession()));
    fc.assert(
      fc.property(sessionArbitrary, (session) => {
        expect(acceptSession(JSON.parse(JSON.stringify(session)))).toStrictEqual(
          sessionSchema.parse(session),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('is a test that fails for a path that accepts too much or returns something else', () => {
    const everything: Accept = (document: Record<string, unknown>) =>
      acceptSession(document) ?? (document as Session);
    expect(fc.check(agreesWithZod(everything, { accepted: 0, invalid: 0 }), { numRuns: 3_000 }).failed).toBe(
      true,
    );
    const unstripped: Accept = (document: Record<string, unknown>) =>
      acceptSession(document) === undefined ? undefined : (document as Session);
    expect(fc.check(agreesWithZod(unstripped, { accepted: 0, invalid: 0 }), { numRuns: 3_000 }).failed).toBe(
      true,
    );
  });

  it('copies only own optional message keys, never ones a polluted prototype shows', () => {
    const message = { id: 'm1', role: 'user', content: 'Hi', timestamp: '2025-01-01T00:00:00Z' };
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.partial = true;
    prototype.usage = { input_tokens: 1 };
    try {
      const accepted = acceptMessage({ ...message });
      expect(accepted).toBeDefined();
      expect(Object.hasOwn(accepted ?? {}, 'partial')).toBe(false);
      expect(Object.hasOwn(accepted ?? {}, 'usage')).toBe(false);
    } finally {
      delete prototype.partial;
      delete prototype.usage;
    }
    // Own optional keys are kept, one present as undefined included (as zod leaves it).
    const own = Object.assign(Object.create(null), message, { partial: true, usage: undefined });
    expect(acceptMessage(own)).toStrictEqual({ ...message, usage: undefined, partial: true });
  });

  it('reads a todo as zod does, a required key shown by a polluted prototype included', () => {
    const todos = sessionSchema.shape.todos;
    expect(acceptSessionField('todos', [{ content: 'Run the tests', status: 'pending' }])).toBeUndefined();
    expect(todos.safeParse([{ content: 'Run the tests', status: 'pending' }]).success).toBe(false);
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.active_form = 'Running the tests';
    try {
      const reference = todos.safeParse([{ content: 'Run the tests', status: 'pending' }]);
      expect(reference.success).toBe(true);
      const accepted = acceptSessionField('todos', [{ content: 'Run the tests', status: 'pending' }]);
      expect(accepted).toStrictEqual(reference.data);
      expect(JSON.stringify(accepted)).toBe(JSON.stringify(reference.data));
    } finally {
      delete prototype.active_form;
    }
  });

  it('leaves parseSessionDocument answering exactly as zod alone', () => {
    fc.assert(
      fc.property(documentArbitrary, (document: Record<string, unknown>) => {
        // JidoCode's `"signature": null` means unsigned: the parser drops it before the schema.
        const input = structuredClone(document);
        if (input.signature === null) delete input.signature;
        const reference = sessionSchema.safeParse(input);
        const parsed = parseSessionDocument(document);
        if (document.version !== 1) return;
        expect(parsed.ok).toBe(reference.success);
        if (parsed.ok && reference.success) expect(parsed.value.session).toStrictEqual(reference.data);
      }),
      { numRuns: 1_000 },
    );
  });
});
