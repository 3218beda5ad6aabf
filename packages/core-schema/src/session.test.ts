import { describe, expect, it } from 'vitest';
import { fullSession } from '../test/session-arbitrary.js';
import { isJidoError } from './errors.js';
import { limits } from './limits.js';
import { parseSession } from './parse-session.js';
import { currentSessionVersion, type Session, sessionSchema, unsignedSessionSchema } from './session.js';

type Document = Record<string, unknown> & Session;

/** A refusal case: what is wrong, how to break a full session that way, and the path expected. */
type Refusal = readonly [label: string, breakIt: (session: Document) => void, path: string];

const repeat = <T>(count: number, make: (index: number) => T): T[] =>
  Array.from({ length: count }, (_, i) => make(i));

const refusals: readonly Refusal[] = [
  // wrong types
  ['id is a number', (s) => Object.assign(s, { id: 42 }), 'id'],
  ['name is a number', (s) => Object.assign(s, { name: 7 }), 'name'],
  ['config is a string', (s) => Object.assign(s, { config: 'fast' }), 'config'],
  ['conversation is an object', (s) => Object.assign(s, { conversation: {} }), 'conversation'],
  ['todos is null', (s) => Object.assign(s, { todos: null }), 'todos'],
  ['closed_at is a number', (s) => Object.assign(s, { closed_at: 1_700_000_000_000 }), 'closed_at'],
  [
    'message content is a number',
    (s) => Object.assign(s.conversation[0] ?? {}, { content: 1 }),
    'conversation.0.content',
  ],
  ['max_tokens is a string', (s) => Object.assign(s.config, { max_tokens: '4096' }), 'config.max_tokens'],
  ['signature is empty', (s) => Object.assign(s, { signature: '' }), 'signature'],
  // missing required fields
  ['id missing', (s) => delete (s as Partial<Document>).id, 'id'],
  ['todos missing', (s) => delete (s as Partial<Document>).todos, 'todos'],
  ['closed_at missing', (s) => delete (s as Partial<Document>).closed_at, 'closed_at'],
  ['provider missing', (s) => delete (s.config as Partial<Session['config']>).provider, 'config.provider'],
  // ids
  ['id in upper case', (s) => Object.assign(s, { id: '6F1C2A4E-8B3D-4C5E-9F60-7A8B9C0D1E2F' }), 'id'],
  ['id is a UUID v1', (s) => Object.assign(s, { id: '6f1c2a4e-8b3d-1c5e-9f60-7a8b9c0d1e2f' }), 'id'],
  ['id in braces', (s) => Object.assign(s, { id: '{6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f}' }), 'id'],
  ['id with a bad variant', (s) => Object.assign(s, { id: '6f1c2a4e-8b3d-4c5e-7f60-7a8b9c0d1e2f' }), 'id'],
  ['id without dashes', (s) => Object.assign(s, { id: '6f1c2a4e8b3d4c5e9f607a8b9c0d1e2f' }), 'id'],
  ['id with a path', (s) => Object.assign(s, { id: '../6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f' }), 'id'],
  ['parent_id not a UUID', (s) => Object.assign(s, { parent_id: 'parent' }), 'parent_id'],
  [
    'moved_from with a relative path',
    (s) => Object.assign(s.moved_from ?? {}, { project_path: 'old/engine' }),
    'moved_from.project_path',
  ],
  [
    'moved_from without its time',
    (s) => delete (s.moved_from as Partial<NonNullable<Session['moved_from']>>).moved_at,
    'moved_from.moved_at',
  ],
  [
    'imported_from with a relative path',
    (s) => Object.assign(s.imported_from ?? {}, { path: 'projects/x.jsonl' }),
    'imported_from.path',
  ],
  [
    'imported_from tool in upper case',
    (s) => Object.assign(s.imported_from ?? {}, { tool: 'Claude Code' }),
    'imported_from.tool',
  ],
  [
    'imported_from without source_id',
    (s) => delete (s.imported_from as Partial<NonNullable<Session['imported_from']>>).source_id,
    'imported_from.source_id',
  ],
  // names
  ['name too long', (s) => Object.assign(s, { name: 'x'.repeat(limits.maxNameLength + 1) }), 'name'],
  ['name empty', (s) => Object.assign(s, { name: '' }), 'name'],
  ['name only spaces', (s) => Object.assign(s, { name: '   ' }), 'name'],
  // paths
  ['relative project_path', (s) => Object.assign(s, { project_path: 'projects/engine' }), 'project_path'],
  ['dot-relative project_path', (s) => Object.assign(s, { project_path: './engine' }), 'project_path'],
  ['empty project_path', (s) => Object.assign(s, { project_path: '' }), 'project_path'],
  ['project_path with NUL', (s) => Object.assign(s, { project_path: '/tmp/a\u0000b' }), 'project_path'],
  [
    'project_path too long',
    (s) => Object.assign(s, { project_path: `/${'a'.repeat(limits.maxPathLength)}` }),
    'project_path',
  ],
  // enums
  ['bad role', (s) => Object.assign(s.conversation[1] ?? {}, { role: 'admin' }), 'conversation.1.role'],
  [
    'role in upper case',
    (s) => Object.assign(s.conversation[1] ?? {}, { role: 'User' }),
    'conversation.1.role',
  ],
  ['bad todo status', (s) => Object.assign(s.todos[2] ?? {}, { status: 'done' }), 'todos.2.status'],
  ['empty todo content', (s) => Object.assign(s.todos[0] ?? {}, { content: '' }), 'todos.0.content'],
  ['empty active_form', (s) => Object.assign(s.todos[0] ?? {}, { active_form: '' }), 'todos.0.active_form'],
  // timestamps
  [
    'created_at with +02:00 offset',
    (s) => Object.assign(s, { created_at: '2025-01-01T12:00:00+02:00' }),
    'created_at',
  ],
  ['updated_at without a zone', (s) => Object.assign(s, { updated_at: '2025-01-01T11:30:00' }), 'updated_at'],
  ['closed_at date only', (s) => Object.assign(s, { closed_at: '2025-01-01' }), 'closed_at'],
  [
    'last_resumed_at not a date',
    (s) => Object.assign(s, { last_resumed_at: 'yesterday' }),
    'last_resumed_at',
  ],
  [
    'recovered_at month 13',
    (s) => Object.assign(s, { recovered_at: '2025-13-01T00:00:00Z' }),
    'recovered_at',
  ],
  [
    'message timestamp with -05:00 offset',
    (s) => Object.assign(s.conversation[2] ?? {}, { timestamp: '2025-01-01T05:00:02-05:00' }),
    'conversation.2.timestamp',
  ],
  // config numbers
  ['temperature above 2', (s) => Object.assign(s.config, { temperature: 2.5 }), 'config.temperature'],
  ['temperature below 0', (s) => Object.assign(s.config, { temperature: -0.1 }), 'config.temperature'],
  ['temperature NaN', (s) => Object.assign(s.config, { temperature: Number.NaN }), 'config.temperature'],
  ['max_tokens zero', (s) => Object.assign(s.config, { max_tokens: 0 }), 'config.max_tokens'],
  ['max_tokens fractional', (s) => Object.assign(s.config, { max_tokens: 10.5 }), 'config.max_tokens'],
  [
    'extra value an object',
    (s) => Object.assign(s.config, { extra: { nested: { a: 1 } } }),
    'config.extra.nested',
  ],
  [
    'extra key "constructor"',
    (s) => Object.assign(s.config, { extra: { constructor: 1 } }),
    'config.extra.constructor',
  ],
  [
    'extra with too many entries',
    (s) =>
      Object.assign(s.config, {
        extra: Object.fromEntries(repeat(limits.maxMapEntries + 1, (i) => [`key${i}`, i])),
      }),
    'config.extra',
  ],
  // counts
  [
    'too many todos',
    (s) =>
      Object.assign(s, {
        todos: repeat(limits.maxTodos + 1, () => ({ content: 'a', status: 'pending', active_form: 'b' })),
      }),
    'todos',
  ],
  [
    'todo content too long',
    (s) => Object.assign(s.todos[0] ?? {}, { content: 'x'.repeat(limits.maxTodoLength + 1) }),
    'todos.0.content',
  ],
  [
    'message id too long',
    (s) => Object.assign(s.conversation[0] ?? {}, { id: 'x'.repeat(limits.maxShortStringLength + 1) }),
    'conversation.0.id',
  ],
  ['language too long', (s) => Object.assign(s, { language: 'x'.repeat(36) }), 'language'],
  // usage
  [
    'cumulative_usage negative',
    (s) => Object.assign(s, { cumulative_usage: { input_tokens: -1 } }),
    'cumulative_usage.input_tokens',
  ],
  [
    'cumulative_usage a string',
    (s) => Object.assign(s, { cumulative_usage: { input_tokens: '5' } }),
    'cumulative_usage.input_tokens',
  ],
  [
    'cumulative_usage Infinity',
    (s) => Object.assign(s, { cumulative_usage: { input_tokens: Number.POSITIVE_INFINITY } }),
    'cumulative_usage.input_tokens',
  ],
  ['cumulative_usage an array', (s) => Object.assign(s, { cumulative_usage: [1, 2] }), 'cumulative_usage'],
  ['prompt_history a string', (s) => Object.assign(s, { prompt_history: 'ls' }), 'prompt_history'],
  [
    'prompt_history entry a number',
    (s) => Object.assign(s, { prompt_history: ['a', 3] }),
    'prompt_history.1',
  ],
  [
    'message partial a string',
    (s) => Object.assign(s.conversation[0] ?? {}, { partial: 'yes' }),
    'conversation.0.partial',
  ],
  [
    'message usage negative',
    (s) => Object.assign(s.conversation[0] ?? {}, { usage: { input_tokens: -1 } }),
    'conversation.0.usage.input_tokens',
  ],
];

