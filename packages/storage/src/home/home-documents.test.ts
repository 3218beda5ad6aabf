import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Keyring } from '@jido-code/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/fixtures.js';
import { nodeFileSystem } from '../fs/file-system.js';
import { fileKeyringPersistence, fileLockedDocument } from './home-documents.js';

let directory: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  directory = await temporaryDirectory();
});
afterEach(() => directory.cleanup());

const lockOptions = { staleMs: 10_000, timeoutMs: 10_000 };

describe('fileKeyringPersistence', () => {
  it('creates one keyring file (0600) even when opened many times at once', async () => {
    const paths = { file: join(directory.path, 'keyring.json'), lock: join(directory.path, 'keyring.lock') };
    const rings = await Promise.all(
      Array.from({ length: 5 }, () =>
        Keyring.open(fileKeyringPersistence(nodeFileSystem, paths, lockOptions)),
      ),
    );
    expect(new Set(rings.map((ring) => ring.signingKeyId)).size).toBe(1);
    expect((await stat(paths.file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(paths.file, 'utf8')).keys).toHaveLength(1);
    expect(await readdir(directory.path)).toEqual(['keyring.json']);
  });
});

describe('fileLockedDocument', () => {
  it('applies concurrent read-modify-write changes one at a time', async () => {
    const paths = { file: join(directory.path, 'state.json'), lock: join(directory.path, 'state.lock') };
    const document = fileLockedDocument(nodeFileSystem, paths, lockOptions, 1024);
    const decoder = new TextDecoder();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        document.update((current) => {
          const value = current === undefined ? 0 : Number(decoder.decode(current));
          return { next: new TextEncoder().encode(String(value + 1)), result: value };
        }),
      ),
    );
    expect(await readFile(paths.file, 'utf8')).toBe('20');
    expect((await stat(paths.file)).mode & 0o777).toBe(0o600);
  });

  it('writes nothing when the change has no next bytes or throws', async () => {
    const paths = { file: join(directory.path, 'state.json'), lock: join(directory.path, 'state.lock') };
    const document = fileLockedDocument(nodeFileSystem, paths, lockOptions, 1024);
    expect(await document.update(() => ({ result: 'unchanged' }))).toBe('unchanged');
    await expect(
      document.update(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await readdir(directory.path)).toEqual([]);
  });
});
