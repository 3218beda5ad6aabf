import { err, JidoError, type Message, ok, type Result, type Todo } from '@jido-code/core-schema';

/** One message as it is sent to a model. */
export interface ConversationTurn {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

/** What {@link cutContext} works from. */
export interface ContextInput {
  /** The instructions sent first; always kept. */
  readonly systemPrompt: string;
  /** The session's todos; always kept (they are written into the system part). */
  readonly todos: readonly Todo[];
  /** The session's messages, oldest first; the last one is the user's new message. */
  readonly messages: readonly Message[];
  /** Tokens the model reads at most. */
  readonly contextWindow: number;
  /** Tokens kept free for the reply. */
  readonly replyTokens: number;
  /** Named in the error when even the newest message does not fit. */
  readonly modelId: string;
}

/** What is sent: the system part, the kept turns (oldest first), and how many messages were left out. */
export interface CutContext {
  readonly system: string;
  readonly turns: readonly ConversationTurn[];
  /** Messages of the session not sent (older than the kept ones, or without text). */
  readonly omitted: number;
  /** The estimate of the tokens sent. */
  readonly estimatedTokens: number;
}

/** Per-message overhead of the chat formats (role markers), in tokens. */
const messageOverhead = 4;

/**
 * A deliberately cautious token estimate: one token per 3 characters (English text averages about
 * 4 per token, code and other scripts fewer), so a kept conversation does not overflow.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

/**
 * The context rule (docs/architecture.md, "The model's context"): the system prompt and the todos
 * are always sent; then messages are taken **newest first** while they fit in the context window
 * minus the reply's tokens; the first message that does not fit ends the walk, so what is sent is
 * always an unbroken run of the most recent messages. Messages without text (tool records) and
 * `system`/`tool` roles are skipped; a kept run that would start with a reply starts at the next
 * user message instead (some providers require the user to speak first). Only the kept messages
 * are read, so a 10,000-message session costs what its last page costs. If the newest message
 * alone does not fit, the result is `context_too_long`.
 */
export function cutContext(input: ContextInput): Result<CutContext> {
  const system = systemWithTodos(input.systemPrompt, input.todos);
  const budget = input.contextWindow - input.replyTokens - estimateTokens(system) - messageOverhead;
  let used = 0;
  const kept: ConversationTurn[] = [];
  for (let index = input.messages.length - 1; index >= 0; index--) {
    const message = input.messages[index] as Message;
    if ((message.role !== 'user' && message.role !== 'assistant') || message.content.length === 0) continue;
    const cost = estimateTokens(message.content) + messageOverhead;
    if (used + cost > budget) break;
    used += cost;
    kept.push({ role: message.role, content: message.content });
  }
  kept.reverse();
  while (kept.length > 0 && kept[0]?.role !== 'user') kept.shift();
  if (kept.length === 0) {
    return err(
      new JidoError('context_too_long', 'The newest message does not fit in the model context.', {
        details: { model: input.modelId, contextWindow: input.contextWindow },
      }),
    );
  }
  return ok({
    system,
    turns: kept,
    omitted: input.messages.length - kept.length,
    estimatedTokens: used + estimateTokens(system) + messageOverhead,
  });
}

const todoMarks = { pending: '[ ]', in_progress: '[~]', completed: '[x]' } as const;

/** The system prompt followed by the todo list, the part of the context that is never cut. */
export function systemWithTodos(systemPrompt: string, todos: readonly Todo[]): string {
  if (todos.length === 0) return systemPrompt;
  const lines = todos.map((todo, index) => `${index + 1}. ${todoMarks[todo.status]} ${todo.content}`);
  return `${systemPrompt}\n\nThe session's todo list:\n${lines.join('\n')}`;
}
