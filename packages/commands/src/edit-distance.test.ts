import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from './edit-distance.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['session', 'session', 0],
    ['sesion', 'session', 1],
    ['hlep', 'help', 2],
    ['kitten', 'sitting', 3],
  ] as const)('%s -> %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });

  it('is symmetric and zero only for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
      }),
    );
  });
});

describe('closestMatch', () => {
  const commands = ['session', 'resume', 'todo', 'help', 'quit'] as const;

  it('finds a near miss, ignoring case', () => {
    expect(closestMatch('SESION', commands)).toBe('session');
    expect(closestMatch('tdo', commands)).toBe('todo');
  });

  it('suggests nothing when every candidate is far, or the word is too short to tell', () => {
    expect(closestMatch('xyzzy', commands)).toBeUndefined();
    expect(closestMatch('x', commands)).toBeUndefined();
    expect(closestMatch('', commands)).toBeUndefined();
  });
});
