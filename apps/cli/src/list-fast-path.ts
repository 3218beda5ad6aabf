import type { GlobalOptions } from './context.js';

/** `jido sessions list` read without Commander: the global options and `--all`. */
export interface ListInvocation {
  readonly options: GlobalOptions;
  readonly all: boolean;
}

/**
 * Reads `argv` as `jido sessions list` when it is plainly that, so the commonest command runs
 * without loading Commander and building the whole command table. Accepts only `sessions list`,
 * `--all` after it, and `--home <dir>`, `--store <url|dir>`, `--json`, `--verbose` before or after
 * it (not between the two words; where Commander reads them the same way). Anything else, `--help`, `--home=dir`, a value
 * that starts with `-`, a stray word, returns undefined, and Commander parses it, errors included:
 * the fast path never changes what a command line means.
 */
export function listInvocation(argv: readonly string[]): ListInvocation | undefined {
  let home: string | undefined;
  let store: string | undefined;
  let json = false;
  let verbose = false;
  let all = false;
  let words = 0; // 1 after `sessions`, 2 after `list`
  for (let position = 0; position < argv.length; position++) {
    const word = argv[position];
    if ((word === '--home' || word === '--store') && words !== 1) {
      const value = argv[++position];
      if (value === undefined || value === '' || value.startsWith('-')) return undefined;
      if (word === '--home') home = value;
      else store = value;
    } else if (word === '--json' && words !== 1) json = true;
    else if (word === '--verbose' && words !== 1) verbose = true;
    else if (word === '--all' && words === 2) all = true;
    else if (word === 'sessions' && words === 0) words = 1;
    else if (word === 'list' && words === 1) words = 2;
    else return undefined;
  }
  if (words !== 2) return undefined;
  return {
    options: {
      ...(home === undefined ? {} : { home }),
      ...(store === undefined ? {} : { store }),
      json,
      verbose,
    },
    all,
  };
}
