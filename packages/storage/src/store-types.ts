import type { AppConfig, AppConfigInput, JidoError, Logger } from '@jido-code/core-schema';
import type { ListingProblem } from './backend/session-backend.js';
import type { FileSystem } from './fs/file-system.js';
import type { SessionMetadata } from './sessions/session-metadata.js';

export type { ListingProblem } from './backend/session-backend.js';

/** Options for `SessionStore.open`. */
export interface StorageOptions {
  /** The home directory; else `$JIDO_CODE_HOME`, else `~/.jido_code`. */
  readonly home?: string | undefined;
  /** Environment for the home and `JIDO_*` config variables; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** File-system layer (tests inject faults here); defaults to `nodeFileSystem`. */
  readonly fs?: FileSystem | undefined;
  /** Clock; defaults to the system clock. */
  readonly now?: (() => Date) | undefined;
  /** Debug and warning sink; defaults to `silentLogger`. */
  readonly logger?: Logger | undefined;
  /** Config overrides applied on top of `config.json` and the environment. */
  readonly config?: Partial<AppConfigInput> | undefined;
  /** The host name JidoCode's key is salted with (up to its first dot); defaults to this machine's. */
  readonly hostname?: string | undefined;
}

/** The outcome of a save. */
export interface SaveReport {
  /** The session id. */
  readonly id: string;
  /** Bytes written. */
  readonly bytes: number;
  /** True when the session had no file before. */
  readonly created: boolean;
  /** Present when the number of saved sessions reached the warning ratio of the limit. */
  readonly warning?: { readonly code: 'session_count_warning'; readonly count: number; readonly max: number };
}

/** A listing of saved sessions. */
export interface SessionListing {
  /** Newest closed first. */
  readonly sessions: readonly SessionMetadata[];
  /** Files that were skipped, each with its error: reported, never hidden. */
  readonly problems: readonly ListingProblem[];
  /** How many files were parsed and how many index entries were reused. */
  readonly stats: { readonly parsed: number; readonly reused: number };
}

/** Sessions open in the calling process, which listing, clear and cleanup must leave alone. */
export interface ActiveSessions {
  readonly ids?: Iterable<string>;
  readonly projectPaths?: Iterable<string>;
}

/** Options for `SessionStore.cleanup`. */
export interface CleanupOptions {
  /** Remove sessions whose last activity is older than this; defaults to `cleanup_max_age_days`. */
  readonly maxAgeDays?: number | undefined;
  /** Keep at most this many sessions (newest by last activity). */
  readonly maxCount?: number | undefined;
  /** Report what would be removed without removing anything. */
  readonly dryRun?: boolean | undefined;
  /** Delete for good instead of moving to the trash. */
  readonly purge?: boolean | undefined;
  /** Sessions open in this process. */
  readonly active?: ActiveSessions | undefined;
}

/** What clear or cleanup did; it continues past failures. */
export interface CleanupReport {
  /** Removed (or, on a dry run, would be removed): moved to the trash, or deleted when `purged`. */
  readonly deleted: string[];
  /** True when removed sessions were deleted for good (`purge`), false when they went to the trash. */
  readonly purged: boolean;
  /** Qualified but active, so kept. */
  readonly skipped: string[];
  /** Qualified but pinned, so kept. */
  readonly pinned: string[];
  /** Qualified when listed but saved again before their turn (fresh activity), so kept. */
  readonly changed: string[];
  /** Could not be deleted. */
  readonly failed: string[];
  /** The error of each failure. */
  readonly errors: { readonly id: string; readonly error: JidoError }[];
}

/** Progress callbacks for `SessionStore.verifyAll`, for a progress bar. */
export interface VerifyOptions {
  /** Called once with the number of session files about to be checked. */
  readonly onStart?: ((total: number) => void) | undefined;
  /** Called after each file with how many are done. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

/** The outcome of `SessionStore.verifyAll`. */
export interface VerifyReport {
  /** Files checked. */
  readonly checked: number;
  /** Ids whose file passed every check with a valid signature. */
  readonly valid: string[];
  /** Ids accepted as unsigned legacy files under the current policy. */
  readonly unsigned: string[];
  /** The ids among `valid` whose signature verified with JidoCode's key. */
  readonly jidocode: string[];
  /** Files that failed, with their errors. */
  readonly failed: ListingProblem[];
}

/** What `SessionStore.over` needs besides the backend. */
export interface StoreOptions {
  /** The resolved configuration; defaults to every default. */
  readonly config?: AppConfig | undefined;
  readonly now?: (() => Date) | undefined;
  readonly logger?: Logger | undefined;
}
