import type { Writable } from 'node:stream';
import type { ChosenModel, ReplyOutcome } from '@jido-code/agent';
import {
  effectiveConfig,
  hasProviderKey,
  type ProviderEnvironment,
  supportedProviders,
} from '@jido-code/agent/models';
import { printable } from '@jido-code/commands/listing';
import type { Message, Result } from '@jido-code/core-schema';
import type { LiveSession, ReplyRecorder } from '@jido-code/session';
import type { ShellOutput } from './shell-output.js';

/** Options of {@link ModelResponder}. */
export interface ModelResponderOptions {
  /** The keys and base URL (only those; see `providerEnvironment`). */
  readonly environment: ProviderEnvironment;
  readonly output: ShellOutput;
  /** Where the reply streams to (the shell's stdout). */
  readonly stream: Writable;
  /** Where the spinner draws until the first token (a terminal's stderr), if anywhere. */
  readonly spinner?: Writable | undefined;
}

type Agent = typeof import('@jido-code/agent');

/** How a model reply ended, for the shell's exit status: `failed` when nothing usable came back. */
export type ModelReplyResult = 'done' | 'failed';

const frames = ['◒', '◐', '◓', '◑'];
const frameMs = 80;

/**
 * Answers messages with the model the session's config names (or the default for the key that is
 * set), streaming the reply to the terminal and journaling it as it arrives through the session's
 * {@link ReplyRecorder} (docs/architecture.md, streamed replies). The user's message is already
 * journaled when this runs. {@link interrupt} (Ctrl+C) stops the reply in flight, which is then
 * saved marked `partial`, like one cut short by a failure.
 */
export class ModelResponder {
  readonly #options: ModelResponderOptions;
  readonly #agent: Agent | undefined;
  #controller: AbortController | undefined;

  private constructor(options: ModelResponderOptions, agent: Agent | undefined) {
    this.#options = options;
    this.#agent = agent;
  }

  /**
   * A responder for the shell. The AI SDK (most of the shell's code) is loaded only when a provider
   * key is set: without one the offline agent answers every message, so a start never pays for it.
   */
  static async create(options: ModelResponderOptions): Promise<ModelResponder> {
    const anyKey = supportedProviders.some((provider) => hasProviderKey(provider, options.environment));
    return new ModelResponder(options, anyKey ? await import('@jido-code/agent') : undefined);
  }

  /** The model that answers in `session`, or undefined when no key is set (the offline agent answers). */
  modelFor(session: LiveSession): ChosenModel | undefined {
    if (this.#agent === undefined) return undefined;
    const config = effectiveConfig(session.config, this.#options.environment);
    if (config === undefined) return undefined;
    const chosen = this.#agent.chooseModel(config, this.#options.environment);
    return chosen.ok ? chosen.value : undefined;
  }

  /** Stops the reply in flight; false when none is streaming (Ctrl+C then means "leave"). */
  interrupt(): boolean {
    if (this.#controller === undefined || this.#controller.signal.aborted) return false;
    this.#controller.abort();
    return true;
  }

  /**
   * Streams the reply to the user message `messageId` (the last one, or the one `/retry` resends:
   * the conversation is sent up to it) and saves it. A failure prints one line; text that arrived
   * before it is saved marked `partial`.
   */
  async reply(session: LiveSession, model: ChosenModel, messageId: string): Promise<ModelReplyResult> {
    const { output } = this.#options;
    const messages = conversationUpTo(session, messageId);
    const controller = new AbortController();
    this.#controller = controller;
    const stopSpinner = this.#spin();
    const writer = new StreamWriter(this.#options.stream, output);
    let recorder: Promise<Result<ReplyRecorder>> | undefined;
    let outcome: ReplyOutcome;
    try {
      // modelFor gave a model, so the agent is loaded.
      outcome = await (this.#agent as Agent).askModel({
        model,
        session: { name: session.name, projectPath: session.projectPath, todos: session.todos, messages },
        signal: controller.signal,
        onText: (text) => {
          stopSpinner();
          writer.write(text);
          // The reply's own record is journaled at the first text, then every piece in order.
          recorder ??= session.startReply();
          void recorder.then((started) => {
            if (started.ok) started.value.push(text);
          });
        },
      });
    } finally {
      stopSpinner();
      this.#controller = undefined;
    }
    writer.end(outcome.status === 'stopped' ? output.colors.dim(' (stopped)') : '');
    let saved: Result<Message> | undefined;
    if (recorder !== undefined) {
      const started = await recorder;
      saved = started.ok
        ? await started.value.finish({ partial: outcome.status !== 'complete', usage: outcome.usage })
        : started;
    }
    if (saved !== undefined && !saved.ok) {
      await output.fail(saved.error);
      return 'failed';
    }
    if (outcome.status === 'failed') {
      await output.fail(outcome.error);
      return outcome.text === '' ? 'failed' : 'done';
    }
    if (outcome.status === 'stopped') output.note('Reply stopped; what arrived is saved. /retry asks again.');
    return 'done';
  }

  /** Draws a spinner on a terminal until the first token; returns the function that clears it. */
  #spin(): () => void {
    const target = this.#options.spinner;
    if (target === undefined) return () => undefined;
    let frame = 0;
    const draw = () => {
      target.write(`\r\u001b[2K${frames[frame++ % frames.length]}  Thinking…`);
    };
    draw();
    let timer: NodeJS.Timeout | undefined = setInterval(draw, frameMs);
    return () => {
      if (timer === undefined) return;
      clearInterval(timer);
      timer = undefined;
      target.write('\r\u001b[2K');
    };
  }
}

/** The session's messages up to and including `messageId` (the whole conversation if it is last). */
function conversationUpTo(session: LiveSession, messageId: string): readonly Message[] {
  const { messages } = session.getMessages();
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index]?.id === messageId) return messages.slice(0, index + 1);
  }
  return messages;
}

/** Writes streamed text as it arrives, made safe for a terminal, and ends it with a line break. */
class StreamWriter {
  readonly #stream: Writable;
  readonly #output: ShellOutput;
  #wrote = false;

  constructor(stream: Writable, output: ShellOutput) {
    this.#stream = stream;
    this.#output = output;
  }

  write(text: string): void {
    const safe = text
      .replace(/\r\n?/g, '\n')
      .replace(/\t/g, '  ')
      .split('\n')
      .map((line) => printable(line))
      .join('\n');
    this.#stream.write(this.#output.terminal ? this.#output.colors.green(safe) : safe);
    this.#wrote = true;
  }

  end(suffix: string): void {
    if (this.#wrote || suffix !== '') this.#stream.write(`${suffix}\n`);
  }
}
