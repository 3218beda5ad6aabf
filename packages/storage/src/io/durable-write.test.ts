import { lstat, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { injectFaults } from '@jido-code/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { overriding, temporaryDirectory } from '../../test/fixtures.js';
import { nodeFileSystem } from '../fs/file-system.js';
import { writeFileDurably } from './durable-write.js';

let directory: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  directory = await temporaryDirectory();
});
afterEach(() => directory.cleanup());

const bytes = (text: string) => new TextEncoder().encode(text);
const ioFailure = (code: string) => Object.assign(new Error(code), { code });

describe('writeFileDurably', () => {
  it('writes the bytes with mode 0600 whatever the umask, leaving no temp file', async () => {
    const path = join(directory.path, 'file.json');
    const previous = process.umask(0);
    try {
      await writeFileDurably(nodeFileSystem, path, bytes('{"a":1}'));
    } finally {
      process.umask(previous);
    }
    expect(await readFile(path, 'utf8')).toBe('{"a":1}');
    expect((await lstat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(directory.path)).toEqual(['file.json']);
  });

  it('replaces an existing file atomically and fsyncs the file and then the directory', async () => {
    const path = join(directory.path, 'file.json');
    await writeFile(path, 'old');
    const synced: string[] = [];
    const opened = new Map<number, string>();
    const fs = overriding({
      open: async (target, flags, mode) => {
        const fd = await nodeFileSystem.open(target, flags, mode);
        opened.set(fd, target);
        return fd;
      },
      fsync: async (fd) => {
        synced.push(opened.get(fd) === directory.path ? 'directory' : 'file');
        return nodeFileSystem.fsync(fd);
      },
    });
    await writeFileDurably(fs, path, bytes('new'));
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(synced).toEqual(['file', 'directory']);
  });

  it('on a failed fsync: typed io_error, old file byte-identical, no temp file, fsync not retried', async () => {
    const path = join(directory.path, 'file.json');
    await writeFile(path, 'old content');
    const fs = injectFaults(nodeFileSystem, [{ method: 'fsync', code: 'EIO', times: 'always' }], {
      async: true,
    });
    const failure = await writeFileDurably(fs, path, bytes('new content')).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'io_error', details: { errno: 'EIO' } });
    expect((failure as Error).message).not.toContain(directory.path);
    expect(fs.faults.callCount('fsync')).toBe(1);
    expect(fs.faults.callCount('rename')).toBe(0);
    expect(await readFile(path, 'utf8')).toBe('old content');
    expect(await readdir(directory.path)).toEqual(['file.json']);
  });

  it('on a full disk: io_error, old file intact, no temp file', async () => {
    const path = join(directory.path, 'file.json');
    await writeFile(path, 'old');
    const fs = overriding({
      write: async () => {
        throw ioFailure('ENOSPC');
      },
    });
    await expect(writeFileDurably(fs, path, bytes('new'))).rejects.toMatchObject({ code: 'io_error' });
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(directory.path)).toEqual(['file.json']);
  });

  it('loops on short writes injected by test-support until every byte is written', async () => {
    const path = join(directory.path, 'file.json');
    const content = 'y'.repeat(999);
    const fs = injectFaults(nodeFileSystem, [{ method: 'write', code: 'EIO', shortWrite: true, times: 3 }], {
      async: true,
    });
    await writeFileDurably(fs, path, bytes(content));
    expect(await readFile(path, 'utf8')).toBe(content);
    expect(fs.faults.injected.filter((fault) => fault.kind === 'short-write')).toHaveLength(3);
    expect(fs.faults.callCount('write')).toBeGreaterThan(3);
  });

  it('loops on many short writes until every byte is written', async () => {
    const path = join(directory.path, 'file.json');
    const content = 'x'.repeat(1000);
    let writes = 0;
    const fs = overriding({
      write: (fd, buffer, offset, length, position) => {
        writes += 1;
        return nodeFileSystem.write(fd, buffer, offset, Math.min(length, 7), position);
      },
    });
    await writeFileDurably(fs, path, bytes(content));
    expect(await readFile(path, 'utf8')).toBe(content);
    expect(writes).toBeGreaterThan(100);
  });

  it('fails instead of looping when a write makes no progress', async () => {
    const path = join(directory.path, 'file.json');
    const fs = overriding({ write: async () => 0 });
    await expect(writeFileDurably(fs, path, bytes('abc'))).rejects.toMatchObject({ code: 'io_error' });
    expect(await readdir(directory.path)).toEqual([]);
  });

  it('refuses to replace a symlink planted at the destination and never writes through it', async () => {
    const outside = join(directory.path, 'outside.txt');
    await writeFile(outside, 'precious');
    const path = join(directory.path, 'file.json');
    await symlink(outside, path);
    await expect(writeFileDurably(nodeFileSystem, path, bytes('evil'))).rejects.toMatchObject({
      code: 'permission_denied',
    });
    expect(await readFile(outside, 'utf8')).toBe('precious');
    expect((await lstat(path)).isSymbolicLink()).toBe(true);
    expect((await readdir(directory.path)).sort()).toEqual(['file.json', 'outside.txt']);
  });

  it('uses a unique temp name per write, so concurrent writers never collide', async () => {
    const path = join(directory.path, 'file.json');
    const temps = new Set<string>();
    const fs = overriding({
      open: (target, flags, mode) => {
        if (target.endsWith('.tmp')) temps.add(target);
        return nodeFileSystem.open(target, flags, mode);
      },
    });
    await Promise.all(
      Array.from({ length: 20 }, (_, index) => writeFileDurably(fs, path, bytes(`v${index}`))),
    );
    expect(temps.size).toBe(20);
    expect(await readFile(path, 'utf8')).toMatch(/^v\d+$/);
    expect(await readdir(directory.path)).toEqual(['file.json']);
  });
});
