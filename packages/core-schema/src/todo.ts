import { z } from 'zod';
import { limits } from './limits.js';

/** Where a todo stands. */
export const todoStatusSchema = z.enum(['pending', 'in_progress', 'completed']);
/** See {@link todoStatusSchema}. */
export type TodoStatus = z.infer<typeof todoStatusSchema>;

/** One entry of a session's todo list, as persisted. */
export const todoSchema = z.object({
  /** What is to be done, imperative ("Run the tests"). */
  content: z.string().min(1).max(limits.maxTodoLength),
  /** Where it stands. */
  status: todoStatusSchema,
  /** The same in present continuous ("Running the tests"), shown while in progress. */
  active_form: z.string().min(1).max(limits.maxTodoLength),
});
/** See {@link todoSchema}. */
export type Todo = z.infer<typeof todoSchema>;
