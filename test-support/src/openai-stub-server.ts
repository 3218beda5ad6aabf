import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the stub: a streamed reply or an HTTP error. */
export type StubResponse =
  | {
      readonly kind: 'stream';
      /** The text pieces, each sent as one `chat.completion.chunk` event. */
      readonly chunks: readonly string[];
      /** Pause before each chunk, in milliseconds (default 0). */
      readonly delayMs?: number;
      /** Sent in a last chunk as `usage` (OpenAI's `stream_options.include_usage`). */
      readonly usage?: { readonly prompt_tokens: number; readonly completion_tokens: number };
      /** After this many chunks the stream stops sending and stays open until the client leaves. */
      readonly hangAfter?: number;
      /**
       * Holds the first chunk (the headers are sent) until this settles: a test opens the gate once
       * it has seen what should show while the reply has not started, with no timing involved.
       */
      readonly gate?: Promise<unknown>;
    }
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    };

/** A request the stub received. */
export interface StubRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The raw body text. */
  readonly body: string;
}

/** A running stub; `close()` when done. */
export interface OpenAiStub {
  /** `http://127.0.0.1:<port>/v1`, the value for `OPENAI_BASE_URL`. */
  readonly baseUrl: string;
  readonly requests: StubRequest[];
  /** Resolves when the client side of the current (or next) stream goes away. */
  clientGone(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A local OpenAI-compatible server on 127.0.0.1 speaking the Chat Completions API
 * (`POST /v1/chat/completions`, streamed as server-sent events), as llama.cpp, Ollama and vLLM do.
 * Each request takes the next scripted response; the last one repeats. No real provider is called.
 */
export async function startOpenAiStub(responses: readonly StubResponse[]): Promise<OpenAiStub> {
  const requests: StubRequest[] = [];
  let goneWaiters: (() => void)[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(parts).toString('utf8'),
      });
      const scripted = responses[Math.min(requests.length - 1, responses.length - 1)];
      if (scripted === undefined || request.url !== '/v1/chat/completions') {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      if (scripted.kind === 'error') {
        response.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
        response.end(JSON.stringify(scripted.body ?? { error: { message: `status ${scripted.status}` } }));
        return;
      }
      open.add(response);
      response.on('close', () => {
        open.delete(response);
        const waiters = goneWaiters;
        goneWaiters = [];
        for (const wake of waiters) wake();
      });
      void stream(response, scripted);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    clientGone: () => new Promise<void>((resolve) => goneWaiters.push(resolve)),
    close: async () => {
      for (const response of open) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function stream(response: ServerResponse, scripted: Extract<StubResponse, { kind: 'stream' }>) {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const event = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-stub', object: 'chat.completion.chunk', created: 1, model: 'stub-model', choices, ...extra })}\n\n`;
  if (scripted.gate !== undefined) await scripted.gate;
  for (const [index, chunk] of scripted.chunks.entries()) {
    if (scripted.hangAfter !== undefined && index >= scripted.hangAfter) return;
    if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
    if (response.destroyed) return;
    const delta = index === 0 ? { role: 'assistant', content: chunk } : { content: chunk };
    response.write(event([{ index: 0, delta, finish_reason: null }]));
  }
  if (scripted.hangAfter !== undefined && scripted.chunks.length >= scripted.hangAfter) return;
  response.write(event([{ index: 0, delta: {}, finish_reason: 'stop' }]));
  if (scripted.usage) {
    const { prompt_tokens, completion_tokens } = scripted.usage;
    response.write(
      event([], {
        usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens },
      }),
    );
  }
  response.end('data: [DONE]\n\n');
}
