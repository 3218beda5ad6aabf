import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { type OpenAiStub, type StubResponse, startOpenAiStub } from '@jido-code/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { askThrough, recordConsole } from './ask-through.js';

const key = 'sk-test-4f1c9e0d2b7a11ee';
let stub: OpenAiStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
  vi.restoreAllMocks();
});

async function ask(responses: readonly StubResponse[], environment: Record<string, string> = {}) {
  stub = await startOpenAiStub(responses);
  const asked = await askThrough(
    { provider: 'openai', model: 'qwen2.5-coder', temperature: 0.4, max_tokens: 256 },
    { OPENAI_API_KEY: key, OPENAI_BASE_URL: stub.baseUrl, ...environment },
  );
  return { ...asked, requests: stub.requests };
}

describe('a local OpenAI-compatible server, through the real @ai-sdk/openai package', () => {
  it('posts a Chat Completions request of the right shape and parses the streamed events', async () => {
    const logged = recordConsole();
    const { outcome, pieces, requests } = await ask([
      {
        kind: 'stream',
        chunks: ['Sure', ', here', ' it is.'],
        usage: { prompt_tokens: 42, completion_tokens: 7 },
      },
    ]);
    expect(pieces).toEqual(['Sure', ', here', ' it is.']);
    // A model behind OPENAI_BASE_URL has no list price: counts only.
    expect(outcome).toEqual({
      status: 'complete',
      text: 'Sure, here it is.',
      usage: { input_tokens: 42, output_tokens: 7 },
    });

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${key}`);
    expect(request?.headers['content-type']).toContain('application/json');
    const body = JSON.parse(request?.body ?? '{}');
    expect(body).toMatchObject({ model: 'qwen2.5-coder', stream: true, temperature: 0.4, max_tokens: 256 });
    expect(body.messages.map((message: { role: string }) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'user',
    ]);
    expect(body.messages[0].content).toContain('1. [ ] ship it');
    expect(body.messages.at(-1).content).toBe('second question');

    // The key is in the Authorization header and nowhere else: not in another header, the body,
    // the outcome, or anything logged.
    const otherHeaders = Object.entries(request?.headers ?? {}).filter(([name]) => name !== 'authorization');
    expect(JSON.stringify(otherHeaders)).not.toContain(key);
    expect(request?.body).not.toContain(key);
    expect(JSON.stringify(outcome)).not.toContain(key);
    expect(JSON.stringify(logged)).not.toContain(key);
  });

  const failures: [string, StubResponse, string, Record<string, unknown>][] = [
    [
      '401',
      { kind: 'error', status: 401, body: { error: { message: `Incorrect API key provided: ${key}` } } },
      'provider_auth_failed',
      { status: 401 },
    ],
    [
      '429',
      { kind: 'error', status: 429, headers: { 'retry-after': '12' } },
      'provider_rate_limited',
      { retryAfterSeconds: 12 },
    ],
    ['503', { kind: 'error', status: 503 }, 'provider_unavailable', { status: 503 }],
    [
      'a context over the model',
      {
        kind: 'error',
        status: 400,
        body: {
          error: {
            message: "This model's maximum context length is 8192 tokens",
            code: 'context_length_exceeded',
          },
        },
      },
      'context_too_long',
      { status: 400 },
    ],
  ];
  for (const [name, response, code, details] of failures) {
    it(`turns ${name} from the server into ${code}, without the key`, async () => {
      const { outcome } = await ask([response]);
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.code).toBe(code);
      expect(outcome.error?.details).toMatchObject({ provider: 'openai', ...details });
      expect(JSON.stringify({ ...outcome, message: outcome.error?.message })).not.toContain(key);
    });
  }

  it('reports an unreachable server as provider_unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { outcome } = await askThrough(
      { provider: 'openai', model: 'm' },
      { OPENAI_API_KEY: key, OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` },
    );
    expect(outcome.error?.code).toBe('provider_unreachable');
    expect(outcome.error?.details.reason).toBe('ECONNREFUSED');
  });

  it('stops mid-stream on abort, closes the connection and keeps the text so far', async () => {
    stub = await startOpenAiStub([{ kind: 'stream', chunks: ['one ', 'two ', 'three'], hangAfter: 2 }]);
    const controller = new AbortController();
    const gone = stub.clientGone();
    const { outcome } = await askThrough(
      { provider: 'openai', model: 'm' },
      { OPENAI_API_KEY: key, OPENAI_BASE_URL: stub.baseUrl },
      { signal: controller.signal, onPiece: (pieces) => pieces.length === 2 && controller.abort() },
    );
    expect(outcome).toMatchObject({ status: 'stopped', text: 'one two ' });
    await gone;
  });
});
