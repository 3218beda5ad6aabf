import { currentSessionVersion, limits, type Message, type Session, type Todo } from '@jido-code/core-schema';
import { mulberry32 } from './prng.js';

/** Options of a {@link SessionFactory}. */
export interface SessionFactoryOptions {
  /** Seed of the id generator; the same seed gives the same ids. Default 1. */
  readonly seed?: number | undefined;
  /** The first timestamp handed out. Default 2025-01-01T00:00:00.000Z. */
  readonly start?: Date | undefined;
  /** How far apart consecutive timestamps are, in milliseconds (at least 1). Default 1000. */
  readonly stepMs?: number | undefined;
}

/** What {@link SessionFactory.session} accepts: any session field, plus how much to generate. */
export type SessionOverrides = Partial<Session> & {
  /** Messages to generate when `conversation` is not given. Default 2 (a user message and its reply). */
  readonly messageCount?: number;
  /** Todos to generate when `todos` is not given. Default 1. */
  readonly todoCount?: number;
};

const defaultStart = new Date('2025-01-01T00:00:00.000Z');

function checkCount(name: string, value: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new RangeError(`SessionFactory: ${name} must be an integer from 0 to ${max}, got ${value}`);
  }
  return value;
}

/**
 * Builds valid core-schema sessions, messages and todos for tests, deterministically: ids are
 * canonical lowercase UUID v4 drawn from a seeded generator, timestamps are ISO 8601 UTC and
 * strictly increasing from `start`. Two factories with the same options produce the same data
 * for the same sequence of calls.
 *
 * Every default is generated even when an override replaces it, so overriding one field never
 * shifts the ids or times of the rest. Overrides are not validated: pass a bad value to build
 * an invalid session on purpose.
 */
export class SessionFactory {
  /** The seed ids are drawn from. */
  readonly seed: number;
  /** The first timestamp this factory handed out (or will). */
  readonly start: Date;
  /** Milliseconds between consecutive timestamps. */
  readonly stepMs: number;
  readonly #random: () => number;
  #nextTime: number;
  #sessions = 0;
  #messages = 0;
  #todos = 0;

  constructor(options: SessionFactoryOptions = {}) {
    this.seed = options.seed ?? 1;
    this.start = new Date(options.start ?? defaultStart);
    this.stepMs = options.stepMs ?? 1000;
    if (Number.isNaN(this.start.getTime())) throw new RangeError('SessionFactory: start is an invalid date');
    if (!Number.isSafeInteger(this.stepMs) || this.stepMs < 1) {
      throw new RangeError(`SessionFactory: stepMs must be a positive integer, got ${this.stepMs}`);
    }
    this.#random = mulberry32(this.seed);
    this.#nextTime = this.start.getTime();
  }

  /** The next id: a canonical lowercase UUID v4 from the seeded generator. */
  uuid(): string {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    for (let word = 0; word < 4; word++) view.setUint32(word * 4, this.#random() * 2 ** 32);
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant: 8, 9, a or b
    const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** The next timestamp (ISO 8601 UTC), `stepMs` after the previous one; the first is `start`. */
  timestamp(): string {
    const time = this.#nextTime;
    this.#nextTime += this.stepMs;
    return new Date(time).toISOString();
  }

  /**
   * A message. Roles alternate user, assistant, user, … over the messages this factory makes on
   * its own; inside {@link session} they alternate from `user` for each session.
   */
  message(overrides: Partial<Message> = {}): Message {
    this.#messages++;
    const role = this.#messages % 2 === 1 ? 'user' : 'assistant';
    return { ...this.#message(role), ...overrides };
  }

  /** A pending todo: "Todo <n>" / "Working on todo <n>". */
  todo(overrides: Partial<Todo> = {}): Todo {
    this.#todos++;
    const number = this.#todos;
    return {
      content: `Todo ${number}`,
      status: 'pending',
      active_form: `Working on todo ${number}`,
      ...overrides,
    };
  }

  /**
   * A valid, unsigned (no `signature`), closed session number n: name `session-<n>`, project
   * `/tmp/jido-project-<n>`, config `{ provider: 'offline', model: 'echo-1', temperature: 0.2,
   * max_tokens: 4096 }`, `messageCount` alternating user/assistant messages, `todoCount` todos,
   * `created_at` < message times < `updated_at` = `closed_at`. Any field can be overridden.
   */
  session(overrides: SessionOverrides = {}): Session {
    const { messageCount = 2, todoCount = 1, ...fields } = overrides;
    checkCount('messageCount', messageCount, limits.maxMessages);
    checkCount('todoCount', todoCount, limits.maxTodos);
    this.#sessions++;
    const number = this.#sessions;
    const id = this.uuid();
    const createdAt = this.timestamp();
    const conversation = Array.from({ length: messageCount }, (_, index) =>
      this.#message(index % 2 === 0 ? 'user' : 'assistant'),
    );
    const todos = Array.from({ length: todoCount }, () => this.todo());
    const updatedAt = this.timestamp();
    return {
      version: currentSessionVersion,
      id,
      name: `session-${number}`,
      project_path: `/tmp/jido-project-${number}`,
      config: { provider: 'offline', model: 'echo-1', temperature: 0.2, max_tokens: 4096 },
      created_at: createdAt,
      updated_at: updatedAt,
      closed_at: updatedAt,
      conversation,
      todos,
      ...fields,
    };
  }

  /** `count` sessions, each built by {@link session} with the same overrides (so do not fix `id` here). */
  many(count: number, overrides: SessionOverrides = {}): Session[] {
    checkCount('count', count, 1_000_000);
    return Array.from({ length: count }, () => this.session(overrides));
  }

  #message(role: 'user' | 'assistant'): Message {
    const id = this.uuid();
    const text = role === 'user' ? `Question ${id.slice(0, 8)}?` : `Answer ${id.slice(0, 8)}.`;
    return { id, role, content: text, timestamp: this.timestamp() };
  }
}
