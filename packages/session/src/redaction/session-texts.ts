import type { LlmConfig, UnsignedSession } from '@jido-code/core-schema';
import type { SessionChange } from '../journal-records.js';

/**
 * The free texts a person or a model writes into a session (its name, messages, todos and the
 * string extras of its LLM config), listed in a fixed order so that a redacted list can be put
 * back in place. Ids, timestamps and the project path are not free text.
 */
type Texts = string[];

function configTexts(config: LlmConfig): Texts {
  return Object.values(config.extra ?? {}).filter((value): value is string => typeof value === 'string');
}

function withConfigTexts(config: LlmConfig, texts: Texts): LlmConfig {
  if (!config.extra) return config;
  const extra = Object.fromEntries(
    Object.entries(config.extra).map(([key, value]) => [
      key,
      typeof value === 'string' ? texts.shift() : value,
    ]),
  ) as NonNullable<LlmConfig['extra']>;
  return { ...config, extra };
}

function todoTexts(todos: UnsignedSession['todos']): Texts {
  return todos.flatMap((todo) => [todo.content, todo.active_form]);
}

function withTodoTexts(todos: UnsignedSession['todos'], texts: Texts): UnsignedSession['todos'] {
  return todos.map((todo) => ({
    ...todo,
    content: texts.shift() as string,
    active_form: texts.shift() as string,
  }));
}

/**
 * The free texts of a whole session, JidoCode's `prompt_history` (a copy of what the user typed)
 * included.
 */
export function sessionTexts(session: UnsignedSession): Texts {
  return [
    session.name,
    ...configTexts(session.config),
    ...session.conversation.map((message) => message.content),
    ...todoTexts(session.todos),
    ...(session.prompt_history ?? []),
  ];
}

/** The session with its free texts replaced, in {@link sessionTexts} order. */
export function withSessionTexts(session: UnsignedSession, replaced: readonly string[]): UnsignedSession {
  const texts = [...replaced];
  const name = texts.shift() as string;
  const config = withConfigTexts(session.config, texts);
  const conversation = session.conversation.map((message) => ({
    ...message,
    content: texts.shift() as string,
  }));
  const todos = withTodoTexts(session.todos, texts);
  if (session.prompt_history === undefined) return { ...session, name, config, conversation, todos };
  const prompt_history = session.prompt_history.map(() => texts.shift() as string);
  return { ...session, name, config, conversation, todos, prompt_history };
}

/** The free texts of one journal change. */
export function changeTexts(change: SessionChange): Texts {
  switch (change.type) {
    case 'message':
      return [change.message.content];
    case 'todos':
      return todoTexts(change.todos);
    case 'rename':
      return [change.name];
    case 'open':
      return [change.session.name, ...configTexts(change.session.config)];
    case 'config':
      return configTexts(change.config);
    case 'reply_text':
      return [change.text];
    case 'reply_end':
      return [];
  }
}

/** The change with its free texts replaced, in {@link changeTexts} order. */
export function withChangeTexts(change: SessionChange, replaced: readonly string[]): SessionChange {
  const texts = [...replaced];
  switch (change.type) {
    case 'message':
      return { ...change, message: { ...change.message, content: texts.shift() as string } };
    case 'todos':
      return { ...change, todos: withTodoTexts(change.todos, texts) };
    case 'rename':
      return { ...change, name: texts.shift() as string };
    case 'open': {
      const name = texts.shift() as string;
      return {
        ...change,
        session: { ...change.session, name, config: withConfigTexts(change.session.config, texts) },
      };
    }
    case 'config':
      return { ...change, config: withConfigTexts(change.config, texts) };
    case 'reply_text':
      return { ...change, text: texts.shift() as string };
    case 'reply_end':
      return change;
  }
}
