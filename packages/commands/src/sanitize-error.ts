import { type ErrorCode, JidoError } from '@jido-code/core-schema';
import { printable, truncateEnd } from './display-text.js';
import { shortenPath } from './format-list.js';
import { providerMessages } from './provider-messages.js';
import { describeCandidates, type TargetCandidate } from './resolve-target.js';

/** Everything about an error that may go to a debug log, never to the user's screen. */
export interface ErrorDebugInfo {
  /** The error's code (`internal` for anything that was not a {@link JidoError}). */
  readonly code: ErrorCode;
  /** The original message, unfiltered. */
  readonly message: string;
  /** The original `details` (paths, key ids, sizes): debug only. */
  readonly details: Readonly<Record<string, unknown>>;
  /** The wrapped cause, as `Name: message`, when there is one. */
  readonly cause?: string;
  /** The stack trace, when there is one. */
  readonly stack?: string;
}

/** An error made fit to show: its code, a short user message, and the original for a debug log. */
export interface SanitizedError {
  /** The error's code (`internal` for anything that was not a {@link JidoError}). */
  readonly code: ErrorCode;
  /** One line for the user: no path, key id, MAC or stack, whatever the error carried. */
  readonly message: string;
  /** The original facts, for a debug log only. */
  readonly debug: ErrorDebugInfo;
}

/** A quarantined journal's path relative to the home: safe to show (no home path, key or MAC). */
const quarantinedJournalPattern = /^journal\/quarantine\/[0-9a-f-]{36}\.[0-9]{8}T[0-9]{6}Z\.[a-z-]+\.jsonl$/;
/** A PostgreSQL store keeps a quarantined journal as a row: `journal_quarantine/<entry>`. */
const quarantinedRowPattern = /^journal_quarantine\/([0-9a-f-]{36}\.[0-9]{8}T[0-9]{6}Z\.[a-z-]+)$/;

/** Longest usage message passed through (it echoes a little of what the user typed). */
/** One line per way a session database can be out of reach; the reason comes from the backend. */
const storeUnavailableMessages: Readonly<Record<string, string>> = {
  refused:
    'Could not connect to the session database: the server refused the connection. Check that PostgreSQL is running and the host and port of the store URL.',
  host: 'Could not connect to the session database: its host name was not found. Check the host in the store URL.',
  auth: 'The session database refused the user name or password in the store URL. Check them with your database administrator.',
  tls: 'The session database requires an encrypted connection. Add ?sslmode=require to the store URL.',
  tls_unavailable:
    'The store URL asks for an encrypted connection (sslmode), and the database server does not offer one. Check the host, or ask its administrator to turn on TLS.',
  database_missing:
    'The database named in the store URL does not exist. Create it (createdb) or fix the name in the URL.',
  lost: 'The connection to the session database was lost. Nothing half-written was kept; try again.',
  timeout:
    'The session database did not answer in time (statement_timeout). Nothing half-written was kept; try again.',
  newer_schema:
    'The session database was set up by a newer jido-code. Upgrade jido-code to use it; nothing was changed.',
  other: 'The session database could not be used. Run the command again with --verbose for details.',
};

/** What to do about a change refused because a jido process has the session open (`details.change`). */
const openSessionChanges: Readonly<Record<string, string>> = {
  rename:
    'That session is open in a jido process: rename it there with /session rename, or close it and try again.',
  pin: 'That session is open in a jido process: pin or unpin it there with /session pin or /session unpin, or close it first.',
  other: 'That session is open, so it cannot be changed now. Close it first.',
};

const maxUsageLength = 300;

/**
 * The fix storage names for a home open to others: the one `chmod` of the user's own home, which
 * (unlike other paths) the user must see to run it. Anything else in that field is not shown.
 */
function homeModeFix(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 4200 || !value.startsWith('chmod -R go-rwx '))
    return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a control character must never reach the terminal
  return /[\u0000-\u001f\u007f]/.test(value) ? undefined : value;
}

