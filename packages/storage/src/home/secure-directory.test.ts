import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { injectFaults } from '@jido-code/test-support';
import { temporaryFolder } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../fs/file-system.js';
import { SessionStore } from '../session-store.js';
import { ensureSecureDirectory } from './secure-directory.js';

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('ensureSecureDirectory', () => {
  it('creates a missing folder and its missing parents 0700', async () => {
    const root = await temporaryFolder();
    const path = join(root, 'a', 'b');
    await ensureSecureDirectory(nodeFileSystem, path, { createParents: true });
    expect(await mode(join(root, 'a'))).toBe(0o700);
    expect(await mode(path)).toBe(0o700);
  });

  it('never changes the mode of a folder it did not create, even one that appears meanwhile', async () => {
    const root = await temporaryFolder();
    const path = join(root, 'shared');
    await mkdir(path, { mode: 0o755 });
    // The first lstat misses (as if the folder appeared between the check and the mkdir): mkdir
    // then fails with EEXIST and the folder must be judged as it is, not chmod-ed to 0700.
    const fs = injectFaults(nodeFileSystem, [{ method: 'lstat', code: 'ENOENT' }]);
    await expect(ensureSecureDirectory(fs, path)).rejects.toMatchObject({ code: 'unsafe_home' });
    expect(await mode(path)).toBe(0o755);
    expect(fs.faults.calls.filter((call) => call.method === 'chmod')).toEqual([]);
  });
});

describe('SessionStore.open with a home path through a missing folder and back up', () => {
  it('refuses the folder it names and creates or changes nothing on the way', async () => {
    const root = await temporaryFolder();
    const existing = join(root, 'existing');
    await mkdir(existing, { mode: 0o755 });
    const before = await mode(root);
    const opened = await SessionStore.open({ home: join(root, 'missing', '..', 'existing'), env: {} });
    expect(opened.ok ? 'ok' : opened.error.code).toBe('unsafe_home');
    expect(await mode(existing)).toBe(0o755);
    expect(await mode(root)).toBe(before);
    await expect(stat(join(root, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
