import {
  err,
  JidoError,
  type LlmConfig,
  type Message,
  type MessageRole,
  ok,
  type Result,
  type Todo,
  textTooLong,
  type UnsignedSession,
  type Usage,
} from '@jido-code/core-schema';
import type { Lease, SessionJournal } from '@jido-code/storage';
import { decodeChange, encodeChange, type SessionChange } from './journal-records.js';
import type { ProjectFingerprint } from './project-path.js';
import type { RedactionReport, Redactor } from './redaction/redactor.js';
import { ReplyRecorder } from './reply-recorder.js';
import type { MessagePage, MessagePageOptions, SessionState } from './session-state.js';

/** What a live session needs from its owner. */
export interface LiveSessionParts {
  readonly state: SessionState;
  readonly journal: SessionJournal;
  readonly lease: Lease;
  readonly project: ProjectFingerprint;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Redacts each change before it is journaled; none: changes are journaled as given. */
  readonly redactor?: Redactor;
  /** Told when a change had secrets, once it is acknowledged (the shell prints one line). */
  readonly onRedaction?: (event: RedactionEvent) => void;
}

/** A change of a live session in which secrets were found (and, in `redact` mode, replaced). */
export interface RedactionEvent {
  readonly sessionId: string;
  readonly report: RedactionReport;
}

/**
 * An open session. Every change is appended to the session's journal and acknowledged only after
 * the journal's fsync; only then is it applied in memory. Reads never touch the disk.
 */
export class LiveSession {
  readonly #state: SessionState;
  readonly #journal: SessionJournal;
  readonly #now: () => Date;
  readonly #newId: () => string;
  readonly #redactor: Redactor | undefined;
  readonly #onRedaction: LiveSessionParts['onRedaction'];
  /** Changes reach the journal in the order they were requested, each after its redaction. */
  #submitted: Promise<unknown> = Promise.resolve();
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
    this.#redactor = parts.redactor;
    this.#onRedaction = parts.onRedaction;
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
  /** Token and cost totals of the session's replies, when any reported usage. */
  get cumulativeUsage(): Usage | undefined {
    return this.#state.metadata.cumulative_usage;
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
    return this.#change({ type: 'message', message }, (saved) =>
      saved.type === 'message' ? saved.message : message,
    );
  }

  /**
   * Starts a streamed assistant reply: journals it empty and marked `partial`, and returns the
   * recorder that journals its text as it arrives and its end (see {@link ReplyRecorder}).
   */
  async startReply(): Promise<Result<ReplyRecorder>> {
    const message: Message = {
      id: this.#newId(),
      role: 'assistant',
      content: '',
      timestamp: this.#now().toISOString(),
      partial: true,
    };
    const started = await this.#change({ type: 'message', message }, () => message);
    if (!started.ok) return started;
    return ok(
      new ReplyRecorder({
        id: message.id,
        journal: (change) => this.#change(change, () => undefined),
        current: () => this.#state.findMessage(message.id),
        cumulative: () => this.cumulativeUsage,
      }),
    );
  }

  /** Replaces the session's LLM settings (`/model`); journaled, so kept across a crash. */
  setConfig(config: LlmConfig): Promise<Result<LlmConfig>> {
    return this.#change({ type: 'config', config }, () => this.#state.config);
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
    return this.#change({ type: 'rename', name: trimmed }, (saved) =>
      saved.type === 'rename' ? saved.name : trimmed,
    );
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

  /**
   * Redacts, validates and journals a change, then applies it once its append is durable. Appends
   * are issued in request order without waiting for earlier fsyncs, so they still share syncs.
   */
  #change<T>(change: SessionChange, result: (saved: SessionChange) => T): Promise<Result<T>> {
    if (this.#closing) {
      return Promise.resolve(
        err(new JidoError('session_active', 'This session is closing; the change was not made.')),
      );
    }
    const prepared = this.#prepare(change);
    const issued = this.#submitted.then(async () => {
      const ready = await prepared;
      if (!ready.ok) return { ack: Promise.resolve(ready), ready };
      const { type, data } = encodeChange(ready.value.change);
      return { ack: this.#journal.append(type, data), ready };
    });
    this.#submitted = issued.catch(() => undefined);
    const applied = this.#tail.then(async (): Promise<Result<T>> => {
      const { ack, ready } = await issued;
      const acknowledged = await ack;
      if (!acknowledged.ok) return acknowledged;
      if (!ready.ok) return ready;
      this.#apply(ready.value.change);
      if (ready.value.report && ready.value.report.count > 0) {
        this.#onRedaction?.({ sessionId: this.id, report: ready.value.report });
      }
      return ok(result(ready.value.change));
    });
    this.#tail = applied.catch(() => undefined);
    return applied;
  }

  /** The change as it will be journaled: redacted, then validated. */
  async #prepare(
    change: SessionChange,
  ): Promise<Result<{ change: SessionChange; report?: RedactionReport }>> {
    let saved = change;
    let report: RedactionReport | undefined;
    if (this.#redactor) {
      try {
        ({ change: saved, report } = await this.#redactor.redactChange(change));
      } catch (error) {
        return err(
          new JidoError('internal', 'The change could not be checked for secrets; it was not saved.', {
            cause: error,
          }),
        );
      }
    }
    const { type, data } = encodeChange(saved);
    const validation = decodeChange(type, data);
    if (!validation.ok) return err(invalidChange(validation.error));
    return ok(report ? { change: saved, report } : { change: saved });
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
    case 'config':
      state.updateMetadata({ config: change.config, updated_at: at });
      return;
    case 'reply_text':
      state.appendReplyText(change.id, change.at, change.text);
      return;
    case 'reply_end':
      state.finishReply(change.id, change.partial, change.usage);
      state.updateMetadata({
        updated_at: at,
        ...(change.cumulative_usage ? { cumulative_usage: change.cumulative_usage } : {}),
      });
      return;
  }
}
