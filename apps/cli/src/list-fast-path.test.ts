import { describe, expect, it } from 'vitest';
import { listInvocation } from './list-fast-path.js';

describe('the sessions list fast path', () => {
  it('reads plain `sessions list` command lines: global options before or after, --all after', () => {
    expect(listInvocation(['sessions', 'list'])).toEqual({
      options: { json: false, verbose: false },
      all: false,
    });
    expect(
      listInvocation(['--home', '/h', '--json', 'sessions', 'list', '--all', '--store', '/s', '--verbose']),
    ).toEqual({ options: { home: '/h', store: '/s', json: true, verbose: true }, all: true });
    // The last of a repeated option wins, as in Commander.
    expect(listInvocation(['--home', '/a', 'sessions', 'list', '--home', '/b'])?.options.home).toBe('/b');
  });

  it('leaves everything else to Commander, which parses it and reports its errors', () => {
    for (const argv of [
      [],
      ['sessions'],
      ['list'],
      ['sessions', 'show', '1'],
      ['sessions', 'list', 'extra'],
      ['sessions', 'list', '--help'],
      ['sessions', 'list', '-h'],
      ['sessions', 'list', '--all=yes'],
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
    ]) {
      expect(listInvocation(argv), argv.join(' ')).toBeUndefined();
    }
  });
});
