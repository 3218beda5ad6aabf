import type { LlmConfig } from '@jido-code/core-schema';
import { describe, expect, it } from 'vitest';
import { parseModelSpec } from './model-spec.js';
import { hasProviderKey, providerEnvironment } from './provider-environment.js';
import { chooseModel } from './resolve-model.js';

const config = (provider: string, model: string, extra?: LlmConfig['extra']): LlmConfig => ({
  provider,
  model,
  temperature: 0.3,
  max_tokens: 1_000,
  ...(extra ? { extra } : {}),
});
const modelOf = (value: unknown) => value as { provider: string; modelId: string };

describe('chooseModel: the session config selects the model, keys come from the environment', () => {
  it('builds an Anthropic model from ANTHROPIC_API_KEY', () => {
    const chosen = chooseModel(config('anthropic', 'claude-sonnet-4-5'), {
      ANTHROPIC_API_KEY: 'sk-ant-test',
    });
    if (!chosen.ok) throw chosen.error;
    expect(modelOf(chosen.value.languageModel).provider).toBe('anthropic.messages');
    expect(modelOf(chosen.value.languageModel).modelId).toBe('claude-sonnet-4-5');
    expect(chosen.value).toMatchObject({ temperature: 0.3, maxOutputTokens: 1_000, customEndpoint: false });
  });

  it('uses the Responses API for OpenAI itself and Chat Completions when OPENAI_BASE_URL is set', () => {
    const direct = chooseModel(config('openai', 'gpt-4o-mini'), { OPENAI_API_KEY: 'sk-test' });
    if (!direct.ok) throw direct.error;
    expect(modelOf(direct.value.languageModel).provider).toBe('openai.responses');
    const local = chooseModel(config('openai', 'llama3', { context_window: 32_768 }), {
      OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1',
    });
    if (!local.ok) throw local.error;
    expect(modelOf(local.value.languageModel).provider).toBe('openai.chat');
    expect(local.value.customEndpoint).toBe(true);
    expect(local.value.contextWindow).toBe(32_768);
  });

  it('refuses a missing key with provider_key_missing naming the variable, not a value', () => {
    const chosen = chooseModel(config('anthropic', 'claude-sonnet-4-5'), { OPENAI_API_KEY: 'sk-other' });
    expect(chosen.ok).toBe(false);
    if (chosen.ok) return;
    expect(chosen.error.code).toBe('provider_key_missing');
    expect(chosen.error.details).toEqual({ provider: 'anthropic', variable: 'ANTHROPIC_API_KEY' });
    expect(JSON.stringify(chosen.error.details) + chosen.error.message).not.toContain('sk-other');
  });

  it('refuses an unknown provider', () => {
    const chosen = chooseModel(config('mistral', 'large'), { OPENAI_API_KEY: 'k' });
    expect(chosen.ok ? undefined : chosen.error.code).toBe('provider_unknown');
  });

  it('reads only the three variables and ignores blank ones', () => {
    const environment = providerEnvironment({
      ANTHROPIC_API_KEY: '  ',
      OPENAI_API_KEY: 'sk-x',
      HOME: '/home/someone',
    });
    expect(environment).toEqual({ OPENAI_API_KEY: 'sk-x' });
    expect(hasProviderKey('anthropic', environment)).toBe(false);
    expect(hasProviderKey('openai', environment)).toBe(true);
    expect(hasProviderKey('openai', { OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' })).toBe(true);
  });
});

describe('parseModelSpec', () => {
  it('reads provider/model and keeps slashes and colons of local model names', () => {
    expect(parseModelSpec('openai/gpt-4o-mini')).toEqual({
      ok: true,
      value: { provider: 'openai', model: 'gpt-4o-mini' },
    });
    expect(parseModelSpec(' openai/qwen/qwen2.5:7b ')).toEqual({
      ok: true,
      value: { provider: 'openai', model: 'qwen/qwen2.5:7b' },
    });
  });
  it('refuses an unknown provider, a missing model and control characters', () => {
    const unknown = parseModelSpec('gemini/pro');
    expect(unknown.ok ? undefined : unknown.error.code).toBe('provider_unknown');
    const missing = parseModelSpec('anthropic');
    expect(missing.ok ? undefined : missing.error.message).toContain('/model anthropic/claude-sonnet-4-5');
    const control = parseModelSpec('openai/gpt\u001b[31m');
    expect(control.ok ? undefined : control.error.code).toBe('usage');
  });
});
