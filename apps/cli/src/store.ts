import {
  type ListedTarget,
  printable,
  resolveListed,
  sanitizeError,
  shortId,
  type UnreadableSession,
} from '@jido-code/commands/listing';
import type { JidoError, Logger } from '@jido-code/core-schema';
import type { RecoveryReport } from '@jido-code/session';
import {
  FileBackend,
  type LoadedSession,
  type SessionBackend,
  type SessionMetadata,
  SessionStore,
} from '@jido-code/storage';
import type { CommandContext } from './context.js';
import { cliMessageError } from './errors.js';
import { resolveStoreLocation, type StoreLocation } from './store-location.js';

/** A logger that prints storage warnings, and with `--verbose` its debug facts, on stderr. */
export function stderrLogger(context: CommandContext): Logger {
  const write = (level: string, message: string, details?: Readonly<Record<string, unknown>>) => {
    const suffix = details === undefined ? '' : ` ${JSON.stringify(details)}`;
    context.note(`${level}: ${message}${suffix}`);
  };
  return {
    debug: (message, details) => {
      if (context.options.verbose) write('debug', message, details);
    },
    warn: (message, details) => {
      if (context.options.verbose) write('warning', message, details);
    },
  };
}

/**
 * Opens the store of this run (`--store`, `$JIDO_STORE_URL`, `store_url` in `config.json`, else the
 * home of `--home`, `$JIDO_CODE_HOME` or `~/.jido_code`) and recovers every session whose journal
 * outlived its process first (see {@link openHome}); throws its JidoError.
 */
export async function openStore(context: CommandContext): Promise<SessionStore<SessionBackend>> {
  return (await openHome(context)).store;
}

/**
 * Opens the store, then recovers, under each session's lease and lock, every session a crashed
 * process left a journal for, so that what any command reads next holds every acknowledged
 * change. Sessions held by a live process are left alone. Costs one `readdir` when nothing is
 * pending. A recovery that failed is a warning here (its journal stays for the next try); moved-
 * aside journals are reported by the commands that list them.
 */
export async function openHome(
  context: CommandContext,
): Promise<{ store: SessionStore<SessionBackend>; recovery: RecoveryReport }> {
  const location = await resolveStoreLocation(context);
  return openLocation(context, location);
}

/** Opens the store at `location` (a home or a database) and recovers it as {@link openHome} does. */
export async function openLocation(
  context: CommandContext,
  location: StoreLocation,
): Promise<{ store: SessionStore<SessionBackend>; recovery: RecoveryReport }> {
  const logger = stderrLogger(context);
  let store: SessionStore<SessionBackend>;
  if (location.kind === 'postgres') {
    const { openPostgres } = await import('./open-postgres.js');
    store = await openPostgres(context, location, logger);
  } else {
    const opened = await SessionStore.open({
      ...(location.home === undefined ? {} : { home: location.home }),
      env: context.io.env,
      logger,
    });
    if (!opened.ok) throw homeError(opened.error) ?? opened.error;
    store = opened.value as unknown as SessionStore<SessionBackend>;
  }
  // Nothing to recover (one readdir): the session runtime that recovery needs is not even loaded.
  const pending = await store.pendingJournals();
  if (pending.ok && pending.value.length === 0) {
    return { store, recovery: { recovered: [], sessions: [], skipped: [], quarantined: [], failed: [] } };
  }
  const { recoverInterruptedSessions } = await import('@jido-code/session');
  const recovery = await recoverInterruptedSessions(store, { logger });
  if (recovery.failed.length > 0) {
    const { sanitizeError } = await import('@jido-code/commands/listing');
    for (const { error } of recovery.failed) {
      context.note(`warning: an interrupted session could not be recovered: ${sanitizeError(error).message}`);
    }
  }
  return { store, recovery };
}

