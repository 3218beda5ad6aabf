import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StubRequest } from './openai-stub-server.js';

/** One scripted answer of the Anthropic stub: a streamed message or an HTTP error. */
export type AnthropicStubResponse =
  | {
      readonly kind: 'stream';
      /** The text pieces, each sent as one `content_block_delta` event (`text_delta`). */
      readonly chunks: readonly string[];
      /** `message_start` carries `input_tokens`; `message_delta` carries the final `output_tokens`. */
      readonly usage?: { readonly input_tokens: number; readonly output_tokens: number };
    }
  | {
      readonly kind: 'error';
      readonly status: number;
      /** Anthropic's error `type` (`authentication_error`, `rate_limit_error`, `overloaded_error`, …). */
      readonly type?: string;
      readonly message?: string;
      readonly headers?: Readonly<Record<string, string>>;
    };

/** A running Anthropic stub; `close()` when done. */
export interface AnthropicStub {
  /** `http://127.0.0.1:<port>/v1`, the value for `ANTHROPIC_BASE_URL`. */
  readonly baseUrl: string;
  readonly requests: StubRequest[];
  close(): Promise<void>;
}

/**
 * A local server on 127.0.0.1 speaking Anthropic's Messages API (`POST /v1/messages`, streamed as
 * server-sent events: `message_start`, `content_block_start`, `content_block_delta`…,
 * `content_block_stop`, `message_delta` with the usage, `message_stop`), and its error bodies
 * (`{ type: 'error', error: { type, message } }`). Each request takes the next scripted response;
 * the last one repeats. No real provider is called.
 */
export async function startAnthropicStub(
  responses: readonly AnthropicStubResponse[],
): Promise<AnthropicStub> {
  const requests: StubRequest[] = [];
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const scripted = responses[Math.min(requests.length - 1, responses.length - 1)];
      if (scripted === undefined || request.method !== 'POST' || request.url !== '/v1/messages') {
        writeError(response, 404, { type: 'not_found_error', message: 'not found' });
        return;
      }
      if (scripted.kind === 'error') {
        writeError(
          response,
          scripted.status,
          {
            type: scripted.type ?? 'api_error',
            message: scripted.message ?? `status ${scripted.status}`,
          },
          scripted.headers,
        );
        return;
      }
      stream(response, scripted, modelOf(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function modelOf(body: string): string {
  try {
    const model = (JSON.parse(body) as { model?: unknown }).model;
    return typeof model === 'string' ? model : 'unknown';
  } catch {
    return 'unknown';
  }
}

function writeError(
  response: ServerResponse,
  status: number,
  error: { type: string; message: string },
  headers: Readonly<Record<string, string>> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify({ type: 'error', error }));
}

function stream(
  response: ServerResponse,
  scripted: Extract<AnthropicStubResponse, { kind: 'stream' }>,
  model: string,
): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const event = (type: string, data: Record<string, unknown>) =>
    response.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  const usage = scripted.usage ?? { input_tokens: 0, output_tokens: 0 };
  event('message_start', {
    message: {
      id: 'msg_stub',
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: usage.input_tokens, output_tokens: 1 },
    },
  });
  event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  event('ping', {});
  for (const chunk of scripted.chunks) {
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: chunk } });
  }
  event('content_block_stop', { index: 0 });
  event('message_delta', {
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  });
  event('message_stop', {});
  response.end();
}
