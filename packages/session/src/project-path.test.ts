import { mkdir, mkdtemp, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { revalidateProjectPath, validateProjectPath } from './project-path.js';

async function tempDir(): Promise<string> {
  return realpath(await mkdtemp(join(tmpdir(), 'jido-path-')));
}

describe('project paths', () => {
  it('accepts a readable directory and fingerprints it', async () => {
    const dir = await tempDir();
    const checked = await validateProjectPath(dir);
    expect(checked.ok && checked.value.path).toBe(dir);
    expect(checked.ok && checked.value.ino).toBeGreaterThan(0);
  });

  it.each([
    ['/etc', 'protected system folder'],
    ['/proc', 'protected system folder'],
    ['/sys/kernel', 'protected system folder'],
    ['/root', 'protected system folder'],
    ['relative/path', 'not a valid absolute path'],
  ])('refuses %s', async (path) => {
    const checked = await validateProjectPath(path);
    expect(!checked.ok && checked.error.code).toBe('invalid_project_path');
    expect(!checked.ok && checked.error.message).not.toContain(path === 'relative/path' ? 'relative' : path);
  });

  it('refuses a missing folder and a file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'file.txt');
    await writeFile(file, 'x');
    for (const path of [join(dir, 'missing'), file]) {
      const checked = await validateProjectPath(path);
      expect(!checked.ok && checked.error.code).toBe('invalid_project_path');
    }
  });

  it('detects a folder deleted, or replaced by another at the same path, between two checks', async () => {
    const dir = await tempDir();
    const project = join(dir, 'project');
    await mkdir(project);
    const first = await validateProjectPath(project);
    if (!first.ok) throw first.error;
    expect((await revalidateProjectPath(first.value)).ok).toBe(true);

    await rename(project, join(dir, 'moved'));
    await mkdir(project);
    const replaced = await revalidateProjectPath(first.value);
    expect(!replaced.ok && replaced.error.code).toBe('project_changed');

    await rm(project, { recursive: true });
    const deleted = await revalidateProjectPath(first.value);
    expect(!deleted.ok && deleted.error.code).toBe('project_changed');
  });
});
