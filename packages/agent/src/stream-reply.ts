import type { JidoError, Usage } from '@jido-code/core-schema';
import { type LanguageModel, type LanguageModelUsage, streamText } from 'ai';
import type { ConversationTurn } from './context-cut.js';
import { providerError } from './provider-errors.js';
import type { ChosenModel } from './resolve-model.js';
import { replyUsage } from './usage.js';

/** One request: the model, what it is sent, and where its text goes as it arrives. */
export interface ReplyRequest {
  readonly model: ChosenModel;
  readonly system: string;
  readonly turns: readonly ConversationTurn[];
  /** Aborting it stops the reply (Ctrl+C); the text so far is kept. */
  readonly signal?: AbortSignal | undefined;
  /** Called with each piece of text, in order, as it streams in. */
  readonly onText?: ((text: string) => void) | undefined;
}

/** How a reply ended. */
export type ReplyStatus = 'complete' | 'stopped' | 'failed';

/** A finished, stopped or failed reply: the text that arrived and what it cost. */
export interface ReplyOutcome {
  readonly status: ReplyStatus;
  /** Every piece of text that arrived, joined. */
  readonly text: string;
  /** Token counts and cost in JidoCode's field names; empty when the provider sent none. */
  readonly usage: Usage;
  /** Set when `status` is `failed`: one typed provider error (see `providerError`). */
  readonly error?: JidoError;
}

/**
 * Streams one reply. Never throws: an error before or during the stream ends it as `failed` with
 * the text so far, an abort ends it as `stopped`. The SDK's own retries are off (`maxRetries: 0`):
 * the shell reports each failure at once and `/retry` resends.
 */
export async function streamReply(request: ReplyRequest): Promise<ReplyOutcome> {
  const { model } = request;
  let text = '';
  let reported: LanguageModelUsage | undefined;
  let failure: unknown;
  let aborted = false;
  try {
    const result = streamText({
      // chooseModel and the tests hand in real AI SDK models; the handle type only hides the SDK's.
      model: model.languageModel as LanguageModel,
      system: request.system,
      messages: request.turns.map((turn) => ({ role: turn.role, content: turn.content })),
      ...(model.temperature === undefined ? {} : { temperature: model.temperature }),
      ...(model.maxOutputTokens === undefined ? {} : { maxOutputTokens: model.maxOutputTokens }),
      ...(request.signal === undefined ? {} : { abortSignal: request.signal }),
      maxRetries: 0,
      // Errors are read from the stream below; the SDK's default logs them to the console.
      onError: () => undefined,
    });
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') {
        text += part.text;
        request.onText?.(part.text);
      } else if (part.type === 'finish') {
        reported = part.totalUsage;
      } else if (part.type === 'error') {
        failure = part.error;
      } else if (part.type === 'abort') {
        aborted = true;
      }
    }
  } catch (error) {
    if (request.signal?.aborted) aborted = true;
    else failure = error;
  }
  const usage = replyUsage(reported, model);
  if (aborted || (request.signal?.aborted && failure !== undefined))
    return { status: 'stopped', text, usage };
  if (failure !== undefined) {
    return { status: 'failed', text, usage, error: providerError(failure, model) };
  }
  return { status: 'complete', text, usage };
}
