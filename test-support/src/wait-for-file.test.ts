import { mkdtemp, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitForFile } from './wait-for-file.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(await realpath(tmpdir()), 'wait-for-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const later = (ms: number, action: () => Promise<void>) =>
  new Promise<void>((resolve, reject) => {
    setTimeout(() => action().then(resolve, reject), ms);
  });

describe('waitForFile', () => {
  it('resolves at once with the stat of a file that exists', async () => {
    const path = join(dir, 'here.json');
    await writeFile(path, 'abc');
    const info = await waitForFile(path, { timeoutMs: 0 });
    expect(info.size).toBe(3);
    expect(info.ino).toBe((await stat(path)).ino);
  });

  it('waits for a file that appears later', async () => {
    const path = join(dir, 'later.json');
    const [info] = await Promise.all([
      waitForFile(path, { timeoutMs: 2000 }),
      later(60, () => writeFile(path, '{}')),
    ]);
    expect(info.isFile()).toBe(true);
  });

  it('waits until the predicate on contents and stat passes', async () => {
    const path = join(dir, 'growing.json');
    await writeFile(path, '{"state":');
    const seen: string[] = [];
    const waiting = waitForFile(path, {
      timeoutMs: 2000,
      predicate: (contents, info) => {
        seen.push(contents.toString());
        expect(info.size).toBe(contents.length);
        return JSON.parse(contents.toString()).state === 'done';
      },
    });
    await later(30, () => writeFile(path, '{"state":"writing"}'));
    await later(30, () => writeFile(path, '{"state":"done"}'));
    const info = await waiting;
    expect(info.size).toBe('{"state":"done"}'.length);
    expect(seen).toContain('{"state":');
    expect(seen.at(-1)).toBe('{"state":"done"}');
  });

  it('accepts an async predicate', async () => {
    const path = join(dir, 'async.json');
    await writeFile(path, 'ready');
    const info = await waitForFile(path, {
      predicate: async (contents) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return contents.toString() === 'ready';
      },
    });
    expect(info.size).toBe(5);
  });

  it('rejects on timeout with an Error naming the path and the timeout', async () => {
    const path = join(dir, 'never.json');
    const started = performance.now();
    const failure = waitForFile(path, { timeoutMs: 150 });
    await expect(failure).rejects.toThrow(Error);
    await expect(failure).rejects.toThrow(
      `waitForFile: timed out after 150 ms waiting for ${path} (it does not exist)`,
    );
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1500);
  });

  it('rejects when the predicate never passes, saying so', async () => {
    const path = join(dir, 'wrong.json');
    await writeFile(path, 'nope');
    await expect(waitForFile(path, { timeoutMs: 80, predicate: () => false })).rejects.toThrow(
      /timed out after 80 ms .*wrong\.json \(the predicate did not pass\)/,
    );
  });

  it('reports the last error of a predicate that kept throwing, as cause', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{"half":');
    const error = await waitForFile(path, {
      timeoutMs: 60,
      predicate: (contents) => JSON.parse(contents.toString()),
    }).then(
      () => new Error('expected a timeout'),
      (caught: unknown) => caught as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/the predicate threw: /);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('checks once with a zero timeout', async () => {
    await expect(waitForFile(join(dir, 'absent'), { timeoutMs: 0 })).rejects.toThrow(/timed out after 0 ms/);
  });

  it('backs off exponentially up to maxIntervalMs', async () => {
    const path = join(dir, 'poll.json');
    await writeFile(path, 'x');
    const delays: number[] = [];
    let checks = 0;
    await waitForFile(path, {
      timeoutMs: 60_000,
      intervalMs: 10,
      maxIntervalMs: 100,
      predicate: () => ++checks === 8,
      sleep: async (milliseconds) => {
        delays.push(milliseconds);
      },
    });
    expect(delays).toEqual([10, 20, 40, 80, 100, 100, 100]);
  });

  it('refuses nonsense options', async () => {
    const path = join(dir, 'x');
    await expect(waitForFile(path, { timeoutMs: -1 })).rejects.toThrow(RangeError);
    await expect(waitForFile(path, { intervalMs: 0 })).rejects.toThrow(/intervalMs/);
    await expect(waitForFile(path, { maxIntervalMs: Number.NaN })).rejects.toThrow(/maxIntervalMs/);
  });
});
