import { err, JidoError, ok, type Result, type Todo } from '@jido-code/core-schema';
import type { Command } from '../command.js';
import { type Outcome, viewOf } from '../outcome.js';
import type { HandlerContext } from './context.js';

type TodoCommand = Extract<Command, { kind: `todo.${string}` }>;

/** Handles `/todo …` on the active session. */
export async function handleTodoCommand(
  context: HandlerContext,
  command: TodoCommand,
): Promise<Result<Outcome>> {
  const session = context.active();
  if (!session) return err(new JidoError('no_active_session', 'No active session.'));
  let changed: Result<readonly Todo[]>;
  switch (command.kind) {
    case 'todo.list':
      return ok({ kind: 'todo.list', session: viewOf(session, session.id), todos: session.todos });
    case 'todo.add':
      changed = await session.addTodo(command.text);
      break;
    case 'todo.start':
      changed = await session.startTodo(command.index);
      break;
    case 'todo.done':
      changed = await session.completeTodo(command.index);
      break;
  }
  if (!changed.ok) return changed;
  return ok({ kind: 'todo.changed', session: viewOf(session, session.id), todos: changed.value });
}
