/**
 * The shell with Anthropic (issue 25), end to end over HTTP: the real `@ai-sdk/anthropic` sends to
 * a local Messages API stub on 127.0.0.1 through `ANTHROPIC_BASE_URL`. Each error class is one line
 * on stderr, the message stays saved, `/retry` resends it, usage is recorded, and the key reaches
 * no file of the home and no output.
 */
import { type AnthropicStub, findInFiles, startAnthropicStub } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { jido, projectFolder, storedSession } from './jido.js';

const testCase = PersistenceTestCase.use();
const key = 'sk-ant-test-shell-51f0d8e2b9';
let stub: AnthropicStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

describe('the shell with Anthropic (a local Messages API stub)', { timeout: 180_000 }, () => {
  it('maps 429, 529, 500 and 401 to one line each, then /retry answers, with usage and no key anywhere', async () => {
    stub = await startAnthropicStub([
      { kind: 'error', status: 429, type: 'rate_limit_error', headers: { 'retry-after': '17' } },
      { kind: 'error', status: 529, type: 'overloaded_error', message: 'Overloaded' },
      { kind: 'error', status: 500, type: 'api_error', message: `internal error near ${key}` },
      { kind: 'error', status: 401, type: 'authentication_error', message: `invalid x-api-key: ${key}` },
      { kind: 'stream', chunks: ['Fourth ', 'time lucky.'], usage: { input_tokens: 2000, output_tokens: 4 } },
    ]);
    const project = await projectFolder();
    const run = await jido([], {
      home: testCase.home,
      env: { ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: stub.baseUrl },
      input: [
        `/session new ${project} --name=claude`,
        'hello?',
        '/retry',
        '/retry',
        '/retry',
        '/retry',
        '/usage',
        '/model',
        '/quit',
        '',
      ].join('\n'),
    });
    const providerLines = run.stderr.split('\n').filter((line) => line.includes('Anthropic'));
    expect(providerLines).toEqual([
      expect.stringContaining('Anthropic is limiting requests (HTTP 429). Wait 17 seconds, then /retry.'),
      expect.stringContaining('Anthropic had a server error (HTTP 529). Try /retry in a moment.'),
      expect.stringContaining('Anthropic had a server error (HTTP 500). Try /retry in a moment.'),
      expect.stringContaining('Anthropic refused the API key (HTTP 401). Check ANTHROPIC_API_KEY.'),
    ]);
    expect(run.stdout).toContain('Fourth time lucky.');
    expect(run.stdout).toContain('Model: anthropic/claude-sonnet-4-5');

    expect(stub.requests).toHaveLength(5);
    for (const request of stub.requests) {
      expect(request.url).toBe('/v1/messages');
      expect(request.headers['x-api-key']).toBe(key);
      expect(request.headers['anthropic-version']).toBe('2023-06-01');
      const body = JSON.parse(request.body);
      expect(body).toMatchObject({ model: 'claude-sonnet-4-5', stream: true });
      expect(JSON.stringify(body.messages)).toContain('hello?');
      expect(request.body).not.toContain(key);
    }

    const session = await storedSession(testCase.home, 'claude');
    expect(session.conversation.map((message) => [message.role, message.content])).toEqual([
      ['user', 'hello?'],
      ['assistant', 'Fourth time lucky.'],
    ]);
    // claude-sonnet-4-5 at $3 / $15 per million tokens.
    const usage = { input_tokens: 2000, output_tokens: 4, total_cost: 0.00606 };
    expect(session.conversation[1]?.usage).toEqual(usage);
    expect(session.cumulative_usage).toEqual(usage);
    const shown = await jido(['sessions', 'show', 'claude', '--json'], { home: testCase.home });
    expect(JSON.parse(shown.stdout).cumulative_usage).toEqual(usage);

    expect(await findInFiles(testCase.home, [key])).toEqual([]);
    for (const output of [run.stdout, run.stderr, shown.stdout, shown.stderr])
      expect(output).not.toContain(key);
  });
});