describe('sessionSchema', () => {
  it('accepts a full session with every optional field and keeps each one', () => {
    const session = fullSession();
    const parsed = sessionSchema.safeParse(session);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(session);
    const viaParse = parseSession(session);
    expect(viaParse).toEqual({ ok: true, value: session });
  });

  it('accepts a minimal session without the optional fields', () => {
    const {
      language: _language,
      cumulative_usage: _usage,
      last_resumed_at: _resumed,
      recovered_at: _recovered,
      parent_id: _parent,
      moved_from: _moved,
      signature: _signature,
      ...minimal
    } = fullSession();
    const result = parseSession({ ...minimal, closed_at: null, conversation: [], todos: [] });
    expect(result.ok).toBe(true);
  });

  it("accepts JidoCode's fields: language, prompt_history, usage, 16-hex ids, microsecond times", () => {
    const session = {
      ...fullSession(),
      language: 'elixir',
      prompt_history: ['run the tests', 'explain \u001b[31mred'],
      cumulative_usage: { input_tokens: 1200, output_tokens: 340, total_cost: 0.0123 },
      created_at: '2025-12-16T16:00:00.123456Z',
      conversation: [
        {
          id: '9f86d081884c7d65',
          role: 'assistant' as const,
          content: 'done',
          timestamp: '2025-12-16T16:00:01.000001Z',
          usage: { input_tokens: 12, output_tokens: 3, total_cost: 1.0 },
        },
      ],
    };
    const parsed = parseSession(session);
    expect(parsed).toEqual({ ok: true, value: session });
    expect(parsed.ok && parsed.value.conversation[0]?.timestamp).toBe('2025-12-16T16:00:01.000001Z');
  });

  it('keeps a partial reply with its usage, and still reads messages written before `partial` existed', () => {
    const session = fullSession();
    const reply = {
      id: 'r1',
      role: 'assistant' as const,
      content: 'half a rep',
      timestamp: '2026-11-30T00:00:00.000Z',
    };
    session.conversation = [
      ...session.conversation,
      { ...reply, partial: true, usage: { output_tokens: 3 } },
      reply,
    ];
    const parsed = sessionSchema.parse(session);
    expect(parsed.conversation.at(-2)).toEqual({ ...reply, partial: true, usage: { output_tokens: 3 } });
    expect(parsed.conversation.at(-1)).toEqual(reply);
    expect(parsed.conversation.at(-1)).not.toHaveProperty('partial');
  });

  it('writes version 1', () => {
    expect(currentSessionVersion).toBe(1);
    expect(fullSession().version).toBe(currentSessionVersion);
  });

  it('trims the name and drops unknown keys', () => {
    const result = parseSession({ ...fullSession(), name: '  spaced  ', starred: true });
    expect(result.ok && result.value.name).toBe('spaced');
    expect(result.ok && Object.hasOwn(result.value, 'starred')).toBe(false);
  });

  it('keeps pinned (a boolean, optional: a file without it loads unpinned)', () => {
    const pinned = parseSession({ ...fullSession(), pinned: true });
    expect(pinned.ok && pinned.value.pinned).toBe(true);
    const { pinned: _none, ...old } = fullSession() as ReturnType<typeof fullSession> & { pinned?: boolean };
    const loaded = parseSession(old);
    expect(loaded.ok && loaded.value.pinned).toBeUndefined();
    const bad = parseSession({ ...fullSession(), pinned: 'yes' });
    expect(bad.ok).toBe(false);
  });

  it('accepts the limits exactly', () => {
    const session = fullSession();
    session.name = 'n'.repeat(limits.maxNameLength);
    session.todos = Array.from({ length: limits.maxTodos }, () => ({
      content: 'a',
      status: 'pending' as const,
      active_form: 'b',
    }));
    session.config.temperature = 2;
    session.cumulative_usage = { zero: 0 };
    expect(parseSession(session).ok).toBe(true);
  });

  it('has an unsigned twin that drops the signature and checks the rest alike', () => {
    const { signature: _signature, ...unsigned } = fullSession();
    expect(unsignedSessionSchema.parse(fullSession())).toEqual(unsigned);
    expect(unsignedSessionSchema.safeParse({ ...unsigned, id: 'not-a-uuid' }).success).toBe(false);
  });

  it.each(refusals)('refuses %s with invalid_schema at its path', (_label, breakIt, path) => {
    const session = fullSession() as Document;
    breakIt(session);
    const result = parseSession(session);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(isJidoError(result.error, 'invalid_schema')).toBe(true);
    expect(result.error.details.path).toBe(path);
    expect(result.error.message).toContain(`"${path}"`);
    expect(result.error.details.issues).toEqual(expect.arrayContaining([expect.stringContaining(path)]));
  });
});
