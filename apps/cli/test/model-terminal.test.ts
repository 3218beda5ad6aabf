import { existsSync } from 'node:fs';
import { type OpenAiStub, startOpenAiStub } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { projectFolder, storedSession } from './jido.js';
import { openTerminal, scriptPath } from './terminal.js';

const testCase = PersistenceTestCase.use();
let stub: OpenAiStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

describe.skipIf(!existsSync(scriptPath))('a model reply on a terminal', { timeout: 180_000 }, () => {
  it('Ctrl+C mid-stream stops the reply, not the shell, and the reply is saved partial', async () => {
    // The first reply streams two pieces and then waits forever; the second answers at once.
    stub = await startOpenAiStub([
      { kind: 'stream', chunks: ['Counting: one, ', 'two, ', 'three'], hangAfter: 2 },
      { kind: 'stream', chunks: ['Still here.'] },
    ]);
    const folder = await projectFolder();
    const tty = openTerminal(testCase.home, [], {
      OPENAI_API_KEY: 'sk-tty-test',
      OPENAI_BASE_URL: stub.baseUrl,
    });
    await tty.waitFor('jido> ');
    tty.type(`/session new ${folder} --name=stopped\r`);
    await tty.waitFor('jido(stopped)> ');
    const gone = stub.clientGone();
    tty.type('count to three\r');
    await tty.waitFor('Counting: one, two, ');
    tty.type('\u0003');
    await tty.waitFor('(stopped)');
    await gone; // the request was really cancelled
    await tty.waitFor('Reply stopped; what arrived is saved.');
    // The shell is still there and answers the next message.
    tty.type('are you there?\r');
    await tty.waitFor('Still here.');
    tty.type('/quit\r');
    const done = await tty.done;
    expect(done.code).toBe(0);
    const session = await storedSession(testCase.home, 'stopped');
    expect(session.conversation.map((message) => [message.role, message.content, message.partial])).toEqual([
      ['user', 'count to three', undefined],
      ['assistant', 'Counting: one, two, ', true],
      ['user', 'are you there?', undefined],
      ['assistant', 'Still here.', undefined],
    ]);
  });
});
