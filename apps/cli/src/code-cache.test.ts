import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { temporaryFolder } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { cacheFileName, codeCacheFolder, loadCachedBundle } from './code-cache.js';

/** A CommonJS "bundle" whose export tells which code ran, with enough functions to be worth caching. */
function bundleText(answer: string): string {
  const helpers = Array.from({ length: 50 }, (_, index) => `function f${index}(x) { return x + ${index}; }`);
  return `${helpers.join('\n')}\nexports.answer = () => ${JSON.stringify(answer)} + f1(0);\n`;
}

async function setUp(answer = 'first') {
  const root = await temporaryFolder('code-cache', 'jido-code-cache-');
  const file = join(root, 'bundle.cjs');
  await writeFile(file, bundleText(answer));
  return { root, file, folder: join(root, 'cache') };
}

function answerOf(loaded: ReturnType<typeof loadCachedBundle>): string {
  return (loaded.exports.answer as () => string)();
}

async function cacheFiles(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((name) => name.endsWith('.v8cache'));
}

describe('loadCachedBundle', () => {
  it('compiles and writes the cache (0600 in a 0700 folder), then runs from it', async () => {
    const { file, folder } = await setUp();
    const first = loadCachedBundle(file, folder);
    expect(answerOf(first)).toBe('first1');
    expect(first.fromCache).toBe(false);
    first.saveCache();
    const [name] = await cacheFiles(folder);
    expect(name).toMatch(/^cli-[0-9a-f]{64}\.v8cache$/);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect((await stat(join(folder, name as string))).mode & 0o777).toBe(0o600);
    const second = loadCachedBundle(file, folder);
    expect(second.fromCache).toBe(true);
    expect(answerOf(second)).toBe('first1');
    second.saveCache();
    expect(await cacheFiles(folder)).toEqual([name]);
  });

  it('never runs the cache of other bytes: a same-length change compiles the new code', async () => {
    const { file, folder } = await setUp('first');
    const old = loadCachedBundle(file, folder);
    old.saveCache();
    // Same length, so V8's own check (the source length) would accept the old cache.
    await writeFile(file, bundleText('other'));
    const changed = loadCachedBundle(file, folder);
    expect(changed.fromCache).toBe(false);
    expect(answerOf(changed)).toBe('other1');
    changed.saveCache();
    expect(await cacheFiles(folder)).toHaveLength(2);
  });

  it('ignores a damaged or rejected cache file, runs the source and rewrites it', async () => {
    const { file, folder } = await setUp();
    loadCachedBundle(file, folder).saveCache();
    const [name = ''] = await cacheFiles(folder);
    const path = join(folder, name);
    const good = await readFile(path);

    // One payload byte flipped: the digest in the header no longer matches.
    const damaged = Buffer.from(good);
    damaged[damaged.length - 10] = (damaged[damaged.length - 10] ?? 0) ^ 0xff;
    await writeFile(path, damaged);
    const afterDamage = loadCachedBundle(file, folder);
    expect(afterDamage.fromCache).toBe(false);
    expect(answerOf(afterDamage)).toBe('first1');
    afterDamage.saveCache();
    expect(await readFile(path)).not.toEqual(damaged);
    expect(loadCachedBundle(file, folder).fromCache).toBe(true);

    // A well-formed file holding V8 data for another source, under the name of a bundle this
    // process never compiled (V8 reuses what it compiled in-process without reading the data).
    const fresh = await setUp('never compiled before');
    const other = await setUp('a rather longer and different text');
    loadCachedBundle(other.file, other.folder).saveCache();
    const [otherName = ''] = await cacheFiles(other.folder);
    const foreign = await readFile(join(other.folder, otherName));
    await mkdir(fresh.folder, { mode: 0o700 });
    const target = join(fresh.folder, cacheFileName(await readFile(fresh.file)));
    await writeFile(target, foreign, { mode: 0o600 });
    const rejected = loadCachedBundle(fresh.file, fresh.folder);
    expect(rejected.fromCache).toBe(false);
    expect(answerOf(rejected)).toBe('never compiled before1');
    rejected.saveCache();
    expect(await readFile(target)).not.toEqual(foreign);
  });

  it('runs without a cache when the folder cannot be made or is open to others', async () => {
    const { root, file } = await setUp();
    // Under a file: mkdir fails whoever runs the test (root ignores permission bits).
    await writeFile(join(root, 'not-a-folder'), '');
    const unwritable = join(root, 'not-a-folder', 'cache');
    const blocked = loadCachedBundle(file, unwritable);
    expect(answerOf(blocked)).toBe('first1');
    expect(() => blocked.saveCache()).not.toThrow();

    const open = await temporaryFolder('open-cache', 'jido-code-cache-');
    await chmod(open, 0o755);
    const shared = loadCachedBundle(file, open);
    expect(answerOf(shared)).toBe('first1');
    shared.saveCache();
    expect(await cacheFiles(open)).toEqual([]);

    const none = loadCachedBundle(file, undefined);
    expect(answerOf(none)).toBe('first1');
    none.saveCache();
  });
});

describe('codeCacheFolder', () => {
  it('takes JIDO_CODE_CACHE_DIR (or off), then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(codeCacheFolder({ JIDO_CODE_CACHE_DIR: '/tmp/x', XDG_CACHE_HOME: '/c' })).toBe('/tmp/x');
    expect(codeCacheFolder({ JIDO_CODE_CACHE_DIR: 'off' })).toBeUndefined();
    expect(codeCacheFolder({ XDG_CACHE_HOME: '/c' })).toBe('/c/jido-code');
    expect(codeCacheFolder({ XDG_CACHE_HOME: 'relative' })).toMatch(/[\\/]\.cache[\\/]jido-code$/);
    expect(codeCacheFolder({})).toMatch(/[\\/]\.cache[\\/]jido-code$/);
  });
});
