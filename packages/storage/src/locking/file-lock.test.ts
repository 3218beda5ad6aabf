import { spawnSync } from 'node:child_process';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/fixtures.js';
import { nodeFileSystem } from '../fs/file-system.js';
import { FileLock, withFileLock } from './file-lock.js';

let directory: { path: string; cleanup: () => Promise<void> };
let lockPath: string;
beforeEach(async () => {
  directory = await temporaryDirectory();
  lockPath = join(directory.path, 'test.lock');
});
afterEach(() => directory.cleanup());

const options = { staleMs: 1_000, timeoutMs: 2_000 };

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('FileLock', () => {
  it('writes pid, host, nonce and creation time, mode 0600, and removes the file at release', async () => {
    const lock = await FileLock.acquire(nodeFileSystem, lockPath, options);
    const record = JSON.parse(await readFile(lockPath, 'utf8'));
    expect(record).toMatchObject({ pid: process.pid, host: hostname(), nonce: lock.record.nonce });
    expect(typeof record.created_at).toBe('string');
    expect((await nodeFileSystem.lstat(lockPath)).mode & 0o777).toBe(0o600);
    await lock.release();
    expect(await readdir(directory.path)).toEqual([]);
  });

  it('times out with lock_timeout while a live holder keeps it', async () => {
    const held = await FileLock.acquire(nodeFileSystem, lockPath, options);
    const started = Date.now();
    await expect(
      FileLock.acquire(nodeFileSystem, lockPath, { staleMs: 60_000, timeoutMs: 150 }),
    ).rejects.toMatchObject({ code: 'lock_timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await held.release();
  });

  it('takes over a leftover of this very process whose release failed, but not a lock it holds', async () => {
    const held = await FileLock.acquire(nodeFileSystem, lockPath, options);
    await expect(
      FileLock.acquire(nodeFileSystem, lockPath, { staleMs: 60_000, timeoutMs: 150 }),
    ).rejects.toMatchObject({ code: 'lock_timeout' });
    // A failed unlink at release leaves this process's own record behind; simulate it by putting
    // the record back after a release.
    const leftover = await readFile(lockPath);
    await held.release();
    await writeFile(lockPath, leftover);
    const next = await FileLock.acquire(nodeFileSystem, lockPath, { staleMs: 60_000, timeoutMs: 5_000 });
    await next.release();
    expect(await readdir(directory.path)).toEqual([]);
  });

  it('takes over at once a lock whose holder process is dead on this host', async () => {
    await writeFile(
      lockPath,
      JSON.stringify({
        pid: deadPid(),
        host: hostname(),
        nonce: 'dead',
        created_at: new Date().toISOString(),
      }),
    );
    // Waiting for the 60 s stale age would hit the 5 s timeout: success means the dead pid was seen at once.
    const lock = await FileLock.acquire(nodeFileSystem, lockPath, { staleMs: 60_000, timeoutMs: 5_000 });
    await lock.release();
    expect(await readdir(directory.path)).toEqual([]);
  });

  it('takes over an unreadable lock only once it is older than staleMs', async () => {
    await writeFile(lockPath, '');
    await expect(
      FileLock.acquire(nodeFileSystem, lockPath, { staleMs: 60_000, timeoutMs: 100 }),
    ).rejects.toMatchObject({ code: 'lock_timeout' });
    const old = new Date(Date.now() - 120_000);
    await utimes(lockPath, old, old);
    const lock = await FileLock.acquire(nodeFileSystem, lockPath, { staleMs: 60_000, timeoutMs: 1_000 });
    await lock.release();
  });

  it('judges a lock from another host by its age', async () => {
    const record = (createdAt: Date) =>
      JSON.stringify({ pid: 1, host: 'elsewhere.invalid', nonce: 'n', created_at: createdAt.toISOString() });
    await writeFile(lockPath, record(new Date()));
    await expect(
      FileLock.acquire(nodeFileSystem, lockPath, { staleMs: 60_000, timeoutMs: 100 }),
    ).rejects.toMatchObject({ code: 'lock_timeout' });
    await writeFile(lockPath, record(new Date(Date.now() - 120_000)));
    const lock = await FileLock.acquire(nodeFileSystem, lockPath, { staleMs: 60_000, timeoutMs: 1_000 });
    await lock.release();
  });

  it('lets exactly one of many racing acquirers take over a stale lock at a time', async () => {
    await writeFile(
      lockPath,
      JSON.stringify({
        pid: deadPid(),
        host: hostname(),
        nonce: 'dead',
        created_at: new Date().toISOString(),
      }),
    );
    let holders = 0;
    let maxHolders = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const lock = await FileLock.acquire(nodeFileSystem, lockPath, { staleMs: 60_000, timeoutMs: 10_000 });
        holders += 1;
        maxHolders = Math.max(maxHolders, holders);
        await sleep(5);
        holders -= 1;
        await lock.release();
      }),
    );
    expect(maxHolders).toBe(1);
    expect(await readdir(directory.path)).toEqual([]);
  });

  it('counts its own lock as held while the record is still being closed', async () => {
    // Acquirer A stops between writing its record and closing the file; acquirer B of the same
    // process then reads a complete record with this pid and must see it held, not a leftover.
    let reachedClose!: () => void;
    const atClose = new Promise<void>((resolve) => {
      reachedClose = resolve;
    });
    let finishClose!: () => void;
    const gate = new Promise<void>((resolve) => {
      finishClose = resolve;
    });
    const slowClose = {
      ...nodeFileSystem,
      close: async (fd: number) => {
        reachedClose();
        await gate;
        return nodeFileSystem.close(fd);
      },
    };
    const first = FileLock.acquire(slowClose, lockPath, options);
    await atClose;
    const second = FileLock.acquire(nodeFileSystem, lockPath, { staleMs: 60_000, timeoutMs: 300 });
    await expect(second).rejects.toMatchObject({ code: 'lock_timeout' });
    finishClose();
    await (await first).release();
    expect(await readdir(directory.path)).toEqual([]);
  });

  it('does not remove a lock at release that is no longer its own', async () => {
    const lock = await FileLock.acquire(nodeFileSystem, lockPath, options);
    const foreign = JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'other', created_at: 'x' });
    await writeFile(lockPath, foreign);
    await lock.release();
    expect(await readFile(lockPath, 'utf8')).toBe(foreign);
  });
});

describe('withFileLock', () => {
  it('serializes callers of one process in FIFO order without contention', async () => {
    const order: number[] = [];
    let inside = 0;
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        withFileLock(nodeFileSystem, lockPath, options, async () => {
          inside += 1;
          expect(inside).toBe(1);
          await sleep(1);
          order.push(index);
          inside -= 1;
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('releases the lock when the function throws', async () => {
    await expect(
      withFileLock(nodeFileSystem, lockPath, options, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await readdir(directory.path)).toEqual([]);
  });
});
