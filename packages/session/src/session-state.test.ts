import { SessionFactory } from '@jido-code/test-support';
import { describe, expect, it } from 'vitest';
import { SessionState } from './session-state.js';

const factory = new SessionFactory({ seed: 7 });

describe('SessionState', () => {
  const session = factory.session({ messageCount: 10, todoCount: 2 });

  it('pages messages by offset and limit without copying the whole history', () => {
    const state = new SessionState(session);
    const page = state.getMessages({ offset: 3, limit: 4 });
    expect(page.offset).toBe(3);
    expect(page.total).toBe(10);
    expect(page.messages).toEqual(session.conversation.slice(3, 7));
  });

  it('counts a negative offset from the end and clamps out-of-range windows', () => {
    const state = new SessionState(session);
    expect(state.getMessages({ offset: -2 }).messages).toEqual(session.conversation.slice(8));
    expect(state.getMessages({ offset: -50, limit: 1 }).messages).toEqual(session.conversation.slice(0, 1));
    expect(state.getMessages({ offset: 99 }).messages).toEqual([]);
    expect(state.getMessages({ limit: 0 }).messages).toEqual([]);
  });

  it('ignores a message whose id is already present (journal replay is idempotent)', () => {
    const state = new SessionState(session);
    const first = session.conversation[0];
    if (!first) throw new Error('factory made no messages');
    expect(state.appendMessage(first)).toBe(false);
    expect(state.messageCount).toBe(10);
    expect(state.appendMessage({ ...first, id: 'fresh-id' })).toBe(true);
    expect(state.messageCount).toBe(11);
  });

  it('changes a todo by 1-based index and refuses one out of range', () => {
    const state = new SessionState(session);
    const todos = state.todosWithStatus(2, 'completed');
    expect(todos[1]?.status).toBe('completed');
    expect(state.todos[1]?.status).toBe(session.todos[1]?.status);
    expect(() => state.todosWithStatus(3, 'completed')).toThrow(
      expect.objectContaining({ code: 'target_out_of_range' }),
    );
    expect(() => state.todosWithStatus(0, 'completed')).toThrow(
      expect.objectContaining({ code: 'target_out_of_range' }),
    );
  });

  it('hands out copies: a snapshot does not change when the state does', () => {
    const state = new SessionState(session);
    const snapshot = state.toSession();
    state.appendMessage({
      id: 'later',
      role: 'user',
      content: 'later',
      timestamp: '2025-02-01T00:00:00.000Z',
    });
    state.replaceTodos([]);
    expect(snapshot.conversation).toHaveLength(10);
    expect(snapshot.todos).toHaveLength(2);
    expect('signature' in snapshot).toBe(false);
  });
});
