import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryFolder } from './temporary-folder.js';

describe('temporaryFolder', () => {
  let made = '';

  it('makes an empty folder with the given name', async () => {
    made = await temporaryFolder('app');
    expect(made.endsWith('/app')).toBe(true);
    expect((await stat(made)).isDirectory()).toBe(true);
  });

  it('removed it, with its parent, when the previous test finished', async () => {
    await expect(stat(dirname(made))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