/**
 * The user message of every error code. A `Record` over the whole {@link ErrorCode} union, so the
 * type check fails when a code is added to the catalogue without a message here.
 *
 * Each function reads only what it can check is harmless from `details`: whole numbers (a wait,
 * a count) and, for targets, short words with no `/`, `\`, `:` or control character, which rules
 * out paths, key ids, signatures and stack lines. The error's own message is used for `usage`
 * alone, whose text this package writes.
 */
export const userMessages: Readonly<Record<ErrorCode, (error: JidoError) => string>> = {
  invalid_json: () => 'A session file is damaged (not valid JSON) and was not loaded.',
  invalid_schema: () => 'A session file has an unexpected shape and was not loaded.',
  invalid_value: (error) => {
    const field = fieldNames[String(error.details.field)];
    const max = wholeNumber(error.details.max);
    if (error.details.field === 'at' && max !== undefined) {
      return max === 0
        ? 'This session has no messages to fork from.'
        : `The fork point must be a message number from 1 to ${thousands(max)}.`;
    }
    const length = wholeNumber(error.details.length);
    if (field === undefined || max === undefined) return 'A value is not valid.';
    const has = length === undefined ? '' : ` (this one has ${thousands(length)})`;
    return `${field} is at most ${thousands(max)} characters${has}.`;
  },
  too_deep: () => 'A session file is nested too deeply and was not loaded.',
  too_large: () => 'A session file is too large and was not loaded.',
  unsupported_version: () =>
    'A session file was written by a newer version of jido. Upgrade jido to open it.',
  migration_failed: () => 'A session file could not be upgraded to the current format.',
  invalid_config: (error) => {
    const rule = plainText(error.details.rule);
    const variable = plainText(error.details.variable);
    const setting = plainText(error.details.setting);
    if (rule !== undefined && variable !== undefined) return `${variable} must be ${rule}.`;
    if (rule !== undefined && setting !== undefined)
      return `The setting ${setting} in config.json must be ${rule}.`;
    return 'The configuration is not valid. Check config.json and the JIDO_ environment variables.';
  },
  invalid_id: () => 'That is not a valid session id.',
  not_found: (error) => {
    const target = safeWord(error.details.target);
    return target === undefined ? 'Session not found.' : `No session matches "${target}".`;
  },
  already_exists: () => 'A session with that id already exists.',
  unsafe_home: (error) => {
    const fix = homeModeFix(error.details.fix);
    return fix === undefined
      ? 'The jido home folder is not safe to use: it must be yours and private to you (mode 700, not a symbolic link).'
      : `The jido home folder is open to other users; it must be private to you (mode 700). Fix it with: ${fix} (or run: jido doctor --fix).`;
  },
  permission_denied: () => 'Permission denied while reading or writing saved sessions.',
  io_error: () => 'A file operation failed. Check free disk space and try again.',
  signature_invalid: (error) =>
    error.details.downgrade === true
      ? 'A session file lost the signature it was saved with and was refused as tampered.'
      : 'A session file was changed after it was saved and was refused.',
  signature_malformed: () => 'A session file has a damaged signature and was refused.',
  unknown_key: (error) =>
    error.details.signer === 'jidocode'
      ? 'A session file was signed by JidoCode, and the file machine_secret it needs is missing from the jido home (or too short).'
      : 'A session file was signed with a key this machine does not have and was refused.',
  unsigned: (error) =>
    error.details.policy === 'reject'
      ? 'A session file is not signed and was refused, because unsigned_policy is reject. To load it, set "unsigned_policy": "accept-with-warning" in config.json or JIDO_UNSIGNED_POLICY=accept-with-warning.'
      : 'A session file is not signed and was refused.',
  keyring_corrupt: () => 'The signing keyring is damaged, so sessions cannot be saved or verified.',
  lock_timeout: () => 'Another jido process is busy with these sessions. Try again in a moment.',
  session_active: (error) => {
    const change = String(error.details.change);
    return Object.hasOwn(openSessionChanges, change)
      ? (openSessionChanges[change] as string)
      : (openSessionChanges.other as string);
  },
  session_count_limit: (error) =>
    `Too many saved sessions${occupancy(error)}. Delete some first, or run jido sessions cleanup.`,
  rate_limited: (error) => {
    const seconds = secondsToWait(error.details.retryAfterMs);
    return seconds === undefined
      ? 'Too many resume attempts. Try again shortly.'
      : `Too many resume attempts. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`;
  },
  lease_lost: () =>
    'Another jido process took this session over after this one stopped answering, so this change was not saved. Reopen the session to continue from its latest state.',
  store_unavailable: (error) =>
    storeUnavailableMessages[String(error.details.reason)] ?? (storeUnavailableMessages.other as string),
  session_limit_reached: (error) => `Too many open sessions${occupancy(error)}. Close one first.`,
  project_already_open: () =>
    'A session on that project folder is open in this shell (one open session per project folder). Use /session switch to go to it, or close it first.',
  already_open_elsewhere: (error) => {
    const pid = wholeNumber((error.details.holder as { pid?: unknown } | null | undefined)?.pid);
    return pid === undefined || pid === 0
      ? 'That session is open in another jido process.'
      : `That session is open in another jido process (pid ${pid}).`;
  },
  invalid_project_path: (error) => {
    // The path is the one the user typed (or their session's own folder): naming it is the point.
    const path = typeof error.details.path === 'string' ? projectPath(error.details.path) : undefined;
    const reason = projectReasons.find((known) => known === error.details.reason);
    if (path === undefined) return 'The project folder does not exist or is not a folder you can use.';
    const message =
      reason === undefined
        ? `The project folder ${path} does not exist or is not a folder you can use.`
        : `The project folder ${path} ${reason}.`;
    // A saved session whose folder is gone: name the flag that resumes it into the new place.
    const moved = error.details.moveHint;
    return typeof moved === 'string' && /^[0-9a-f]{8}$/.test(moved)
      ? `${message} If it moved, run 'jido resume ${moved} --project NEW_FOLDER'.`
      : message;
  },
  project_changed: (error) => {
    const path = typeof error.details.path === 'string' ? ` ${projectPath(error.details.path)}` : '';
    return `The project folder${path} was moved, replaced or had its permissions changed, so the session was not opened.`;
  },
  journal_corrupt: (error) => {
    const file = error.details.quarantined;
    if (typeof file === 'string' && quarantinedJournalPattern.test(file)) {
      return `A session's recovery journal could not be recovered; it was kept, not deleted, at ${file} in the jido home.`;
    }
    const row = typeof file === 'string' ? quarantinedRowPattern.exec(file) : null;
    return row !== null
      ? `A session's recovery journal could not be recovered; it was kept, not deleted, as entry ${row[1]} of the session database's journal_quarantine table.`
      : "A session's recovery journal is damaged and could not be replayed.";
  },

  save_failed: () => 'The session could not be saved. It is still open; try /session save again.',
  usage: (error) => truncateEnd(printable(error.message), maxUsageLength),
  ambiguous_target: (error) => {
    const candidates = safeCandidates(error.details.candidates);
    return candidates.length < 2
      ? 'That matches more than one session. Use more of the id, or the number.'
      : `That matches ${candidates.length} sessions: ${describeCandidates(candidates)}. Use more of the id, or the number.`;
  },
  target_out_of_range: (error) => {
    const count = wholeNumber(error.details.count);
    if (error.details.subject === 'todo') {
      if (count === 0) return 'There are no todos yet. Add one with /todo add <text>.';
      return count === undefined
        ? 'There is no todo with that number.'
        : `There is no such todo: choose 1 to ${count}.`;
    }
    if (count === 0) return 'There are no sessions to choose from.';
    return count === undefined
      ? 'There is no session with that number.'
      : `There is no such session: choose 1 to ${count}.`;
  },
  confirmation_required: (error) => {
    const action = plainText(error.details.action) ?? 'do that';
    const confirm = plainText(error.details.confirm);
    return confirm === undefined
      ? `Refusing to ${action} without confirmation.`
      : `Refusing to ${action} without confirmation. Run '${confirm}'.`;
  },
  no_active_session: () => 'No active session. Start one with /session new, or /resume one.',
  ...providerMessages,
  internal: () => 'An unexpected error occurred.',
};

