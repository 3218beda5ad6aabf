import {
  messageSchema,
  sessionSchema,
  unsignedSessionSchema,
  usageSchema,
} from '@jido-code/core-schema/schemas';
import { SessionFactory } from '@jido-code/test-support';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeChange, encodeChange } from './journal-records.js';

// The records' reference schemas, as the journal was checked before it was checked without zod.
const referenceSchemas: Record<string, z.ZodType> = {
  open: z.object({ session: unsignedSessionSchema.omit({ conversation: true, todos: true }) }),
  message: z.object({ message: messageSchema }),
  todos: z.object({ todos: sessionSchema.shape.todos }),
  rename: z.object({ name: sessionSchema.shape.name }),
  config: z.object({ config: sessionSchema.shape.config }),
  reply_text: z.object({
    id: messageSchema.shape.id,
    at: z.number().int().nonnegative(),
    text: messageSchema.shape.content,
  }),
  reply_end: z.object({
    id: messageSchema.shape.id,
    partial: z.boolean(),
    usage: usageSchema.optional(),
    cumulative_usage: usageSchema.optional(),
  }),
};

const factory = new SessionFactory({ seed: 11 });
const session = factory.session({ messageCount: 2, todoCount: 2 });
const { conversation: _conversation, todos: _todos, signature: _signature, ...metadata } = session;

const validRecords: Record<string, Record<string, unknown>> = {
  open: { session: metadata },
  message: { message: session.conversation[0] },
  todos: { todos: session.todos },
  rename: { name: ' renamed ' },
  config: { config: { provider: 'anthropic', model: 'm', temperature: 1, extra: { k: 'v' } } },
  reply_text: { id: 'm1', at: 3, text: 'more' },
  reply_end: { id: 'm1', partial: false, usage: { input_tokens: 3 }, cumulative_usage: { input_tokens: 9 } },
};

const edgeValues = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    undefined,
    null,
    '',
    ' ',
    'x'.repeat(256),
    'x'.repeat(257),
    -1,
    0,
    1.5,
    2 ** 53,
    { input_tokens: -1 },
    { __proto__: null, constructor: 1 },
    [],
    [{ content: 'c', status: 'done', active_form: 'a' }],
    '2024-02-30T00:00:00Z',
    '/relative',
  ),
);

const recordArbitrary = fc
  .tuple(
    fc.constantFrom(...Object.keys(validRecords)),
    fc.array(
      fc.tuple(
        fc.constantFrom(
          'session',
          'message',
          'todos',
          'name',
          'config',
          'id',
          'at',
          'text',
          'partial',
          'usage',
          'cumulative_usage',
          'other',
        ),
        fc.constantFrom(
          '',
          'id',
          'name',
          'project_path',
          'created_at',
          'provider',
          'role',
          'content',
          'signature',
          'language',
        ),
        edgeValues,
      ),
      { maxLength: 2 },
    ),
  )
  .map(([type, edits]) => {
    const data = structuredClone(validRecords[type]) as Record<string, unknown>;
    for (const [field, inner, value] of edits) {
      const target = data[field];
      if (inner !== '' && typeof target === 'object' && target !== null && !Array.isArray(target)) {
        (target as Record<string, unknown>)[inner] = value;
      } else data[field] = value;
    }
    return { type, data };
  });

describe('decodeChange', () => {
  it('accepts exactly what the reference schemas accept, returning what they return', () => {
    const stats = { accepted: 0, invalid: 0 };
    fc.assert(
      fc.property(recordArbitrary, ({ type, data }) => {
        const reference = referenceSchemas[type]?.safeParse(structuredClone(data));
        const decoded = decodeChange(type, data);
        expect(decoded.ok).toBe(reference?.success);
        if (!decoded.ok || !reference?.success) {
          stats.invalid++;
          if (!decoded.ok) expect(decoded.error.code).toBe('journal_corrupt');
          return;
        }
        stats.accepted++;
        expect(decoded.value).toStrictEqual({ type, ...(reference.data as object) });
      }),
      { numRuns: 3_000 },
    );
    expect(stats.accepted).toBeGreaterThan(150);
    expect(stats.invalid).toBeGreaterThan(150);
  });

  it('round-trips every change encodeChange writes, and refuses an unknown type', () => {
    for (const [type, data] of Object.entries(validRecords)) {
      const decoded = decodeChange(type, data);
      expect(decoded.ok).toBe(true);
      if (decoded.ok) expect(decodeChange(type, encodeChange(decoded.value).data)).toStrictEqual(decoded);
    }
    const unknown = decodeChange('future', {});
    expect(unknown.ok || unknown.error.code).toBe('journal_corrupt');
  });
});
