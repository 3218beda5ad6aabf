import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { APICallError } from 'ai';
import { MockLanguageModelV3, simulateReadableStream } from 'ai/test';
import { describe, expect, it } from 'vitest';
import type { ChosenModel } from './resolve-model.js';
import { streamReply } from './stream-reply.js';

const usage = {
  inputTokens: { total: 1_000, noCache: 1_000, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 500, text: 500, reasoning: undefined },
};

function textParts(pieces: readonly string[]): LanguageModelV3StreamPart[] {
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 't' },
    ...pieces.map((delta) => ({ type: 'text-delta' as const, id: 't', delta })),
    { type: 'text-end', id: 't' },
    { type: 'finish', usage, finishReason: { unified: 'stop', raw: 'stop' } },
  ];
}

function chosen(languageModel: MockLanguageModelV3, modelId = 'claude-sonnet-4-5'): ChosenModel {
  return {
    provider: 'anthropic',
    modelId,
    languageModel,
    customEndpoint: false,
    temperature: 0.2,
    maxOutputTokens: 300,
  };
}

function streaming(parts: LanguageModelV3StreamPart[], chunkDelayInMs?: number) {
  return new MockLanguageModelV3({
    doStream: async () => ({
      stream: simulateReadableStream({ chunks: parts, ...(chunkDelayInMs ? { chunkDelayInMs } : {}) }),
    }),
  });
}

function failing(error: unknown) {
  return new MockLanguageModelV3({
    doStream: async () => {
      throw error;
    },
  });
}

function apiError(
  statusCode: number | undefined,
  extra: Partial<ConstructorParameters<typeof APICallError>[0]> = {},
) {
  return new APICallError({
    message: 'Incorrect API key provided: sk-secret-1234',
    url: 'https://api.example.test/v1/messages',
    requestBodyValues: {},
    ...(statusCode === undefined ? {} : { statusCode }),
    ...extra,
  });
}

const turns = [{ role: 'user' as const, content: 'hello' }];

describe('streamReply with the AI SDK test model', () => {
  it('streams the text in order, passes the config, and counts usage with the list price', async () => {
    const model = streaming(textParts(['Hel', 'lo, ', 'world', '.']));
    const seen: string[] = [];
    const outcome = await streamReply({
      model: chosen(model),
      system: 'be brief',
      turns,
      onText: (text) => seen.push(text),
    });
    expect(seen).toEqual(['Hel', 'lo, ', 'world', '.']);
    expect(outcome).toEqual({
      status: 'complete',
      text: 'Hello, world.',
      // claude-sonnet-4: $3 in, $15 out per million tokens.
      usage: { input_tokens: 1_000, output_tokens: 500, total_cost: 0.0105 },
    });
    const call = model.doStreamCalls[0];
    expect(call?.temperature).toBe(0.2);
    expect(call?.maxOutputTokens).toBe(300);
    expect(call?.prompt[0]).toEqual({ role: 'system', content: 'be brief' });
    expect(call?.prompt[1]).toMatchObject({ role: 'user', content: [{ type: 'text', text: 'hello' }] });
  });

  it('gives no cost for a model the price table does not list', async () => {
    const outcome = await streamReply({
      model: chosen(streaming(textParts(['x'])), 'my-local-model'),
      system: 's',
      turns,
    });
    expect(outcome.usage).toEqual({ input_tokens: 1_000, output_tokens: 500 });
  });

  it('stops on abort and keeps the text that arrived', async () => {
    const controller = new AbortController();
    const pieces = Array.from({ length: 50 }, (_, index) => `p${index} `);
    const seen: string[] = [];
    const outcome = await streamReply({
      model: chosen(streaming(textParts(pieces), 5)),
      system: 's',
      turns,
      signal: controller.signal,
      onText: (text) => {
        seen.push(text);
        if (seen.length === 3) controller.abort();
      },
    });
    expect(outcome.status).toBe('stopped');
    expect(outcome.text).toBe('p0 p1 p2 ');
    expect(outcome.error).toBeUndefined();
  });

  it('keeps the text so far when the stream breaks midway', async () => {
    const parts: LanguageModelV3StreamPart[] = [
      { type: 'text-start', id: 't' },
      { type: 'text-delta', id: 't', delta: 'half an ' },
      { type: 'error', error: apiError(500) },
    ];
    const outcome = await streamReply({ model: chosen(streaming(parts)), system: 's', turns });
    expect(outcome.status).toBe('failed');
    expect(outcome.text).toBe('half an ');
    expect(outcome.error?.code).toBe('provider_unavailable');
  });

  const cases: [string, unknown, string, Record<string, unknown>][] = [
    ['401', apiError(401), 'provider_auth_failed', { status: 401 }],
    ['403', apiError(403), 'provider_auth_failed', { status: 403 }],
    [
      '429 with retry-after',
      apiError(429, { responseHeaders: { 'retry-after': '17' } }),
      'provider_rate_limited',
      { status: 429, retryAfterSeconds: 17 },
    ],
    [
      '429 with retry-after-ms',
      apiError(429, { responseHeaders: { 'Retry-After-Ms': '2500' } }),
      'provider_rate_limited',
      { retryAfterSeconds: 3 },
    ],
    ['500', apiError(500), 'provider_unavailable', { status: 500 }],
    ['529 overloaded', apiError(529), 'provider_unavailable', { status: 529 }],
    [
      'network unreachable',
      apiError(undefined, {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      }),
      'provider_unreachable',
      { reason: 'ECONNREFUSED' },
    ],
    [
      'context too long (OpenAI)',
      apiError(400, { responseBody: '{"error":{"code":"context_length_exceeded"}}' }),
      'context_too_long',
      { status: 400, model: 'claude-sonnet-4-5' },
    ],
    [
      'context too long (Anthropic)',
      apiError(400, {
        responseBody: '{"error":{"message":"prompt is too long: 210000 tokens > 200000 maximum"}}',
      }),
      'context_too_long',
      { status: 400 },
    ],
    [
      'another 400',
      apiError(400, { responseBody: '{"error":"bad temperature"}' }),
      'provider_failed',
      { status: 400 },
    ],
  ];
  for (const [name, error, code, details] of cases) {
    it(`maps ${name} to ${code}, keeping no provider text or key`, async () => {
      const outcome = await streamReply({ model: chosen(failing(error)), system: 's', turns });
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.code).toBe(code);
      expect(outcome.error?.details).toMatchObject({ provider: 'anthropic', ...details });
      expect(outcome.error?.cause).toBeUndefined();
      const everything = JSON.stringify({ message: outcome.error?.message, details: outcome.error?.details });
      expect(everything).not.toContain('sk-secret');
      expect(everything).not.toContain('example.test');
    });
  }
});
