import type { Message, Todo } from '@jido-code/core-schema';
import { cutContext } from './context-cut.js';
import { contextWindowFor } from './context-window.js';
import type { ChosenModel } from './resolve-model.js';
import { type ReplyOutcome, streamReply } from './stream-reply.js';
import { systemPrompt } from './system-prompt.js';

/** Tokens kept free for the reply when the session's config sets no `max_tokens`. */
export const defaultReplyTokens = 4_096;

/** One turn of the shell: the session as it stands (the user's message last) and the model. */
export interface AskInput {
  readonly model: ChosenModel;
  readonly session: {
    readonly name: string;
    readonly projectPath: string;
    readonly todos: readonly Todo[];
    /** Oldest first; the user's new message is the last one. */
    readonly messages: readonly Message[];
  };
  readonly signal?: AbortSignal | undefined;
  readonly onText?: ((text: string) => void) | undefined;
}

/**
 * Cuts the session to the model's context (see `cutContext`) and streams the reply. A
 * conversation whose newest message alone is over the context fails as `context_too_long`
 * before any request is made. Never throws.
 */
export async function askModel(input: AskInput): Promise<ReplyOutcome> {
  const { model, session } = input;
  const cut = cutContext({
    systemPrompt: systemPrompt(session),
    todos: session.todos,
    messages: session.messages,
    contextWindow: model.contextWindow ?? contextWindowFor(model.modelId),
    replyTokens: model.maxOutputTokens ?? defaultReplyTokens,
    modelId: model.modelId,
  });
  if (!cut.ok) return { status: 'failed', text: '', usage: {}, error: cut.error };
  return streamReply({
    model,
    system: cut.value.system,
    turns: cut.value.turns,
    signal: input.signal,
    onText: input.onText,
  });
}
