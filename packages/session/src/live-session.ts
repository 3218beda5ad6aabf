import {
  err,
  JidoError,
  type Message,
  type MessageRole,
  ok,
  type Result,
  type Todo,
  type UnsignedSession,
} from '@jido-code/core-schema';
import type { JournalWriter, Lease } from '@jido-code/storage';
import { decodeChange, encodeChange, type SessionChange } from './journal-records.js';
import type { ProjectFingerprint } from './project-path.js';
import type { MessagePage, MessagePageOptions, SessionState } from './session-state.js';
import { textTooLong } from './text-limits.js';

/** What a live session needs from its owner. */
export interface LiveSessionParts {
  readonly state: SessionState;
  readonly journal: JournalWriter;
  readonly lease: Lease;
  readonly project: ProjectFingerprint;
  readonly now: () => Date;
  readonly newId: () => string;
}

/**
 * An open session. Every change is appended to the session's journal and acknowledged only after
 * the journal's fsync; only then is it applied in memory. Reads never touch the disk.
 */
export class LiveSession {
  readonly #state: SessionState;
  readonly #journal: JournalWriter;
  readonly #now: () => Date;
  readonly #newId: () => string;
  /** Changes are applied in the order they were requested, even when their fsyncs are grouped. */
  #tail: Promise<unknown> = Promise.resolve();
  #closing = false;
  /** The lease that keeps other processes from opening this session. */
  readonly lease: Lease;
  /** The project folder's identity when the session started. */
  readonly project: ProjectFingerprint;

  constructor(parts: LiveSessionParts) {
    this.#state = parts.state;
    this.#journal = parts.journal;
    this.#now = parts.now;
    this.#newId = parts.newId;
    this.lease = parts.lease;
    this.project = parts.project;
  }

  get id(): string {
    return this.#state.id;
  }
  get name(): string {
    return this.#state.name;
  }
  get projectPath(): string {
    return this.#state.projectPath;
  }
  get messageCount(): number {
    return this.#state.messageCount;
  }
  get todos(): readonly Todo[] {
    return this.#state.todos;
  }
  get config(): UnsignedSession['config'] {
    return this.#state.config;
  }
  get closing(): boolean {
    return this.#closing;
  }

  /** A page of messages in O(page) time. */
  getMessages(options?: MessagePageOptions): MessagePage {
    return this.#state.getMessages(options);
  }

  /** A copy of the whole session as it stands (what a save writes). */
  snapshot(): UnsignedSession {
    return this.#state.toSession();
  }

  /** Appends a message; resolves once it is durable in the journal. */
  addMessage(role: MessageRole, content: string): Promise<Result<Message>> {
    const message: Message = { id: this.#newId(), role, content, timestamp: this.#now().toISOString() };
    return this.#change({ type: 'message', message }, () => message);
  }

  /** Adds a pending todo at the end of the list. */
  addTodo(content: string, activeForm?: string): Promise<Result<readonly Todo[]>> {
    const text = content.trim();
    if (text.length === 0) {
      return Promise.resolve(err(new JidoError('usage', 'A todo needs some text.')));
    }
    const tooLong = textTooLong('todo', text);
    if (tooLong !== undefined) return Promise.resolve(err(tooLong));
    const todo: Todo = { content: text, status: 'pending', active_form: activeForm?.trim() || text };
    return this.#changeTodos(() => [...this.#state.todos, todo]);
  }

  /** Marks todo `index` (1-based) in progress. */
  startTodo(index: number): Promise<Result<readonly Todo[]>> {
    return this.#changeTodos(() => this.#state.todosWithStatus(index, 'in_progress'));
  }

  /** Marks todo `index` (1-based) completed. */
  completeTodo(index: number): Promise<Result<readonly Todo[]>> {
    return this.#changeTodos(() => this.#state.todosWithStatus(index, 'completed'));
  }

  /** Replaces the whole todo list. */
  replaceTodos(todos: readonly Todo[]): Promise<Result<readonly Todo[]>> {
    return this.#changeTodos(() => todos.map((todo) => ({ ...todo })));
  }

  /** Renames the session (trimmed, 1–50 characters). */
  rename(name: string): Promise<Result<string>> {
    const trimmed = name.trim();
    const tooLong = textTooLong('name', trimmed);
    if (tooLong !== undefined) return Promise.resolve(err(tooLong));
    return this.#change({ type: 'rename', name: trimmed }, () => trimmed);
  }

  /** Marks the session closing (later changes are refused) and waits for changes in flight. */
  async beginClose(): Promise<void> {
    this.#closing = true;
    await this.#tail.catch(() => undefined);
    await this.#journal.close();
  }

  /** Sets metadata that needs no journal entry of its own (it is in the `open` record). */
  setMetadata(change: Parameters<SessionState['updateMetadata']>[0]): void {
    this.#state.updateMetadata(change);
  }

  #changeTodos(build: () => Todo[]): Promise<Result<readonly Todo[]>> {
    let todos: Todo[];
    try {
      todos = build();
    } catch (error) {
      return Promise.resolve(
        err(
          error instanceof JidoError
            ? error
            : new JidoError('internal', 'The todo list could not be changed.', { cause: error }),
        ),
      );
    }
    return this.#change({ type: 'todos', todos }, () => this.#state.todos);
  }

  #change<T>(change: SessionChange, result: () => T): Promise<Result<T>> {
    if (this.#closing) {
      return Promise.resolve(
        err(new JidoError('session_active', 'This session is closing; the change was not made.')),
      );
    }
    const { type, data } = encodeChange(change);
    const validation = decodeChange(type, data);
    if (!validation.ok) return Promise.resolve(err(invalidChange(validation.error)));
    const appended = this.#journal.append(type, data);
    const applied = this.#tail.then(async () => {
      const ack = await appended;
      if (!ack.ok) return ack;
      this.#apply(change);
      return ok(result());
    });
    this.#tail = applied.catch(() => undefined);
    return applied;
  }

  #apply(change: SessionChange): void {
    const at = this.#now().toISOString();
    applyChange(this.#state, change, at);
  }
}

function invalidChange(cause: JidoError): JidoError {
  const issues = cause.details.issues as { path?: unknown[] }[] | undefined;
  const field = issues?.[0]?.path?.map(String).join('.') ?? '';
  return new JidoError(
    'invalid_value',
    field ? `The change is not valid (${field}).` : 'The change is not valid.',
    {
      cause,
      details: cause.details,
    },
  );
}

/** Applies one journal change to a session's state; used live and when replaying a journal. */
export function applyChange(state: SessionState, change: SessionChange, at: string): void {
  switch (change.type) {
    case 'message':
      state.appendMessage(change.message);
      state.updateMetadata({ updated_at: change.message.timestamp });
      return;
    case 'todos':
      state.replaceTodos(change.todos);
      state.updateMetadata({ updated_at: at });
      return;
    case 'rename':
      state.updateMetadata({ name: change.name, updated_at: at });
      return;
    case 'open':
      state.updateMetadata({ ...change.session });
      return;
  }
}
