import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findInFiles, type OpenAiStub, type StubResponse, startOpenAiStub } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { finished, jido, projectFolder, spawnJido, storedSession } from './jido.js';

const testCase = PersistenceTestCase.use();
const key = 'sk-test-model-shell-7c1e22a9';
let stub: OpenAiStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function withStub(responses: readonly StubResponse[]) {
  stub = await startOpenAiStub(responses);
  return { OPENAI_API_KEY: key, OPENAI_BASE_URL: stub.baseUrl };
}

/** The key appears nowhere: not in the home's files, not on stdout or stderr. */
async function expectNoKey(home: string, ...outputs: string[]): Promise<void> {
  expect(await findInFiles(home, [key])).toEqual([]);
  for (const output of outputs) expect(output).not.toContain(key);
}

describe('the shell with a model (a local OpenAI-compatible stub)', { timeout: 180_000 }, () => {
  it('answers with the streamed model reply, records usage, and shows it in /usage, show and list --json', async () => {
    const env = await withStub([
      {
        kind: 'stream',
        chunks: ['The tests ', 'fail because ', 'of a typo.'],
        usage: { prompt_tokens: 321, completion_tokens: 9 },
      },
    ]);
    const project = await projectFolder();
    const run = await jido([], {
      home: testCase.home,
      env,
      input: [
        `/session new ${project} --name=model`,
        'why do the tests fail?',
        '/usage',
        '/model',
        '/quit',
        '',
      ].join('\n'),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('The tests fail because of a typo.\n');
    expect(run.stdout).toContain('Total (1 reply): 321 tokens in, 9 out');
    expect(run.stdout).toContain('Model: openai/gpt-4o-mini (the default for OPENAI_API_KEY');
    expect(run.stdout).not.toContain('Noted:');

    const request = JSON.parse(stub?.requests[0]?.body ?? '{}');
    expect(stub?.requests[0]?.url).toBe('/v1/chat/completions');
    expect(request.messages.at(-1)).toEqual({ role: 'user', content: 'why do the tests fail?' });

    const session = await storedSession(testCase.home, 'model');
    expect(session.conversation.map((message) => [message.role, message.content, message.partial])).toEqual([
      ['user', 'why do the tests fail?', undefined],
      ['assistant', 'The tests fail because of a typo.', undefined],
    ]);
    expect(session.conversation[1]?.usage).toEqual({ input_tokens: 321, output_tokens: 9 });
    expect(session.cumulative_usage).toEqual({ input_tokens: 321, output_tokens: 9 });

    const shown = await jido(['sessions', 'show', 'model'], { home: testCase.home });
    expect(shown.stdout).toContain('Usage:    321 tokens in, 9 out');
    const listed = await jido(['sessions', 'list', '--json'], { home: testCase.home });
    expect(JSON.parse(listed.stdout).sessions[0].cumulative_usage).toEqual({
      input_tokens: 321,
      output_tokens: 9,
    });
    await expectNoKey(testCase.home, run.stdout, run.stderr, shown.stdout, listed.stdout);
  });

  it('prints one line for a 429, keeps the message, and /retry answers it', async () => {
    const env = await withStub([
      {
        kind: 'error',
        status: 429,
        headers: { 'retry-after': '7' },
        body: { error: { message: `rate limited for ${key}` } },
      },
      {
        kind: 'stream',
        chunks: ['Second ', 'time lucky.'],
        usage: { prompt_tokens: 5, completion_tokens: 3 },
      },
    ]);
    const project = await projectFolder();
    const run = await jido([], {
      home: testCase.home,
      env,
      input: [`/session new ${project} --name=retry`, 'hello?', '/retry', '/quit', ''].join('\n'),
    });
    const errorLines = run.stderr.split('\n').filter((line) => line.includes('429'));
    expect(errorLines).toEqual([
      expect.stringContaining('OpenAI is limiting requests (HTTP 429). Wait 7 seconds, then /retry.'),
    ]);
    expect(run.stdout).toContain('Second time lucky.');
    const session = await storedSession(testCase.home, 'retry');
    expect(session.conversation.map((message) => message.content)).toEqual(['hello?', 'Second time lucky.']);
    // Both requests sent the same user message, once.
    for (const request of stub?.requests ?? []) {
      const sent = JSON.parse(request.body).messages.filter(
        (message: { role: string }) => message.role === 'user',
      );
      expect(sent).toEqual([{ role: 'user', content: 'hello?' }]);
    }
    await expectNoKey(testCase.home, run.stdout, run.stderr);
  });

  it('without a key the offline agent answers and /model says why', async () => {
    const project = await projectFolder();
    const run = await jido([], {
      home: testCase.home,
      input: [
        `/session new ${project} --name=offline`,
        'hello',
        '/model anthropic/claude-sonnet-4-5',
        'again',
        '/quit',
        '',
      ].join('\n'),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Noted: "hello". No todos yet.');
    expect(run.stdout).toContain(
      'Model set to anthropic/claude-sonnet-4-5 and saved, but ANTHROPIC_API_KEY is not set, so the offline agent answers until it is.',
    );
    expect(run.stdout).toContain('Noted: "again".');
    const session = await storedSession(testCase.home, 'offline');
    expect(session.config).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5' });
  });

  it('recovers a reply cut by kill -9 mid-stream, marked partial', async () => {
    const env = await withStub([
      { kind: 'stream', chunks: ['alpha\n', 'beta\n', 'gamma\n', 'never sent'], hangAfter: 3 },
    ]);
    const project = await projectFolder();
    const child = spawnJido([], { home: testCase.home, env });
    const done = finished(child);
    child.stdin?.write(`/session new ${project} --name=killed\nstream something\n`);
    // Wait until the journal holds all three lines (whole lines are journaled as they arrive):
    // acknowledged text, then the real SIGKILL.
    const journalDir = join(testCase.home, 'journal');
    let journal = '';
    const started = Date.now();
    while (!journal.includes('gamma\\n') && Date.now() - started < 60_000) {
      const found = await findInFiles(journalDir, ['gamma\\n']).catch(() => []);
      if (found.length > 0) journal = await readFile(join(journalDir, found[0]?.file ?? ''), 'utf8');
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(journal).toContain('gamma\\n');
    child.kill('SIGKILL');
    const exit = await done;
    expect(exit.signal).toBe('SIGKILL');

    // The next jido run recovers the session from its journal.
    const listed = await jido(['sessions', 'list', '--json'], { home: testCase.home });
    expect(listed.code, listed.stderr).toBe(0);
    const session = await storedSession(testCase.home, 'killed');
    expect(session.recovered_at).toEqual(expect.any(String));
    expect(session.conversation.map((message) => [message.role, message.content, message.partial])).toEqual([
      ['user', 'stream something', undefined],
      ['assistant', 'alpha\nbeta\ngamma\n', true],
    ]);
    await expectNoKey(testCase.home, exit.stdout, exit.stderr, listed.stdout);
  });
});
