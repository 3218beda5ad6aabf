import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { err, JidoError, ok, type Result, uuidV4Pattern } from '@jido-code/core-schema';

/** Environment variable naming the home directory. */
export const homeEnvironmentVariable = 'JIDO_CODE_HOME';

/** Options for {@link resolveHome}. */
export interface ResolveHomeOptions {
  /** An explicit home (for example from `--home`); wins over everything. */
  readonly home?: string | undefined;
  /** Environment to read `JIDO_CODE_HOME` from; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The home directory: the explicit option, else `$JIDO_CODE_HOME`, else `~/.jido_code` (the
 * original's location). Relative values are resolved against the working directory, and `.` and
 * `..` segments are normalized away.
 */
export function resolveHome(options: ResolveHomeOptions = {}): string {
  const environment = options.env ?? process.env;
  const chosen = options.home ?? environment[homeEnvironmentVariable];
  // resolve() also normalizes `.` and `..`: a path through a missing folder and back up must not
  // make storage create, or change the mode of, the folders it passes through.
  if (chosen !== undefined && chosen.trim() !== '') return resolve(chosen);
  return join(homedir(), '.jido_code');
}

/**
 * Checks that `id` is a canonical lowercase UUID v4, the only form that ever reaches a path. Run
 * before any file-system call: traversal, absolute paths, NUL, upper case and other UUID versions
 * are all refused with `invalid_id`.
 */
export function validateSessionId(id: string): Result<string> {
  if (typeof id === 'string' && id.length === 36 && uuidV4Pattern.test(id)) return ok(id);
  return err(
    new JidoError('invalid_id', 'The session id is not valid (expected a lowercase UUID v4).', {
      details: { id: typeof id === 'string' ? id.slice(0, 80) : typeof id },
    }),
  );
}

/** A state-document name: lower-case letters, digits and dashes. */
export const documentNamePattern = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Every path under one home. Ids passed in must already be validated. */
export interface HomeLayout {
  readonly home: string;
  readonly sessionsDir: string;
  readonly locksDir: string;
  readonly leasesDir: string;
  readonly keysDir: string;
  readonly stateDir: string;
  readonly indexDir: string;
  readonly journalDir: string;
  readonly configFile: string;
  readonly keyringFile: string;
  readonly keyringLock: string;
  readonly indexFile: string;
  /** The derived full-text search index (SQLite). */
  readonly searchIndexFile: string;
  readonly sessionCountLock: string;
  /** How many sessions the folder held after the last creation (derived; see session-count.ts). */
  readonly sessionCountFile: string;
  sessionFile(id: string): string;
  sessionLock(id: string): string;
  leaseFile(id: string): string;
  stateFile(name: string): string;
  stateLock(name: string): string;
}

/** The on-disk layout under `home`. */
export function homeLayout(home: string): HomeLayout {
  const sessionsDir = join(home, 'sessions');
  const locksDir = join(home, 'locks');
  const leasesDir = join(home, 'leases');
  const keysDir = join(home, 'keys');
  const stateDir = join(home, 'state');
  const indexDir = join(home, 'index');
  return {
    home,
    sessionsDir,
    locksDir,
    leasesDir,
    keysDir,
    stateDir,
    indexDir,
    journalDir: join(home, 'journal'),
    configFile: join(home, 'config.json'),
    keyringFile: join(keysDir, 'keyring.json'),
    keyringLock: join(locksDir, 'keyring.lock'),
    indexFile: join(indexDir, 'sessions-index.json'),
    searchIndexFile: join(indexDir, 'search.db'),
    sessionCountLock: join(locksDir, 'session-count.lock'),
    sessionCountFile: join(indexDir, 'session-count.json'),
    // Every load passes here. A UUID is one plain path segment, so joining it to the (already
    // normalized) folder is concatenating, without `join`'s normalization pass (about 0.25 µs).
    sessionFile: (id) =>
      uuidV4Pattern.test(id) ? `${sessionsDir}${sep}${id}.json` : join(sessionsDir, `${id}.json`),
    sessionLock: (id) => join(locksDir, `session-${id}.lock`),
    leaseFile: (id) => join(leasesDir, `${id}.lease`),
    stateFile: (name) => join(stateDir, `${name}.json`),
    stateLock: (name) => join(locksDir, `rate-limit-${name}.lock`),
  };
}

/** File name of a session file (`<uuid>.json`), or undefined for anything else. */
export function sessionIdFromFileName(name: string): string | undefined {
  if (!name.endsWith('.json')) return undefined;
  const stem = name.slice(0, -'.json'.length);
  return validateSessionId(stem).ok ? stem : undefined;
}
