import { spawnSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/fixtures.js';
import { nodeFileSystem } from '../fs/file-system.js';
import { FileLock } from './file-lock.js';

let directory: { path: string; cleanup: () => Promise<void> };
let lockPath: string;
beforeEach(async () => {
  directory = await temporaryDirectory();
  lockPath = join(directory.path, 'test.lock');
});
afterEach(() => directory.cleanup());

const options = { staleMs: 60_000, timeoutMs: 20_000 };

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

async function tickets(): Promise<string[]> {
  return (await readdir(directory.path)).filter((name) => name.includes('.ticket.')).sort();
}

/** Waits until the lock's folder holds `count` tickets. */
async function untilTickets(count: number): Promise<void> {
  while ((await tickets()).length < count) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe('the fair file lock (tickets)', () => {
  it('serves waiters in the order they came, and a newcomer queues behind them', async () => {
    const holder = await FileLock.acquire(nodeFileSystem, lockPath, options);
    const order: string[] = [];
    const waiter = async (name: string) => {
      const lock = await FileLock.acquire(nodeFileSystem, lockPath, options);
      order.push(name);
      // Held long enough that the next one in line has to wait for it.
      await new Promise((resolve) => setTimeout(resolve, 10));
      await lock.release();
    };
    const waiters: Promise<void>[] = [];
    for (const [index, name] of ['first', 'second', 'third'].entries()) {
      waiters.push(waiter(name));
      await untilTickets(index + 1);
    }
    await holder.release();
    // The lock is free for a moment now; a newcomer sees the queue and takes a ticket too.
    waiters.push(waiter('newcomer'));
    await Promise.all(waiters);
    expect(order).toEqual(['first', 'second', 'third', 'newcomer']);
    expect(await readdir(directory.path)).toEqual([]);
  });

  it('skips the ticket of a waiter whose process is dead', async () => {
    const dead = {
      pid: deadPid(),
      host: hostname(),
      nonce: 'f'.repeat(32),
      created_at: new Date().toISOString(),
    };
    const holder = await FileLock.acquire(nodeFileSystem, lockPath, options);
    const waiting = FileLock.acquire(nodeFileSystem, lockPath, options);
    await untilTickets(1);
    // A waiter that came earlier (a lower number) and was killed while waiting.
    await writeFile(join(directory.path, 'test.lock.ticket.0.0123456789abcdef'), JSON.stringify(dead));
    await holder.release();
    const next = await waiting;
    await next.release();
    expect(await readdir(directory.path)).toEqual([]);
  });

  it('waits behind a live waiter that came first, and times out there with lock_timeout', async () => {
    const holder = await FileLock.acquire(nodeFileSystem, lockPath, options);
    const first = FileLock.acquire(nodeFileSystem, lockPath, options);
    await untilTickets(1);
    await expect(
      FileLock.acquire(nodeFileSystem, lockPath, { ...options, timeoutMs: 100 }),
    ).rejects.toMatchObject({
      code: 'lock_timeout',
    });
    // The one that gave up left the line.
    expect(await tickets()).toHaveLength(1);
    await holder.release();
    await (await first).release();
    expect(await readdir(directory.path)).toEqual([]);
  });
});