/**
 * Turns anything thrown or returned as an error into what the user may see and what only a debug
 * log may see. A {@link JidoError} gets its code's message from {@link userMessages}; anything
 * else is `internal` with a generic message. Never throws.
 */
export function sanitizeError(error: unknown): SanitizedError {
  const jido = error instanceof JidoError ? error : undefined;
  const code: ErrorCode = jido?.code ?? 'internal';
  const message =
    jido === undefined ? userMessages.internal(new JidoError('internal', '')) : userMessage(jido);
  const cause = describeCause(error instanceof Error ? error.cause : undefined);
  const stack = error instanceof Error ? error.stack : undefined;
  return {
    code,
    message,
    debug: {
      code,
      message: error instanceof Error ? error.message : String(error),
      details: jido?.details ?? {},
      ...(cause === undefined ? {} : { cause }),
      ...(stack === undefined ? {} : { stack }),
    },
  };
}

function userMessage(error: JidoError): string {
  // A code outside the catalogue can only come from a cast; it still gets a safe message.
  const describe = userMessages[error.code] ?? userMessages.internal;
  try {
    return describe(error);
  } catch {
    return userMessages.internal(error);
  }
}

function describeCause(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  try {
    return String(cause);
  } catch {
    return Object.prototype.toString.call(cause);
  }
}

function wholeNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** Whole seconds to wait for a retry-after in milliseconds: rounded up, at least 1. */
function secondsToWait(retryAfterMs: unknown): number | undefined {
  if (typeof retryAfterMs !== 'number' || !Number.isFinite(retryAfterMs) || retryAfterMs < 0)
    return undefined;
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

/** ` (10 of 10)` from `details.current` (or `count`) and `details.max`, or nothing. */
function occupancy(error: JidoError): string {
  const current = wholeNumber(error.details.current) ?? wholeNumber(error.details.count);
  const max = wholeNumber(error.details.max);
  return current === undefined || max === undefined ? '' : ` (${current} of ${max})`;
}

/** A short word safe to echo: at most 50 characters, no path separator, colon or control character. */
/** A short phrase of our own (`delete every saved session`, `/resume clear --yes`), else undefined. */
function plainText(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9 /._-]{1,80}$/.test(value) ? value : undefined;
}

/** What a length-limited field is called in a message. */
const fieldNames: Readonly<Record<string, string>> = { todo: 'A todo', name: 'A session name' };

/** `4,096`. */
function thousands(value: number): string {
  return value.toLocaleString('en-US');
}

/** The reasons `validateProjectPath` gives, the only ones a message repeats. */
const projectReasons = [
  'path is not a valid absolute path',
  'does not exist',
  'is a protected system folder',
  'is not a directory',
  'cannot be read',
  'is not yours (owned by another user)',
] as const;

/** A project folder as a message shows it: printable, at most 200 characters, keeping its end. */
function projectPath(path: string): string {
  return shortenPath(printable(path), 200);
}

function safeWord(value: unknown): string | undefined {
  return typeof value === 'string' && /^[^/\\:\p{Cc}\p{Cf}]{1,50}$/u.test(value) ? value : undefined;
}

function safeCandidates(value: unknown): TargetCandidate[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((candidate: unknown) => {
    if (typeof candidate !== 'object' || candidate === null) return [];
    const { id, name, position } = candidate as Record<string, unknown>;
    if (typeof id !== 'string' || !/^[0-9a-f-]{8,36}$/i.test(id)) return [];
    const safePosition = wholeNumber(position);
    if (safePosition === undefined) return [];
    return [{ id, name: safeWord(name) ?? '', position: safePosition }];
  });
}
