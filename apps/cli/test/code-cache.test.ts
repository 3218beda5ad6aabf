// The entry's V8 code cache (scripts/compiled-entry.mjs, scripts/code-cache.mjs): the built one is
// used, and one that is not exactly for the entry's script (left from another build, or damaged) is
// not: the command runs the script it has, as it would without a cache.
import { spawn } from 'node:child_process';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, finished } from './jido.js';
import { bundleIntoScratch } from './support/scratch-bundle.js';

const testCase = PersistenceTestCase.use();
let root = '';
let built = '';

beforeAll(async () => {
  ({ root, out: built } = await bundleIntoScratch('jido-code-cache-test-', 'built'));
}, 120_000);

afterAll(() => rm(root, { recursive: true, force: true }));

/** A copy of the built dist, changed by `change`, next to the package.json. */
async function variant(name: string, change: (dist: string) => Promise<void>): Promise<string> {
  const dist = join(root, name);
  await cp(built, dist, { recursive: true });
  await change(dist);
  return dist;
}

/** `jido sessions list` from `dist`, and whether V8 was given the cache and refused it. */
async function listWith(dist: string) {
  const probe = `const entry = await import(${JSON.stringify(pathToFileURL(join(dist, 'jido-cli.js')).href)});
process.exitCode = await entry.run(['sessions', 'list']);
process.stderr.write('cache: ' + String(entry.__jidoScript.cachedDataRejected) + '\\n');`;
  const run = await finished(
    spawn(process.execPath, ['--input-type=module', '-e', probe], {
      env: childEnv(testCase.home),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const cache = /cache: (\w+)\n$/.exec(run.stderr)?.[1];
  return { code: run.code, stdout: run.stdout, cache };
}

describe('the entry code cache', () => {
  it('is used as built', async () => {
    const run = await listWith(built);
    expect(run).toEqual({ code: 0, stdout: 'No sessions.\n', cache: 'false' });
  });

  it('is not used for a script it was not made from, even one of the same length', async () => {
    // Same length: V8's own check of the source is its length, so V8 alone would run the old code.
    const changed = await variant('changed', async (dist) => {
      const script = join(dist, 'jido-cli.code.js');
      const text = await readFile(script, 'utf8');
      expect(text.split('"No sessions."')).toHaveLength(2);
      await writeFile(script, text.replace('"No sessions."', '"No sessionz."'));
    });
    expect(await listWith(changed)).toEqual({ code: 0, stdout: 'No sessionz.\n', cache: 'undefined' });
  });

  it('is refused by V8 when damaged, and ignored when cut short or missing', async () => {
    const damaged = await variant('damaged', async (dist) => {
      const file = join(dist, 'jido-cli.code.cache');
      const bytes = await readFile(file);
      const script = await readFile(join(dist, 'jido-cli.code.js'));
      // The start of V8's part of the file (after the header and the script's copy), overwritten.
      const v8Start = 'jido-code-cache-1'.length + 4 + script.length;
      bytes.fill(0x5a, v8Start, v8Start + 64);
      await writeFile(file, bytes);
    });
    expect(await listWith(damaged)).toEqual({ code: 0, stdout: 'No sessions.\n', cache: 'true' });
    const short = await variant('short', async (dist) => {
      const file = join(dist, 'jido-cli.code.cache');
      await writeFile(file, (await readFile(file)).subarray(0, 100));
    });
    expect(await listWith(short)).toEqual({ code: 0, stdout: 'No sessions.\n', cache: 'undefined' });
    const missing = await variant('missing', (dist) => rm(join(dist, 'jido-cli.code.cache')));
    expect(await listWith(missing)).toEqual({ code: 0, stdout: 'No sessions.\n', cache: 'undefined' });
  });
});
