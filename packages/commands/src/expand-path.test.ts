import { describe, expect, it } from 'vitest';
import { expandProjectPath } from './expand-path.js';

describe('expandProjectPath', () => {
  it.each([
    ['~/code', '/home/ada/code'],
    ['~', '/home/ada'],
    ['app/../lib', '/work/lib'],
    ['.', '/work'],
    ['/abs/x/', '/abs/x'],
    ['  spaced  ', '/work/spaced'],
    ['~user/x', '/work/~user/x'],
  ])('%s → %s', (input, expected) => {
    expect(expandProjectPath(input, '/work', '/home/ada')).toBe(expected);
  });
});
