import { existsSync } from 'node:fs';
import { type OpenAiStub, startOpenAiStub } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { projectFolder, storedSession, waitForOutput } from './jido.js';
import { openTerminal, screenText, scriptPath } from './terminal.js';

const testCase = PersistenceTestCase.use();
let stub: OpenAiStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

describe.skipIf(!existsSync(scriptPath))('a model reply on a terminal', { timeout: 180_000 }, () => {
  it('shows a spinner until the first token and clears it once text streams', async () => {
    // The stub answers with headers at once but holds the first chunk until the test opens the gate.
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    stub = await startOpenAiStub([{ kind: 'stream', chunks: ['First token', ' and the rest.'], gate }]);
    const folder = await projectFolder();
    const tty = openTerminal(testCase.home, [], {
      OPENAI_API_KEY: 'sk-tty-spinner',
      OPENAI_BASE_URL: stub.baseUrl,
    });
    await tty.waitFor('jido> ');
    tty.type(`/session new ${folder} --name=spinner`);
    tty.type('\r');
    await tty.waitFor('jido(spinner)> ');
    const start = tty.raw().length;
    tty.type('what now?\r');
    // The spinner draws and turns (two different frames) while the request waits at the stub.
    const framesSeen = (raw: string) =>
      new Set(raw.slice(start).match(/[◒◐◓◑](?= {2}Thinking…)/g) ?? []).size;
    await waitForOutput(tty.raw, (raw) => framesSeen(raw) >= 2);
    // The spinner starts before the request leaves: on a busy machine it may turn before the stub
    // has the request, so the test waits for that too (the gate keeps the reply back meanwhile).
    const requests = stub.requests;
    await waitForOutput(
      () => String(requests.length),
      (count) => count === '1',
    );
    expect(stub.requests).toHaveLength(1);
    expect(tty.raw().slice(start)).not.toContain('First token');
    openGate();
    await tty.waitFor('First token and the rest.');
    tty.type('/quit\r');
    expect((await tty.done).code).toBe(0);

    const reply = tty.raw().slice(start);
    const firstToken = reply.indexOf('First token');
    const lastFrame = reply.lastIndexOf('Thinking…');
    // Every spinner frame came before the first token, and the line was cleared in between.
    expect(lastFrame).toBeGreaterThan(-1);
    expect(lastFrame).toBeLessThan(firstToken);
    expect(reply.slice(lastFrame, firstToken)).toContain('\r\u001b[2K');
    expect(reply.slice(firstToken)).not.toContain('Thinking');
    // What is left on that line is the reply alone: the text after the clear, up to the line's end.
    const clear = '\r\u001b[2K';
    const afterClear = reply.slice(reply.lastIndexOf(clear, firstToken) + clear.length);
    expect(screenText(afterClear.split('\n')[0] ?? '').trim()).toBe('First token and the rest.');
  });

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
