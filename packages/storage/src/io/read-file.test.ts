import { execFileSync } from 'node:child_process';
import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { overriding, temporaryDirectory } from '../../test/fixtures.js';
import { nodeFileSystem } from '../fs/file-system.js';
import { readFileBounded, readFileIfExists } from './read-file.js';

let directory: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  directory = await temporaryDirectory();
});
afterEach(() => directory.cleanup());

describe('readFileBounded', () => {
  it('reads a regular file', async () => {
    const path = join(directory.path, 'a.json');
    await writeFile(path, 'hello');
    const read = await readFileBounded(nodeFileSystem, path, 100);
    expect(new TextDecoder().decode(read.bytes)).toBe('hello');
  });

  it('refuses a file over the cap before reading a byte', async () => {
    const path = join(directory.path, 'a.json');
    await writeFile(path, 'x'.repeat(101));
    let reads = 0;
    const fs = overriding({
      read: (...args) => {
        reads += 1;
        return nodeFileSystem.read(...args);
      },
    });
    await expect(readFileBounded(fs, path, 100)).rejects.toMatchObject({ code: 'too_large' });
    expect(reads).toBe(0);
  });

  it('does not follow a symlink', async () => {
    const target = join(directory.path, 'target.json');
    await writeFile(target, 'secret');
    const link = join(directory.path, 'link.json');
    await symlink(target, link);
    await expect(readFileBounded(nodeFileSystem, link, 100)).rejects.toMatchObject({
      code: 'permission_denied',
    });
  });

  it('refuses a FIFO without hanging', async () => {
    const fifo = join(directory.path, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    await expect(readFileBounded(nodeFileSystem, fifo, 100)).rejects.toMatchObject({
      code: 'permission_denied',
    });
  });

  it('reads at most the size seen by fstat even if the file grows', async () => {
    const path = join(directory.path, 'a.json');
    await writeFile(path, 'abc');
    const fs = overriding({
      read: async (fd, buffer, offset, length, position) => {
        const count = await nodeFileSystem.read(fd, buffer, offset, length, position);
        await writeFile(path, 'abcdefgh');
        return count;
      },
    });
    const read = await readFileBounded(fs, path, 100);
    expect(read.bytes.length).toBe(3);
  });

  it('maps a missing file to not_found, or undefined through readFileIfExists', async () => {
    const path = join(directory.path, 'missing.json');
    await expect(readFileBounded(nodeFileSystem, path, 100)).rejects.toMatchObject({ code: 'not_found' });
    expect(await readFileIfExists(nodeFileSystem, path, 100)).toBeUndefined();
  });
});
