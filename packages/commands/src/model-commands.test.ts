import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { errorCodeOf, expectOutcome, makeProject, openRunner, openStore } from '../test/helpers.js';
import { renderOutcome } from './render-outcome.js';
import { sanitizeError } from './sanitize-error.js';

const testCase = PersistenceTestCase.use();
const now = new Date('2026-11-30T12:00:00Z');

describe('/model, /usage and /retry', () => {
  it('changes the model, saves it, and says why the offline agent answers without a key', async () => {
    const { runner, manager } = await openRunner(testCase.home, { environment: {} });
    await expectOutcome(runner, `/session new ${await makeProject('m')}`, 'session.opened');
    const shown = await expectOutcome(runner, '/model', 'model.shown');
    expect(renderOutcome(shown, now)).toContain('the offline agent (no key set');
    const changed = await expectOutcome(runner, '/model anthropic/claude-sonnet-4-5', 'model.changed');
    expect(renderOutcome(changed, now)).toBe(
      'Model set to anthropic/claude-sonnet-4-5 and saved, but ANTHROPIC_API_KEY is not set, so the offline agent answers until it is.',
    );
    const id = runner.active?.id as string;
    await manager.closeAll();
    const saved = await (await openStore(testCase.home)).load(id);
    if (!saved.ok) throw saved.error;
    expect(saved.value.session.config).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5' });
  });

  it('names the default model when a key is set, never the key', async () => {
    const key = 'sk-ant-never-shown-0001';
    const { runner } = await openRunner(testCase.home, { environment: { ANTHROPIC_API_KEY: key } });
    await expectOutcome(runner, `/session new ${await makeProject('k')}`, 'session.opened');
    const text = renderOutcome(await expectOutcome(runner, '/model', 'model.shown'), now) ?? '';
    expect(text).toBe(
      'Model: anthropic/claude-sonnet-4-5 (the default for ANTHROPIC_API_KEY; /model <provider>/<model> to choose).',
    );
    const changed = renderOutcome(await expectOutcome(runner, '/model openai/gpt-4o', 'model.changed'), now);
    expect(changed).toContain('OPENAI_API_KEY is not set');
    expect(`${text}${changed}`).not.toContain(key);
  });

  it('refuses an unknown provider with one line naming the fix', async () => {
    const { runner } = await openRunner(testCase.home, { environment: {} });
    await expectOutcome(runner, `/session new ${await makeProject('u')}`, 'session.opened');
    expect(await errorCodeOf(runner, '/model gemini/pro')).toBe('provider_unknown');
    const result = await runner.run('/model gemini/pro');
    if (result.ok) throw new Error('accepted');
    expect(sanitizeError(result.error).message).toBe(
      'The provider "gemini" is not supported. Use /model anthropic/<model> or /model openai/<model>.',
    );
  });

  it('/retry picks the last user message; /usage sums the replies', async () => {
    const { runner } = await openRunner(testCase.home, { environment: {} });
    await expectOutcome(runner, `/session new ${await makeProject('r')}`, 'session.opened');
    expect(await errorCodeOf(runner, '/retry')).toBe('usage');
    expect(renderOutcome(await expectOutcome(runner, '/usage', 'usage.shown'), now)).toBe(
      'No usage yet: no reply of this session reported any.',
    );
    const session = runner.active;
    if (session === undefined) throw new Error('no session');
    await session.addMessage('user', 'first');
    const reply = await session.startReply();
    if (!reply.ok) throw reply.error;
    reply.value.push('an answer');
    await reply.value.finish({
      partial: false,
      usage: { input_tokens: 1200, output_tokens: 34, total_cost: 0.0123 },
    });
    await session.addMessage('user', 'second');
    const retry = await expectOutcome(runner, '/retry', 'message.retry');
    expect(retry.message.content).toBe('second');
    expect(renderOutcome(await expectOutcome(runner, '/usage', 'usage.shown'), now)).toBe(
      'Total (1 reply): 1,200 tokens in, 34 out, $0.0123\nLast reply: 1,200 tokens in, 34 out, $0.0123',
    );
  });
});
