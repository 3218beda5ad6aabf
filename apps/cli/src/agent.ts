import type { Todo } from '@jido-code/core-schema';

/** What an agent may see of the session it answers in. */
export interface AgentSessionView {
  readonly id: string;
  readonly name: string;
  readonly projectPath: string;
  readonly todos: readonly Todo[];
  /** Messages in the session before this one was added. */
  readonly messageCount: number;
}

/** One turn: the user's message and the session it was sent in. */
export interface AgentInput {
  readonly session: AgentSessionView;
  readonly message: string;
}

/**
 * What answers the user's messages in the shell. The reply is recorded as an assistant message.
 * The built-in {@link OfflineAgent} answers without a network; a real model plugs in here.
 */
export interface Agent {
  reply(input: AgentInput): Promise<string>;
}

/** Characters of the user's message the offline agent quotes back. */
const quotedLength = 60;

/**
 * An agent that needs no model and no network, and answers deterministically: it acknowledges the
 * message and counts the session's todos, e.g. `Noted: "fix the tests". 2 todos open, 1 done.`
 */
export class OfflineAgent implements Agent {
  async reply(input: AgentInput): Promise<string> {
    const flat = input.message.replace(/\s+/g, ' ').trim();
    const characters = Array.from(flat);
    const quoted =
      characters.length > quotedLength ? `${characters.slice(0, quotedLength - 1).join('')}…` : flat;
    const done = input.session.todos.filter((todo) => todo.status === 'completed').length;
    const open = input.session.todos.length - done;
    const todos =
      input.session.todos.length === 0
        ? 'No todos yet.'
        : `${open} ${open === 1 ? 'todo' : 'todos'} open, ${done} done.`;
    return `Noted: "${quoted}". ${todos}`;
  }
}
