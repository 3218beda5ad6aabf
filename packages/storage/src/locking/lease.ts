import { err, JidoError, type Logger, ok, type Result } from '@jido-code/core-schema';
import type { FileSystem } from '../fs/file-system.js';
import {
  holderIsLive,
  inspectOwner,
  markReleased,
  newOwnerRecord,
  takeOverStale,
  tryCreateExclusive,
} from './owner-record.js';

/** Who holds a session's lease. */
export interface LeaseInfo {
  /** The session id. */
  readonly id: string;
  /** Process id of the holder. */
  readonly pid: number;
  /** Host of the holder. */
  readonly host: string;
  /** When the holder opened the session (ISO 8601). */
  readonly startedAt: string;
}

/** A held lease on one session id. */
export interface Lease {
  /** The session id. */
  readonly id: string;
  /** This holder's record. */
  readonly info: LeaseInfo;
  /** Gives the lease up (only if the file is still ours). Idempotent; never throws. */
  release(): Promise<void>;
}

/**
 * A lease is never judged stale by age when its holder is on another host (it cannot be checked and
 * sessions stay open for hours); an unreadable lease file is stale after this grace period.
 */
const unreadableLeaseGraceMs = 10_000;

const policyFor = (now: () => Date) => ({ staleMs: unreadableLeaseGraceMs, now });

function otherHostIsLive(host: string | undefined, localHost: string): boolean {
  return host !== undefined && host !== localHost;
}

/**
 * Takes the lease file at `path` for session `id`. A live holder, including this same process,
 * gives `already_open_elsewhere`; a lease left by a dead process is taken over like a stale lock.
 */
export async function acquireLeaseFile(
  fs: FileSystem,
  path: string,
  id: string,
  options: { readonly now: () => Date; readonly logger: Logger },
): Promise<Result<Lease>> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const record = newOwnerRecord(options.now());
    const written = { ...record, session_id: id, started_at: record.created_at };
    let created: boolean;
    try {
      created = await tryCreateExclusive(fs, path, written);
    } catch (error) {
      return err(error as JidoError);
    }
    if (created) {
      const info: LeaseInfo = { id, pid: record.pid, host: record.host, startedAt: record.created_at };
      let released = false;
      return ok({
        id,
        info,
        async release() {
          if (released) return;
          released = true;
          markReleased(record.nonce);
          try {
            const owner = await inspectOwner(fs, path);
            if (owner?.record?.nonce === record.nonce) await fs.unlink(path);
          } catch (error) {
            options.logger.warn('Could not release a session lease.', { path, error: String(error) });
          }
        },
      });
    }
    const owner = await inspectOwner(fs, path).catch(() => undefined);
    if (owner === undefined) continue;
    const live =
      otherHostIsLive(owner.record?.host, record.host) || holderIsLive(owner, policyFor(options.now));
    if (live) {
      return err(
        new JidoError('already_open_elsewhere', 'This session is already open in another jido process.', {
          details: { id, holder: owner.record ?? null },
        }),
      );
    }
    await takeOverStale(fs, path, owner, options.logger).catch(() => false);
  }
  return err(
    new JidoError('already_open_elsewhere', 'This session is being opened by another jido process.', {
      details: { id, reason: 'contention' },
    }),
  );
}

/**
 * The live holder of the lease at `path`, or undefined. A lease left by a dead process is removed
 * on the way (best effort) so that it stops showing up.
 */
export async function leaseHolderOf(
  fs: FileSystem,
  path: string,
  id: string,
  options: { readonly now: () => Date; readonly logger: Logger },
): Promise<LeaseInfo | undefined> {
  const owner = await inspectOwner(fs, path).catch(() => undefined);
  if (owner === undefined) return undefined;
  const { record } = owner;
  const localHost = newOwnerRecord(options.now()).host;
  if (otherHostIsLive(record?.host, localHost) || holderIsLive(owner, policyFor(options.now))) {
    return record === undefined
      ? { id, pid: 0, host: '', startedAt: new Date(owner.mtimeMs).toISOString() }
      : { id, pid: record.pid, host: record.host, startedAt: record.created_at };
  }
  await takeOverStale(fs, path, owner, options.logger).catch(() => false);
  return undefined;
}

/**
 * True when the lease at `path` has a live holder. Only reads: unlike {@link leaseHolderOf}, a
 * lease left by a dead process stays where it is (`jido doctor` reports, it does not repair).
 */
export async function leaseIsHeld(fs: FileSystem, path: string, now: () => Date): Promise<boolean> {
  const owner = await inspectOwner(fs, path).catch(() => undefined);
  if (owner === undefined) return false;
  const localHost = newOwnerRecord(now()).host;
  return otherHostIsLive(owner.record?.host, localHost) || holderIsLive(owner, policyFor(now));
}
