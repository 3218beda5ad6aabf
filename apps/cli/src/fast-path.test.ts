import { describe, expect, it } from 'vitest';
import { fastInvocation } from './fast-path.js';

const plain = { json: false, verbose: false };

describe('the fast path', () => {
  it('reads plain `sessions list` command lines: global options before or after, --all after', () => {
    expect(fastInvocation(['sessions', 'list'])).toEqual({
      options: plain,
      command: { kind: 'list', all: false },
    });
    expect(
      fastInvocation(['--home', '/h', '--json', 'sessions', 'list', '--all', '--store', '/s', '--verbose']),
    ).toEqual({
      options: { home: '/h', store: '/s', json: true, verbose: true },
      command: { kind: 'list', all: true },
    });
    // The last of a repeated option wins, as in Commander.
    expect(fastInvocation(['--home', '/a', 'sessions', 'list', '--home', '/b'])?.options.home).toBe('/b');
  });

  it('reads plain `sessions import <file>` command lines, --new-id before or after the file', () => {
    expect(fastInvocation(['sessions', 'import', 'a.json'])).toEqual({
      options: plain,
      command: { kind: 'import', file: 'a.json', newId: false },
    });
    expect(fastInvocation(['--home', '/h', 'sessions', 'import', '--new-id', 'list', '--json'])).toEqual({
      options: { home: '/h', json: true, verbose: false },
      command: { kind: 'import', file: 'list', newId: true },
    });
  });

  it('leaves everything else to Commander, which parses it and reports its errors', () => {
    for (const argv of [
      [],
      ['sessions'],
      ['list'],
      ['import', 'a.json'],
      ['sessions', 'show', '1'],
      ['sessions', 'list', 'extra'],
      ['sessions', 'list', '--help'],
      ['sessions', 'list', '-h'],
      ['sessions', 'list', '--all=yes'],
      ['sessions', 'list', '--new-id'],
      ['sessions', 'list', '--unknown'],
      ['sessions', 'list', '--'],
      ['--all', 'sessions', 'list'],
      ['sessions', '--json', 'list'],
      ['sessions', '--home', '/h', 'list'],
      ['--home=/h', 'sessions', 'list'],
      ['--home', 'sessions', 'list'],
      ['sessions', 'list', '--home'],
      ['sessions', 'list', '--home', ''],
      ['sessions', 'list', '--home', '--json'],
      ['sessions', 'list', 'list'],
      ['sessions', 'sessions', 'list'],
      ['help', 'sessions', 'list'],
      ['--version', 'sessions', 'list'],
      ['sessions', 'import'],
      ['sessions', 'import', '--new-id'],
      ['sessions', 'import', '-'],
      ['sessions', 'import', ''],
      ['sessions', 'import', 'a.json', 'b.json'],
      ['sessions', 'import', 'a.json', '--all'],
      ['sessions', 'import', 'a.json', '--help'],
      ['--new-id', 'sessions', 'import', 'a.json'],
      ['sessions', 'import', 'list', 'a.json'],
    ]) {
      expect(fastInvocation(argv), argv.join(' ')).toBeUndefined();
    }
  });
});
