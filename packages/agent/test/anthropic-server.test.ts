import { type AnthropicStub, type AnthropicStubResponse, startAnthropicStub } from '@jido-code/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { providerEnvironment } from '../src/index.js';
import { askThrough, recordConsole } from './ask-through.js';

const key = 'sk-ant-test-9d2e4b71c0a3';
let stub: AnthropicStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
  vi.restoreAllMocks();
});

/** Asks `claude-sonnet-4-5` through the real `@ai-sdk/anthropic`, sent to the stub by ANTHROPIC_BASE_URL. */
async function ask(responses: readonly AnthropicStubResponse[]) {
  stub = await startAnthropicStub(responses);
  const asked = await askThrough(
    { provider: 'anthropic', model: 'claude-sonnet-4-5', temperature: 0.2, max_tokens: 512 },
    { ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: stub.baseUrl },
  );
  return { ...asked, requests: stub.requests };
}

describe('a local Anthropic Messages API server, through the real @ai-sdk/anthropic package', () => {
  it('reads ANTHROPIC_BASE_URL from the environment, and only through providerEnvironment', () => {
    const environment = providerEnvironment({
      ANTHROPIC_API_KEY: key,
      ANTHROPIC_BASE_URL: ' http://127.0.0.1:9/v1 ',
      UNRELATED: 'x',
    });
    expect(environment).toEqual({ ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/v1' });
  });

  it('posts a Messages request of the right shape and parses the streamed events and usage', async () => {
    const logged = recordConsole();
    const { outcome, pieces, requests } = await ask([
      {
        kind: 'stream',
        chunks: ['The fixture ', 'path is ', 'relative.'],
        usage: { input_tokens: 1200, output_tokens: 8 },
      },
    ]);
    expect(pieces).toEqual(['The fixture ', 'path is ', 'relative.']);
    // claude-sonnet-4-5 is in the price table: $3 in, $15 out per million tokens.
    expect(outcome).toEqual({
      status: 'complete',
      text: 'The fixture path is relative.',
      usage: { input_tokens: 1200, output_tokens: 8, total_cost: 0.00372 },
    });

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/messages');
    expect(request?.headers['x-api-key']).toBe(key);
    expect(request?.headers['anthropic-version']).toBe('2023-06-01');
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.headers['content-type']).toContain('application/json');
    const body = JSON.parse(request?.body ?? '{}');
    expect(body).toMatchObject({
      model: 'claude-sonnet-4-5',
      stream: true,
      temperature: 0.2,
      max_tokens: 512,
    });
    // The system prompt (with the todos) is Anthropic's top-level `system`, not a message.
    const system = JSON.stringify(body.system);
    expect(system).toContain('1. [ ] ship it');
    expect(body.messages.map((message: { role: string }) => message.role)).toEqual([
      'user',
      'assistant',
      'user',
    ]);
    expect(JSON.stringify(body.messages.at(-1).content)).toContain('second question');

    // The key is in the x-api-key header and nowhere else.
    const otherHeaders = Object.entries(request?.headers ?? {}).filter(([name]) => name !== 'x-api-key');
    expect(JSON.stringify(otherHeaders)).not.toContain(key);
    expect(request?.body).not.toContain(key);
    expect(JSON.stringify(outcome)).not.toContain(key);
    expect(JSON.stringify(logged)).not.toContain(key);
  });

  // The one line each becomes on the terminal is checked by apps/cli/test/model-shell.test.ts.
  const failures: [string, AnthropicStubResponse, string, Record<string, unknown>][] = [
    [
      '401',
      { kind: 'error', status: 401, type: 'authentication_error', message: `invalid x-api-key ${key}` },
      'provider_auth_failed',
      { status: 401 },
    ],
    [
      '429 with retry-after',
      { kind: 'error', status: 429, type: 'rate_limit_error', headers: { 'retry-after': '17' } },
      'provider_rate_limited',
      { status: 429, retryAfterSeconds: 17 },
    ],
    [
      '529 (overloaded)',
      { kind: 'error', status: 529, type: 'overloaded_error', message: 'Overloaded' },
      'provider_unavailable',
      { status: 529 },
    ],
    ['500', { kind: 'error', status: 500, type: 'api_error' }, 'provider_unavailable', { status: 500 }],
  ];
  for (const [name, response, code, details] of failures) {
    it(`turns ${name} from the server into ${code}, without the key`, async () => {
      const { outcome, requests } = await ask([response]);
      expect(requests).toHaveLength(1); // no silent retries
      expect(outcome.status).toBe('failed');
      expect(outcome.text).toBe('');
      const error = outcome.error;
      expect(error?.code).toBe(code);
      expect(error?.details).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5', ...details });
      expect(JSON.stringify({ ...outcome, message: error?.message, details: error?.details })).not.toContain(
        key,
      );
    });
  }
});
