import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { hostname } from 'node:os';
import { type Logger, parseJson } from '@jido-code/core-schema';
import { reachCrashPoint } from '../crash-points.js';
import { fileSystemError } from '../errors.js';
import { errnoCode, type FileSystem } from '../fs/file-system.js';
import { fileMode } from '../home/secure-directory.js';
import { writeAll } from '../io/durable-write.js';
import { readFileBounded } from '../io/read-file.js';

/** Who holds a lock or lease: written once, at creation, into the lock or lease file. */
export type OwnerRecord = {
  /** Process id of the holder. */
  readonly pid: number;
  /** Host name of the holder; a pid only means something on the same host. */
  readonly host: string;
  /** Random per-acquisition value: tells two holders with the same pid apart, and guards release. */
  readonly nonce: string;
  /** When the file was created (ISO 8601). */
  readonly created_at: string;
};

/** A lock or lease file as found on disk. The record is absent when the file is empty or unreadable. */
export interface ExistingOwner {
  readonly record?: OwnerRecord;
  readonly ino: number;
  readonly mtimeMs: number;
}

/** A fresh record for this process. */
export function newOwnerRecord(now: Date): OwnerRecord {
  return {
    pid: process.pid,
    host: hostname(),
    nonce: randomBytes(16).toString('hex'),
    created_at: now.toISOString(),
  };
}

/**
 * Nonces of the locks and leases this process holds right now. A record with this process's own
 * pid is judged by this set, not by the pid (which is alive): a file whose release failed (say
 * its unlink hit EIO) is then a leftover that can be taken over, not a lock held forever.
 */
const heldHere = new Set<string>();

/** Forgets a lock or lease this process gave up, whether or not its file could be removed. */
export function markReleased(nonce: string): void {
  heldHere.delete(nonce);
}

/** A random suffix for aside names. */
export function randomSuffix(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Creates `path` exclusively (`O_CREAT|O_EXCL|O_NOFOLLOW`, 0600) holding `record` as JSON. Returns
 * false when the file already exists; throws a {@link JidoError} on any other failure.
 */
export async function tryCreateExclusive(
  fs: FileSystem,
  path: string,
  record: OwnerRecord & Readonly<Record<string, unknown>>,
): Promise<boolean> {
  let fd: number;
  // Held from before the file exists: another acquirer in this process may read the complete
  // record before this one's write and close return, and must not judge it a leftover.
  heldHere.add(record.nonce);
  try {
    fd = await fs.open(
      path,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      fileMode,
    );
  } catch (error) {
    heldHere.delete(record.nonce);
    if (errnoCode(error) === 'EEXIST') return false;
    throw fileSystemError(error, 'take a lock', { path });
  }
  try {
    await writeAll(fs, fd, new TextEncoder().encode(JSON.stringify(record)), 0);
    await fs.close(fd);
  } catch (error) {
    heldHere.delete(record.nonce);
    await fs.close(fd).catch(() => undefined);
    await fs.unlink(path).catch(() => undefined);
    throw fileSystemError(error, 'take a lock', { path });
  }
  return true;
}

function parseRecord(bytes: Uint8Array): OwnerRecord | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  const parsed = parseJson(text, { maxDepth: 4 });
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) return undefined;
  const value = parsed.value as Record<string, unknown>;
  if (
    typeof value.pid !== 'number' ||
    !Number.isSafeInteger(value.pid) ||
    value.pid <= 0 ||
    typeof value.host !== 'string' ||
    typeof value.nonce !== 'string' ||
    typeof value.created_at !== 'string'
  ) {
    return undefined;
  }
  return { pid: value.pid, host: value.host, nonce: value.nonce, created_at: value.created_at };
}

/** Reads a lock or lease file without following symlinks; `undefined` when it does not exist. */
export async function inspectOwner(fs: FileSystem, path: string): Promise<ExistingOwner | undefined> {
  try {
    const { bytes, stats } = await readFileBounded(fs, path, 4096, 'a lock');
    const record = parseRecord(bytes);
    return record === undefined
      ? { ino: stats.ino, mtimeMs: stats.mtimeMs }
      : { record, ino: stats.ino, mtimeMs: stats.mtimeMs };
  } catch (error) {
    if ((error as { code?: unknown }).code === 'not_found') return undefined;
    if ((error as { code?: unknown }).code === 'too_large') {
      const stats = await fs.lstat(path).catch(() => undefined);
      return stats === undefined ? undefined : { ino: stats.ino, mtimeMs: stats.mtimeMs };
    }
    throw error;
  }
}

