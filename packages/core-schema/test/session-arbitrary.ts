import fc from 'fast-check';
import type { Session } from '../src/session.js';

// Test-only generators of valid sessions. They live outside `src/` so the build never ships them
// (fast-check is a dev dependency), and core-schema cannot use @jido-code/test-support (cycle).

/** A complete, valid session using every optional field: the base of table-driven refusals. */
export function fullSession(): Session {
  return {
    version: 1,
    id: '6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f',
    name: 'refactor the parser',
    project_path: '/home/ada/projects/engine',
    config: {
      provider: 'anthropic',
      model: 'claude-sonnet-4',
      temperature: 0.7,
      max_tokens: 8192,
      extra: { base_url: 'https://api.example.com', top_p: 0.9, stream: true, seed: null },
    },
    created_at: '2025-01-01T10:00:00.000Z',
    updated_at: '2025-01-01T11:30:00.000Z',
    closed_at: '2025-01-01T11:30:00.000Z',
    conversation: [
      {
        id: 'msg-1',
        role: 'system',
        content: 'You are a careful engineer.',
        timestamp: '2025-01-01T10:00:00.000Z',
      },
      { id: 'msg-2', role: 'user', content: 'Split the parser.', timestamp: '2025-01-01T10:00:01.000Z' },
      { id: 'msg-3', role: 'assistant', content: '', timestamp: '2025-01-01T10:00:02.000Z' },
      { id: 'msg-4', role: 'tool', content: '{"ok":true}', timestamp: '2025-01-01T10:00:03.000Z' },
    ],
    todos: [
      { content: 'Write lexer tests', status: 'completed', active_form: 'Writing lexer tests' },
      { content: 'Split the parser', status: 'in_progress', active_form: 'Splitting the parser' },
      { content: 'Update the docs', status: 'pending', active_form: 'Updating the docs' },
    ],
    language: 'en-GB',
    cumulative_usage: { input_tokens: 1200, output_tokens: 800, cost_usd: 0.042 },
    last_resumed_at: '2025-01-01T11:00:00.000Z',
    recovered_at: null,
    parent_id: '3b241101-e2bb-4255-8caf-4136c566a962',
    moved_from: { project_path: '/home/ada/old/engine', moved_at: '2025-01-01T10:59:00.000Z' },
    imported_from: {
      tool: 'claude-code',
      source_id: 'de3b8b19-5bc0-4a2a-934a-1b6806567e25',
      path: '/home/ada/.claude/projects/-home-ada-projects-engine/de3b8b19-5bc0-4a2a-934a-1b6806567e25.jsonl',
      imported_at: '2025-01-02T09:00:00.000Z',
    },
    signature: 'v1:key-1:0123456789abcdef',
  };
}

/** +0 instead of -0: JSON has no negative zero, so -0 would not survive a round trip. */
const positiveZero = (value: number): number => (value === 0 ? 0 : value);

const finiteDouble = (constraints: { min?: number; max?: number } = {}) =>
  fc.double({ noNaN: true, noDefaultInfinity: true, ...constraints }).map(positiveZero);

const reservedKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** A key for an open-ended map that the schema accepts. */
const safeKeyArbitrary = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 24 })
  .filter((key) => key.length <= 256 && !reservedKeys.has(key));

/** An ISO 8601 UTC timestamp, as `Date#toISOString` writes it. */
const timestampArbitrary = fc
  .date({
    min: new Date('1990-01-01T00:00:00.000Z'),
    max: new Date('2199-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString());

const shortString = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((text) => text.length <= 256);

const messageArbitrary = fc.record(
  {
    id: shortString,
    role: fc.constantFrom('user', 'assistant', 'system', 'tool' as const),
    content: fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 200 })),
    timestamp: timestampArbitrary,
    usage: fc.dictionary(safeKeyArbitrary, finiteDouble({ min: 0 }), { maxKeys: 3 }),
  },
  { requiredKeys: ['id', 'role', 'content', 'timestamp'] },
);

const todoArbitrary = fc.record({
  content: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
  status: fc.constantFrom('pending', 'in_progress', 'completed' as const),
  active_form: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
});

const configArbitrary = fc.record(
  {
    provider: shortString,
    model: shortString,
    temperature: finiteDouble({ min: 0, max: 2 }),
    max_tokens: fc.integer({ min: 1, max: 10_000_000 }),
    extra: fc.dictionary(
      safeKeyArbitrary,
      fc.oneof(fc.string({ maxLength: 60 }), finiteDouble(), fc.boolean(), fc.constant(null)),
      { maxKeys: 6 },
    ),
  },
  { requiredKeys: ['provider', 'model'] },
);

const nameArbitrary = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
  .filter((name) => name.length <= 50 && name.trim() === name && name.length > 0);

const projectPathArbitrary = fc
  .array(fc.stringMatching(/^[A-Za-z0-9._ -]{1,16}$/), { maxLength: 6 })
  .map((segments) => `/${segments.join('/')}`);

/** A valid version 1 session, optional fields present or absent at random. */
export const sessionArbitrary: fc.Arbitrary<Session> = fc.record(
  {
    version: fc.constant(1 as const),
    id: fc.uuid({ version: 4 }),
    name: nameArbitrary,
    project_path: projectPathArbitrary,
    config: configArbitrary,
    created_at: timestampArbitrary,
    updated_at: timestampArbitrary,
    closed_at: fc.option(timestampArbitrary, { nil: null }),
    conversation: fc.array(messageArbitrary, { maxLength: 8 }),
    todos: fc.array(todoArbitrary, { maxLength: 5 }),
    language: fc.constantFrom('en', 'en-GB', 'fr', 'pt-BR', 'zh-Hant-TW'),
    cumulative_usage: fc.dictionary(safeKeyArbitrary, finiteDouble({ min: 0 }), { maxKeys: 6 }),
    prompt_history: fc.array(fc.string({ maxLength: 40 }), { maxLength: 4 }),
    last_resumed_at: fc.option(timestampArbitrary, { nil: null }),
    recovered_at: fc.option(timestampArbitrary, { nil: null }),
    parent_id: fc.option(fc.uuid({ version: 4 }), { nil: null }),
    signature: fc.string({ minLength: 1, maxLength: 120 }),
  },
  {
    requiredKeys: [
      'version',
      'id',
      'name',
      'project_path',
      'config',
      'created_at',
      'updated_at',
      'closed_at',
      'conversation',
      'todos',
    ],
  },
);
