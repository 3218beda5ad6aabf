import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findInFiles } from './find-in-files.js';
import { secretCorpus, secretCorpusRules, secretCorpusSeed } from './secret-corpus.js';
import { temporaryFolder } from './temporary-folder.js';

describe('secretCorpus', () => {
  it('is the same for a seed and different across seeds', () => {
    expect(secretCorpus(7)).toEqual(secretCorpus(7));
    expect(secretCorpus(7)).not.toEqual(secretCorpus(8));
  });

  it('gives each sample at least one value of 12+ characters that its text contains', () => {
    const samples = secretCorpus(42, 2);
    expect(new Set(samples.map((sample) => sample.rule))).toEqual(new Set(secretCorpusRules));
    for (const sample of samples) {
      expect(sample.values.length).toBeGreaterThan(0);
      for (const value of sample.values) {
        expect(value.length).toBeGreaterThanOrEqual(12);
        expect(sample.text).toContain(value);
      }
    }
  });

  it('takes the seed from JIDO_SECRET_SEED when set', () => {
    expect(secretCorpusSeed({ JIDO_SECRET_SEED: '1234' })).toBe(1234);
    expect(Number.isSafeInteger(secretCorpusSeed({}))).toBe(true);
  });
});

describe('findInFiles', () => {
  it('finds values in nested files by their bytes', async () => {
    const root = await temporaryFolder('grep', 'jido-grep-');
    await mkdir(join(root, 'a', 'b'), { recursive: true });
    await writeFile(join(root, 'a', 'b', 'file.json'), '{"x":"needle-one"}');
    await writeFile(join(root, 'top.txt'), 'nothing here');
    expect(await findInFiles(root, ['needle-one', 'needle-two'])).toEqual([
      { file: 'a/b/file.json', value: 'needle-one' },
    ]);
  });
});