/** True unless the OS says no process has this pid (`ESRCH`); `EPERM` means it exists. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) !== 'ESRCH';
  }
}

/** How to judge a holder. */
export interface LivenessPolicy {
  /** Age past which a holder that cannot be checked (other host, unreadable record) is stale. */
  readonly staleMs: number;
  /** Clock for ages computed from a record's `created_at`. */
  readonly now: () => Date;
}

/**
 * A holder on this host is live exactly while its pid is; a holder on another host, or one whose
 * record cannot be read (a crash between create and write), is live until it is `staleMs` old.
 */
export function holderIsLive(owner: ExistingOwner, policy: LivenessPolicy): boolean {
  const { record } = owner;
  if (record !== undefined && record.host === hostname()) {
    return record.pid === process.pid ? heldHere.has(record.nonce) : isProcessAlive(record.pid);
  }
  const created = record === undefined ? Number.NaN : Date.parse(record.created_at);
  const age = Number.isNaN(created) ? Date.now() - owner.mtimeMs : policy.now().getTime() - created;
  return age <= policy.staleMs;
}

function sameOwner(judged: ExistingOwner, found: ExistingOwner): boolean {
  if (judged.record !== undefined || found.record !== undefined) {
    return judged.record?.nonce === found.record?.nonce && judged.ino === found.ino;
  }
  return judged.ino === found.ino;
}

/** A takeover mutex older than this is abandoned whatever its pid says: it is held for microseconds. */
const takeoverMutexStaleMs = 10_000;

/**
 * Removes `path` if it still holds the record `judged`, by the rename-aside protocol: the file is
 * renamed to a unique name (of racing processes exactly one rename succeeds) and checked; if it
 * was not the judged record it is put back with `link`, which never overwrites. Safe only when
 * nobody else can replace the judged record meanwhile; used for the takeover mutex itself.
 */
async function removeIfStill(
  fs: FileSystem,
  path: string,
  judged: ExistingOwner,
  logger: Logger,
): Promise<boolean> {
  const aside = `${path}.stale.${randomSuffix()}`;
  try {
    await fs.rename(path, aside);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw fileSystemError(error, 'take over a stale lock', { path });
  }
  const found = await inspectOwner(fs, aside).catch(() => undefined);
  if (found !== undefined && sameOwner(judged, found)) {
    await fs.unlink(aside).catch(() => undefined);
    return true;
  }
  await fs.link(aside, path).catch((error: unknown) =>
    logger.warn('A lock changed hands during takeover and could not be restored.', {
      path,
      errno: errnoCode(error) ?? null,
    }),
  );
  await fs.unlink(aside).catch(() => undefined);
  return false;
}

/**
 * Removes a stale lock or lease so that only one process can win and a live holder is never
 * disturbed. Takeovers of one path are serialized by a mutex file `<path>.takeover` (O_EXCL);
 * under it the lock is re-read and removed only if it is still the record judged stale. Since that
 * record's holder is gone and every other remover needs the mutex, nothing can replace it between
 * the check and the unlink. A mutex left by a killed process is itself cleared when its pid is dead
 * or it is older than ten seconds. Returns true when the stale file was removed.
 */
export async function takeOverStale(
  fs: FileSystem,
  path: string,
  judged: ExistingOwner,
  logger: Logger,
): Promise<boolean> {
  const mutexPath = `${path}.takeover`;
  const mutex = newOwnerRecord(new Date());
  if (!(await tryCreateExclusive(fs, mutexPath, mutex))) {
    const holder = await inspectOwner(fs, mutexPath).catch(() => undefined);
    if (
      holder !== undefined &&
      !holderIsLive(holder, { staleMs: takeoverMutexStaleMs, now: () => new Date() })
    ) {
      await removeIfStill(fs, mutexPath, holder, logger);
    } else if (holder !== undefined && Date.now() - holder.mtimeMs > takeoverMutexStaleMs) {
      await removeIfStill(fs, mutexPath, holder, logger);
    }
    return false;
  }
  try {
    reachCrashPoint('lock-takeover');
    const current = await inspectOwner(fs, path);
    if (current === undefined || !sameOwner(judged, current)) return false;
    try {
      await fs.unlink(path);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return false;
      throw fileSystemError(error, 'take over a stale lock', { path });
    }
    logger.debug('Took over a stale lock.', { path, previous: judged.record ?? null });
    return true;
  } finally {
    markReleased(mutex.nonce);
    const still = await inspectOwner(fs, mutexPath).catch(() => undefined);
    if (still?.record?.nonce === mutex.nonce) await fs.unlink(mutexPath).catch(() => undefined);
  }
}
