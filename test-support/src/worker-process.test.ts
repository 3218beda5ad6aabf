import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { temporaryFolder } from './temporary-folder.js';
import { WorkerProcess } from './worker-process.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const script = fileURLToPath(new URL('../test/workers/echo-worker.ts', import.meta.url));
const start = (mode: string) => new WorkerProcess(script, [mode], { cwd: packageDir });

describe('WorkerProcess and stdinLines', () => {
  it('sends lines, reads answers line by line, and loses none sent before the worker listened', async () => {
    const worker = start('echo');
    for (const word of ['a', 'b', 'c']) worker.send(word);
    await worker.until((lines) => lines.length >= 3);
    expect(worker.lines).toEqual(['got a', 'got b', 'got c']);
    worker.send('d');
    expect(await worker.line(/^got d$/, 3)).toBe('got d');
    worker.send('exit');
    expect(await worker.exited).toMatchObject({ code: 0, signal: null });
    expect(worker.done).toBe(true);
  });

  it('names tsx and how to install it when the default command cannot find it', async () => {
    const empty = await temporaryFolder('outside-any-package', 'jido-no-tsx-');
    expect(() => new WorkerProcess(script, ['echo'], { cwd: empty })).toThrow(
      /tsx, which cannot be found from .*npm install --save-dev tsx/,
    );
  });

  it('tells the worker when stdin ends', async () => {
    const worker = start('echo');
    worker.child.stdin.end();
    expect(await worker.line(/^end$/)).toBe('end');
    expect((await worker.exited).code).toBe(0);
  });

  it('rejects a wait when the worker exits first, with its stderr', async () => {
    const worker = start('fail');
    await expect(worker.until((lines) => lines.includes('never'))).rejects.toThrow(
      /exited \(3\) first; stderr: boom/,
    );
  });

  it('rejects a wait that outlasts its guard, and kills with SIGKILL', async () => {
    const worker = start('echo');
    await expect(worker.until((lines) => lines.includes('never'), 300)).rejects.toThrow(
      /timed out after 300 ms/,
    );
    expect((await worker.kill()).signal).toBe('SIGKILL');
    worker.send('ignored after exit');
  });
});
