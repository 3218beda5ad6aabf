import { uuidV4Pattern } from '@jido-code/core-schema';
import {
  messageSchema,
  parseSession,
  sessionSchema,
  timestampSchema,
  todoSchema,
} from '@jido-code/core-schema/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionFactory } from './session-factory.js';

describe('SessionFactory', () => {
  it('builds sessions the core schema accepts, whatever the counts', () => {
    const factory = new SessionFactory({ seed: 7 });
    for (const messageCount of [0, 1, 2, 5]) {
      for (const todoCount of [0, 1, 3]) {
        const session = factory.session({ messageCount, todoCount });
        const parsed = sessionSchema.safeParse(session);
        expect(parsed.error).toBeUndefined();
        expect(parsed.data).toEqual(session);
        expect(session.conversation).toHaveLength(messageCount);
        expect(session.todos).toHaveLength(todoCount);
      }
    }
  });

  it('builds valid sessions for any seed and start', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.date({ min: new Date('2000-01-01Z'), max: new Date('2100-01-01Z'), noInvalidDate: true }),
        fc.nat(6),
        (seed, start, messageCount) => {
          const session = new SessionFactory({ seed, start }).session({ messageCount });
          expect(parseSession(session).ok).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('has the documented defaults and no signature', () => {
    const session = new SessionFactory().session();
    expect(session).toMatchObject({
      version: 1,
      name: 'session-1',
      project_path: '/tmp/jido-project-1',
      config: { provider: 'offline', model: 'echo-1', temperature: 0.2, max_tokens: 4096 },
    });
    expect(Object.hasOwn(session, 'signature')).toBe(false);
    expect(session.created_at).toBe('2025-01-01T00:00:00.000Z');
    expect(session.closed_at).toBe(session.updated_at);
    expect(session.conversation.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(session.todos).toEqual([
      { content: 'Todo 1', status: 'pending', active_form: 'Working on todo 1' },
    ]);
  });

  it('alternates user and assistant messages from user in each session', () => {
    const factory = new SessionFactory();
    for (let round = 0; round < 2; round++) {
      const roles = factory.session({ messageCount: 5 }).conversation.map((message) => message.role);
      expect(roles).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    }
  });

  it('gives the same data for the same seed, and other ids for another seed', () => {
    const build = (seed: number) => {
      const factory = new SessionFactory({ seed });
      return [factory.session(), factory.many(3), factory.message(), factory.todo(), factory.uuid()];
    };
    expect(build(42)).toEqual(build(42));
    expect(new SessionFactory({ seed: 1 }).uuid()).not.toBe(new SessionFactory({ seed: 2 }).uuid());
  });

  it('makes canonical lowercase UUID v4 ids, all distinct', () => {
    const factory = new SessionFactory({ seed: 3 });
    const ids = Array.from({ length: 2000 }, () => factory.uuid());
    for (const id of ids) expect(id).toMatch(uuidV4Pattern);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('hands out strictly increasing UTC timestamps from start', () => {
    const start = new Date('2030-06-15T12:00:00.000Z');
    const factory = new SessionFactory({ start, stepMs: 250 });
    const session = factory.session({ messageCount: 4 });
    const times = [
      session.created_at,
      ...session.conversation.map((message) => message.timestamp),
      session.updated_at,
    ];
    expect(times[0]).toBe('2030-06-15T12:00:00.000Z');
    for (const time of times) expect(timestampSchema.safeParse(time).success).toBe(true);
    for (let index = 1; index < times.length; index++) {
      expect(Date.parse(times[index] ?? '') - Date.parse(times[index - 1] ?? '')).toBe(250);
    }
    const next = factory.session();
    expect(Date.parse(next.created_at)).toBeGreaterThan(Date.parse(session.updated_at));
  });

  it('does not mutate the start date it was given', () => {
    const start = new Date('2030-01-01T00:00:00.000Z');
    new SessionFactory({ start }).many(3);
    expect(start.toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });

  it('applies overrides without shifting the other generated values', () => {
    const plain = new SessionFactory({ seed: 9 }).session();
    const custom = new SessionFactory({ seed: 9 }).session({
      name: 'custom',
      project_path: '/work/elsewhere',
      language: 'fr',
      closed_at: null,
      signature: 'v1:key:mac',
    });
    expect(custom).toEqual({
      ...plain,
      name: 'custom',
      project_path: '/work/elsewhere',
      language: 'fr',
      closed_at: null,
      signature: 'v1:key:mac',
    });
    expect(Object.hasOwn(custom, 'messageCount')).toBe(false);
  });

  it('uses given conversation and todos instead of generating them', () => {
    const factory = new SessionFactory();
    const conversation = [factory.message({ content: 'hello' })];
    const session = factory.session({ conversation, todos: [], messageCount: 9 });
    expect(session.conversation).toBe(conversation);
    expect(session.todos).toEqual([]);
  });

  it('builds valid stand-alone messages and todos with overrides', () => {
    const factory = new SessionFactory();
    const first = factory.message();
    const second = factory.message({ role: 'tool', content: '' });
    expect(messageSchema.safeParse(first).success).toBe(true);
    expect(messageSchema.safeParse(second).success).toBe(true);
    expect(first.role).toBe('user');
    expect(second).toMatchObject({ role: 'tool', content: '' });
    expect(factory.message().role).toBe('user');
    const todo = factory.todo({ status: 'in_progress' });
    expect(todoSchema.safeParse(todo).success).toBe(true);
    expect(todo.status).toBe('in_progress');
    expect(factory.todo().content).toBe('Todo 2');
  });

  it('many(n) gives n numbered sessions with distinct ids', () => {
    const sessions = new SessionFactory().many(5, { messageCount: 0 });
    expect(sessions.map((session) => session.name)).toEqual([
      'session-1',
      'session-2',
      'session-3',
      'session-4',
      'session-5',
    ]);
    expect(new Set(sessions.map((session) => session.id)).size).toBe(5);
    expect(sessions.every((session) => session.conversation.length === 0)).toBe(true);
    expect(new SessionFactory().many(0)).toEqual([]);
  });

  it('lets a test build an invalid session on purpose, which the schema then refuses', () => {
    const session = new SessionFactory().session({ project_path: 'relative/path' });
    expect(sessionSchema.safeParse(session).success).toBe(false);
  });

  it('refuses bad counts and options', () => {
    const factory = new SessionFactory();
    expect(() => factory.session({ messageCount: -1 })).toThrow(RangeError);
    expect(() => factory.session({ todoCount: 1.5 })).toThrow(/todoCount/);
    expect(() => factory.session({ todoCount: 1001 })).toThrow(RangeError);
    expect(() => factory.many(-1)).toThrow(RangeError);
    expect(() => new SessionFactory({ start: new Date('nope') })).toThrow(/start/);
    expect(() => new SessionFactory({ stepMs: 0 })).toThrow(/stepMs/);
  });
});
