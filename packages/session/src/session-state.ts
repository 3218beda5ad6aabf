import {
  JidoError,
  type LlmConfig,
  limits,
  type Message,
  type Session,
  type Todo,
  type TodoStatus,
  type UnsignedSession,
} from '@jido-code/core-schema';

/** A page of messages, oldest first. */
export interface MessagePage {
  readonly messages: readonly Message[];
  /** Index of the first message of the page in the whole conversation. */
  readonly offset: number;
  /** Messages in the whole conversation. */
  readonly total: number;
}

/** Options for {@link SessionState.getMessages}: a window over the conversation. */
export interface MessagePageOptions {
  /** First message to return; negative counts from the end (-20 = the last 20). Default 0. */
  readonly offset?: number | undefined;
  /** Most messages to return. Default: all from `offset`. */
  readonly limit?: number | undefined;
}

/**
 * The in-memory data of one session: metadata, the append-only conversation and the todo list.
 * Pure: no clock, no I/O; the live session journals each change before applying it here.
 */
export class SessionState {
  #session: Omit<UnsignedSession, 'conversation' | 'todos'>;
  readonly #messages: Message[];
  readonly #messageIds: Set<string>;
  #todos: Todo[];

  constructor(session: Session | UnsignedSession) {
    const { conversation, todos, ...metadata } = session as Session;
    const { signature: _signature, ...unsigned } = metadata;
    this.#session = unsigned;
    this.#messages = [...conversation];
    this.#messageIds = new Set(conversation.map((message) => message.id));
    this.#todos = todos.map((todo) => ({ ...todo }));
  }

  get id(): string {
    return this.#session.id;
  }
  get name(): string {
    return this.#session.name;
  }
  get projectPath(): string {
    return this.#session.project_path;
  }
  get config(): LlmConfig {
    return this.#session.config;
  }
  get messageCount(): number {
    return this.#messages.length;
  }
  get todos(): readonly Todo[] {
    return this.#todos;
  }
  /** The metadata fields (everything but messages and todos). */
  get metadata(): Omit<UnsignedSession, 'conversation' | 'todos'> {
    return this.#session;
  }

  /** A window of the conversation in O(page) time. */
  getMessages(options: MessagePageOptions = {}): MessagePage {
    const total = this.#messages.length;
    const requested = options.offset ?? 0;
    const offset = Math.min(total, Math.max(0, requested < 0 ? total + requested : requested));
    const limit = Math.max(0, options.limit ?? total);
    return { messages: this.#messages.slice(offset, offset + limit), offset, total };
  }

  /** True when a message with this id is already in the conversation (journal replay is idempotent). */
  hasMessage(id: string): boolean {
    return this.#messageIds.has(id);
  }

  /** Appends a message; a message whose id is already present is ignored (returns false). */
  appendMessage(message: Message): boolean {
    if (this.#messageIds.has(message.id)) return false;
    if (this.#messages.length >= limits.maxMessages) {
      throw new JidoError('invalid_value', 'The conversation has reached its maximum length.', {
        details: { max: limits.maxMessages },
      });
    }
    this.#messages.push(message);
    this.#messageIds.add(message.id);
    return true;
  }

  /** The message with this id, searched from the newest (a streaming reply is the last one). */
  findMessage(id: string): Message | undefined {
    if (!this.#messageIds.has(id)) return undefined;
    for (let index = this.#messages.length - 1; index >= 0; index--) {
      if (this.#messages[index]?.id === id) return this.#messages[index];
    }
    return undefined;
  }

  /**
   * Adds streamed `text` to a reply after its first `at` characters. Text already there (a replay
   * over a snapshot that has it) is skipped; so is text for an unknown message.
   */
  appendReplyText(id: string, at: number, text: string): void {
    this.#replaceMessage(id, (message) =>
      message.content.length === at ? { ...message, content: message.content + text } : message,
    );
  }

  /** Ends a streamed reply: its `partial` flag (dropped when false) and its usage. */
  finishReply(id: string, partial: boolean, usage: Message['usage']): void {
    this.#replaceMessage(id, (message) => {
      const { partial: _partial, usage: _usage, ...rest } = message;
      return { ...rest, ...(partial ? { partial: true } : {}), ...(usage ? { usage } : {}) };
    });
  }

  #replaceMessage(id: string, change: (message: Message) => Message): void {
    if (!this.#messageIds.has(id)) return;
    for (let index = this.#messages.length - 1; index >= 0; index--) {
      const message = this.#messages[index];
      if (message?.id === id) {
        this.#messages[index] = change(message);
        return;
      }
    }
  }

  /** Replaces the whole todo list. */
  replaceTodos(todos: readonly Todo[]): void {
    this.#todos = todos.map((todo) => ({ ...todo }));
  }

  /** The todo list with one entry's status changed (1-based index), or an error if out of range. */
  todosWithStatus(index: number, status: TodoStatus): Todo[] {
    const position = index - 1;
    const current = this.#todos[position];
    if (!Number.isInteger(index) || current === undefined) {
      throw new JidoError(
        'target_out_of_range',
        `There is no todo ${index}; the list has ${this.#todos.length}.`,
        {
          details: { index, count: this.#todos.length, subject: 'todo' },
        },
      );
    }
    return this.#todos.map((todo, at) => (at === position ? { ...todo, status } : todo));
  }

  /** Changes metadata fields (name, timestamps, config). */
  updateMetadata(change: Partial<Omit<UnsignedSession, 'conversation' | 'todos' | 'id' | 'version'>>): void {
    this.#session = { ...this.#session, ...change };
  }

  /** The full session document (a copy: later changes do not alter it). */
  toSession(): UnsignedSession {
    return {
      ...this.#session,
      conversation: this.#messages.slice(),
      todos: this.#todos.map((todo) => ({ ...todo })),
    };
  }
}
