import { JidoError } from '@jido-code/core-schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveTarget, type TargetMatch } from './resolve-target.js';

interface Entry {
  readonly id: string;
  readonly name: string;
}

const api = { id: '12345678-aaaa-4aaa-8aaa-000000000001', name: 'api' };
const web = { id: '1234abcd-bbbb-4bbb-8bbb-000000000002', name: 'web' };
const docs = { id: 'deadbeef-cccc-4ccc-8ccc-000000000003', name: 'Docs' };
const two = { id: '9f00aa11-dddd-4ddd-8ddd-000000000004', name: '2' };
const entries: readonly Entry[] = [api, web, docs, two];

function resolved(target: string, list: readonly Entry[] = entries): [Entry, number, TargetMatch] {
  const result = resolveTarget(target, list);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(target)} to resolve: ${result.error.message}`);
  return [result.value.entry, result.value.index, result.value.matchedBy];
}

function failure(target: string, list: readonly Entry[] = entries): JidoError {
  const result = resolveTarget(target, list);
  if (result.ok) throw new Error(`expected ${JSON.stringify(target)} to fail`);
  expect(result.error).toBeInstanceOf(JidoError);
  return result.error;
}

describe('resolveTarget: what matches', () => {
  const cases: ReadonlyArray<readonly [string, Entry, number, TargetMatch]> = [
    ['1', api, 0, 'index'],
    ['4', two, 3, 'index'],
    ['03', docs, 2, 'index'],
    [' 2 ', web, 1, 'index'],
    ['2', web, 1, 'index'], // an index wins over the session named "2"
    [api.id, api, 0, 'id'],
    [api.id.toUpperCase(), api, 0, 'id'],
    ['12345678', api, 0, 'prefix'], // digits only, out of index range: an id prefix
    ['12345678-aaaa', api, 0, 'prefix'], // starts with digits, has a non-digit: never an index
    ['1234abcd', web, 1, 'prefix'],
    ['1234a', web, 1, 'prefix'],
    ['dead', docs, 2, 'prefix'],
    ['DEADBEEF', docs, 2, 'prefix'],
    ['Docs', docs, 2, 'name'],
    ['docs', docs, 2, 'name'],
    ['api', api, 0, 'name'],
  ];

  it.each(cases)('%j', (target, entry, index, matchedBy) => {
    expect(resolved(target)).toEqual([entry, index, matchedBy]);
  });

  it('prefers an exact-case name over case-insensitive ones', () => {
    const list = [
      { id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'WEB' },
      { id: 'bbbbbbbb-0000-4000-8000-000000000002', name: 'Web' },
    ];
    expect(resolved('Web', list)).toEqual([list[1], 1, 'name']);
  });

  it('lets a unique exact name win over an ambiguous prefix', () => {
    const list = [
      { id: 'abcd0001-0000-4000-8000-000000000001', name: 'one' },
      { id: 'abcd0002-0000-4000-8000-000000000002', name: 'two' },
      { id: 'ffff0003-0000-4000-8000-000000000003', name: 'abcd' },
    ];
    expect(resolved('abcd', list)).toEqual([list[2], 2, 'name']);
  });

  it('takes digits in range as an index even when they also prefix an id', () => {
    const list = Array.from({ length: 1500 }, (_, index) => ({
      id: `${index === 0 ? '1234' : 'ffff'}${String(index).padStart(4, '0')}-0000-4000-8000-000000000000`,
      name: `session ${index}`,
    }));
    expect(resolved('1234', list)).toEqual([list[1233], 1233, 'index']);
    expect(resolved('12340000', list)).toEqual([list[0], 0, 'prefix']);
  });

  it('without positions, takes digits only as an id prefix (a list the user was not shown)', () => {
    const digits = { id: '20571934-eeee-4eee-8eee-000000000005', name: 'held' };
    const list = [api, web, digits];
    const byPrefix = resolveTarget('20571934', list, { byIndex: false });
    expect(byPrefix.ok && [byPrefix.value.entry, byPrefix.value.matchedBy]).toEqual([digits, 'prefix']);
    const noPosition = resolveTarget('2', list, { byIndex: false });
    expect(noPosition.ok || noPosition.error.code).toBe('not_found');
    expect(failure('20571934', [api, web]).code).toBe('target_out_of_range');
  });

  it('resolves every entry by its number, its id and its name (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid({ version: 4 }), { minLength: 1, maxLength: 12 }), (ids) => {
        const list = ids.map((id, index) => ({ id, name: `name ${index}` }));
        list.forEach((entry, index) => {
          expect(resolved(String(index + 1), list)).toEqual([entry, index, 'index']);
          expect(resolved(entry.id, list)).toEqual([entry, index, 'id']);
          expect(resolved(entry.name, list)[0]).toBe(entry);
        });
      }),
      { numRuns: 50 },
    );
  });
});

describe('resolveTarget: errors', () => {
  it('reports an ambiguous prefix with each candidate short id and name', () => {
    const error = failure('1234');
    expect(error.code).toBe('ambiguous_target');
    expect(error.message).toContain('12345678 "api"');
    expect(error.message).toContain('1234abcd "web"');
    expect(error.details.candidates).toEqual([
      { id: api.id, name: 'api', position: 1 },
      { id: web.id, name: 'web', position: 2 },
    ]);
  });

  it('reports duplicate names as ambiguous', () => {
    const list = [
      { id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'api' },
      { id: 'bbbbbbbb-0000-4000-8000-000000000002', name: 'api' },
    ];
    expect(failure('api', list).code).toBe('ambiguous_target');
    expect(failure('API', list).code).toBe('ambiguous_target');
  });

  it('names at most five candidates and counts the rest', () => {
    const list = Array.from({ length: 8 }, (_, index) => ({
      id: `abcd000${index}-0000-4000-8000-000000000000`,
      name: `s${index}`,
    }));
    expect(failure('abcd', list).message).toContain('and 3 more');
  });

  it('reports an index out of range with the valid range', () => {
    for (const target of ['0', '5', '9999', '00']) {
      const error = failure(target);
      expect(error.code).toBe('target_out_of_range');
      expect(error.message).toContain('choose 1 to 4');
      expect(error.details.count).toBe(4);
    }
    expect(failure('5').details.index).toBe(5);
  });

  it('says so when there is nothing to choose from', () => {
    const error = failure('1', []);
    expect(error.code).toBe('target_out_of_range');
    expect(error.message).toBe('There are no sessions to choose from.');
    expect(failure('api', []).code).toBe('not_found');
  });

  it('does not take fewer than four characters as an id prefix', () => {
    expect(failure('dea').code).toBe('not_found');
    expect(failure('123').code).toBe('target_out_of_range');
  });

  it('reports anything else as not found, keeping the target in details', () => {
    const error = failure('nothing-like-this');
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('No session matches "nothing-like-this".');
    expect(error.details).toEqual({ target: 'nothing-like-this' });
    expect(failure('').code).toBe('not_found');
  });
});