/** The store as a file home, or undefined for another backend (JidoCode files live only in a home). */
export function asFileStore(store: SessionStore<SessionBackend>): SessionStore<FileBackend> | undefined {
  return store.backend instanceof FileBackend ? (store as unknown as SessionStore<FileBackend>) : undefined;
}

/** Why a home folder could not be made, by errno, in the words a user can act on. */
const homeReasons: Readonly<Record<string, string>> = {
  ENOENT: 'the folder cannot be created there (is a folder above it missing?)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOSPC: 'the disk is full',
  EEXIST: 'something that is not a folder is in the way',
};

/**
 * A home that cannot be created or opened, named: the user chose that path (`--home` or
 * `$JIDO_CODE_HOME`), so naming it back is safe. Undefined for any other error.
 */
function homeError(error: JidoError): JidoError | undefined {
  const path = error.details.path;
  const errno = error.details.errno;
  if (typeof path !== 'string' || typeof errno !== 'string') return undefined;
  if (!['not_found', 'permission_denied', 'io_error'].includes(error.code)) return undefined;
  const reason = homeReasons[errno] ?? `the system said ${errno}`;
  return cliMessageError(error.code, `Could not create the jido home ${printable(path)}: ${reason}.`, error);
}

/**
 * Resolves a target the way every command does (index, id, id prefix, name) against the list the
 * user sees with `jido sessions list`, so `jido sessions show 2` is the second row there. A session
 * open in another process is not in that list; it is still found by id, prefix or name. A file
 * that fails to load is found by id or id prefix, so it can be shown, exported or deleted alone.
 */
export async function resolveSavedTarget(
  store: SessionStore<SessionBackend>,
  target: string,
): Promise<ListedTarget> {
  const shown = await store.listResumable();
  if (!shown.ok) throw shown.error;
  const found = resolveListed(target, shown.value);
  if (found.ok) return found.value;
  // Not among the sessions shown: an id, prefix or name may still name one open elsewhere. Digits
  // are then only an id prefix (an id can start with eight digits), never a position in a list the
  // user was not shown.
  if (found.error.code === 'not_found' || found.error.code === 'target_out_of_range') {
    const all = await store.listPersisted();
    if (!all.ok) throw all.error;
    const everything = resolveListed(target, all.value, { byIndex: false });
    if (everything.ok) return everything.value;
  }
  throw found.error satisfies JidoError;
}

/** {@link resolveSavedTarget} for a session that must load: a file that fails to load is an error. */
export async function resolveSaved(
  store: SessionStore<SessionBackend>,
  target: string,
): Promise<SessionMetadata> {
  const found = await resolveSavedTarget(store, target);
  if (found.kind === 'problem') throw unreadable(found.problem);
  return found.entry;
}

/** What is wrong with a file that fails to load, naming it by its short id. */
function unreadable(problem: UnreadableSession): JidoError {
  const reason = sanitizeError(problem.error).message;
  return cliMessageError(
    problem.error.code,
    `Session ${shortId(problem.id)} cannot be loaded: ${reason}`,
    problem.error,
  );
}

/**
 * Loads the trashed session a target names in the `jido sessions trash` listing (number, id, id
 * prefix or name), verified like a live one; throws its typed error.
 */
export async function loadTrashedTarget(
  store: SessionStore<SessionBackend>,
  target: string,
): Promise<LoadedSession> {
  const { resolveTarget } = await import('@jido-code/commands/listing');
  const listing = await store.listTrash();
  if (!listing.ok) throw listing.error;
  const found = resolveTarget(target, listing.value.entries);
  if (!found.ok) throw found.error;
  const loaded = await store.loadTrashed(found.value.entry);
  if (!loaded.ok) throw loaded.error;
  return loaded.value;
}

/** Loads the saved session a target names, with every storage check; throws its typed error. */
export async function loadSaved(store: SessionStore<SessionBackend>, target: string): Promise<LoadedSession> {
  const entry = await resolveSaved(store, target);
  const loaded = await store.load(entry.id);
  if (!loaded.ok) throw loaded.error;
  return loaded.value;
}
