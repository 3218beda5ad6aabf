import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullSession, sessionArbitrary } from '../test/session-arbitrary.js';
import { parseSessionDocument } from './parse-session.js';
import { timestampSchema } from './primitives.js';
import { type Session, sessionSchema } from './session.js';
import { acceptSession } from './session-fast-path.js';
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

type Mutation = (document: Record<string, unknown>) => void;

function messageAt(document: Record<string, unknown>, at: number): Record<string, unknown> | undefined {
  const conversation = document.conversation;
  if (!Array.isArray(conversation) || conversation.length === 0) return undefined;
  const message = conversation[at % conversation.length];
  return typeof message === 'object' && message !== null && !Array.isArray(message) ? message : undefined;
}

/** Edits of a stored document, most of them of a message: what a damaged or hand-edited file holds. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
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
  .tuple(sessionArbitrary, fc.array(mutation, { maxLength: 3 }))
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

describe('acceptSession', () => {
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

  it('leaves parseSessionDocument answering exactly as zod alone', () => {
    fc.assert(
      fc.property(documentArbitrary, (document: Record<string, unknown>) => {
        const reference = sessionSchema.safeParse(structuredClone(document));
        const parsed = parseSessionDocument(document);
        if (document.version !== 1) return;
        expect(parsed.ok).toBe(reference.success);
        if (parsed.ok && reference.success) expect(parsed.value.session).toStrictEqual(reference.data);
      }),
      { numRuns: 1_000 },
    );
  });
});
