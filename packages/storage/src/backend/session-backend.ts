import type { JidoError, Result, Session } from '@jido-code/core-schema';
import type { KeyringPersistence } from '@jido-code/crypto';
import type { LockedDocument } from '@jido-code/rate-limit';
import type { JournalSigner, JournalStore, QuarantinedJournal } from '../journal/index.js';
import type { Lease, LeaseInfo } from '../locking/lease.js';
import type { SessionSearchProvider } from '../search/store-search.js';
import type { LoadedSession } from '../sessions/session-codec.js';
import type { SessionMetadata } from '../sessions/session-metadata.js';

/** The stored, signed bytes of one session and where they came from (for debug details only). */
export interface StoredSession {
  readonly bytes: Uint8Array;
  /** A debug location such as a file path; never shown to users. */
  readonly location: string;
}

/** A stored session a listing could not use, with the reason. */
export interface ListingProblem {
  /** The stored entry's name (a file name inside the sessions folder, never a full path). */
  readonly file: string;
  /** The session id its name carries. */
  readonly id?: string;
  /** Why it was skipped. */
  readonly error: JidoError;
}

/** A backend's listing of saved sessions, in no particular order. */
export interface BackendListing {
  readonly sessions: SessionMetadata[];
  readonly problems: ListingProblem[];
  /** How many entries were described afresh and how many cached descriptions were reused. */
  readonly stats: { readonly parsed: number; readonly reused: number };
}

/**
 * Turns one stored session into its metadata: the store reads, decodes and verifies it. The
 * backend calls it for every entry whose cached metadata (if it keeps any) may be out of date.
 */
export type DescribeSession = (id: string, size: number) => Promise<Result<SessionMetadata>>;

/** One session's storage, usable only inside {@link SessionBackend.withSession}. */
export interface SessionSlot {
  /** The stored bytes; throws `not_found` when there are none. */
  read(): Promise<StoredSession>;
  /** True when the session is stored. */
  exists(): Promise<boolean>;
  /**
   * Replaces the stored bytes atomically and durably. `replacing` is what `exists()` said: the
   * file backend keeps a backup of a JidoCode file before its first rewrite.
   */
  write(bytes: Uint8Array, replacing: boolean): Promise<void>;
  /** Removes the session for good; false when it was not there. */
  remove(): Promise<boolean>;
  /** The live holder of the session's lease, if any. */
  leaseHolder(): Promise<LeaseInfo | undefined>;
  /**
   * Moves the session, its bytes unchanged, into the trash as `entry`, with its signed `record`;
   * false when the session was not stored. Atomic: afterwards it is live or trashed, never both.
   */
  trash(entry: string, record: Uint8Array): Promise<boolean>;
  /** Moves trash entry `entry` (of this session) back; the caller checked that the id is free. */
  restore(entry: string): Promise<void>;
  /** Removes trash entry `entry` (of this session) for good; false when it was not there. */
  purgeTrashed(entry: string): Promise<boolean>;
  /**
   * Replaces trash entry `entry` (of this session) with new signed bytes and record, durably and
   * leaving no copy of the old ones (a redaction in place); false when the entry is not there.
   */
  rewriteTrashed(entry: string, bytes: Uint8Array, record: Uint8Array): Promise<boolean>;
}

/** One session in the trash, as the backend keeps it. */
export interface TrashedSession {
  /** The entry name: `<session id>.<trashed at, ms>`. */
  readonly entry: string;
  readonly id: string;
  /** The signed record written with the move (undefined when it is missing). */
  readonly record: Uint8Array | undefined;
}

/** What the store needs while it creates a session under the count limit. */
export interface SessionCensus {
  /** How many sessions are stored. */
  count(): Promise<number>;
  /** Removes a session unless a live process leases it; true when it was removed. */
  removeUnleased(id: string): Promise<boolean>;
  /** Told that the caller stored a new session and `count` are stored now, so it may remember it. */
  created?(count: number): Promise<void>;
}

/**
 * The downgrade guard: every id ever seen validly signed. An unsigned file for such an id lost its
 * signature, so it is refused as tampered whatever the unsigned policy says.
 */
export interface SignedIdLedger {
  /** True when `id` was seen validly signed, here or by another process. */
  wasSigned(id: string): Promise<boolean>;
  /** Records that `id` was seen validly signed. */
  record(id: string): Promise<void>;
}

/**
 * What a place that keeps sessions must do. The {@link SessionStore} facade holds every policy
 * (validation, signing, limits, retention, error mapping) and calls only this; every method may
 * throw a JidoError, which the facade turns into a `Result`. Run `describeBackendConformance` from
 * `@jido-code/storage/conformance` against a new backend.
 */
export interface SessionBackend {
  /** A short name for messages and test titles, e.g. `file`. */
  readonly kind: string;
  /** The stored bytes of one session, read without the exclusive section; throws `not_found`. */
  read(id: string): Promise<StoredSession>;
  /**
   * Runs `fn` with exclusive access to one session: no other call of `withSession` for that id,
   * in any process, runs at the same time. Calls for one id in one process run first come, first served.
   */
  withSession<T>(id: string, fn: (slot: SessionSlot) => Promise<T>): Promise<T>;
  /**
   * Replaces a session that is already stored, in one exclusive step: under the same exclusion and
   * fencing as {@link withSession}, `bytes` (signed, canonical) replace the stored ones durably, the
   * id is recorded in {@link signedIds}, and the backend's search index is brought up to `session`
   * (an index failure never fails the write). Resolves false, having written nothing, when the
   * session is not stored: the store then creates it through `withSession` under the count limit.
   * Optional: without it every save goes through `withSession`.
   */
  replaceStored?(
    id: string,
    encoded: { readonly bytes: Uint8Array; readonly session: Session },
  ): Promise<boolean>;
  /** Runs `fn` while no other process creates a session, so a count limit holds. */
  withCreation<T>(fn: (census: SessionCensus) => Promise<T>): Promise<T>;
  /** Metadata of every stored session; entries that cannot be used are reported, never hidden. */
  list(describe: DescribeSession): Promise<BackendListing>;
  /** Every stored entry that names a session, for a full check that bypasses any cache. */
  entries(): Promise<{ readonly file: string; readonly id: string }[]>;
  /** Every entry in the trash (a record left by an interrupted move is repaired away). */
  trashEntries(): Promise<TrashedSession[]>;
  /** The stored bytes of one trash entry; throws `not_found`. */
  readTrashed(entry: string): Promise<StoredSession>;
  /** Marks a session open in this process; a live holder anywhere gives `already_open_elsewhere`. */
  acquireLease(id: string): Promise<Result<Lease>>;
  /** The live holder of a session's lease; a dead holder's lease is cleaned up. */
  leaseHolder(id: string): Promise<LeaseInfo | undefined>;
  /** Ids of every session a live process leases. */
  leasedIds(): Promise<Set<string>>;
  /** Where the signing keyring is kept, under a lock shared by every process. */
  keyringPersistence(): KeyringPersistence;
  /** A small state document read and replaced under a lock shared by every process. */
  lockedDocument(name: string): LockedDocument;
  /** The downgrade guard's ledger, shared by every process. */
  signedIds(): SignedIdLedger;
  /** JidoCode's session key for files JidoCode signed (throws `unknown_key` without it); optional. */
  jidoCodeKey?(): Promise<Uint8Array>;
  /**
   * The per-session write-ahead journals, their records signed and checked with `signer`; a
   * backend without them leaves this out (and cannot host live sessions).
   */
  journals?(signer: JournalSigner): Promise<JournalStore>;
  /** Ids of the sessions with a journal, without opening any (no keyring): one listing. */
  journalIds?(): Promise<string[]>;
  /** The journals recovery moved aside (never deleted), oldest first. */
  quarantinedJournals?(): Promise<QuarantinedJournal[]>;
  /** Removes leftovers of interrupted writes older than `maxAgeMs`; returns how many. */
  sweep?(maxAgeMs: number): Promise<number>;
  /**
   * Full-text search over the stored sessions, every result read back through `load` (the store's
   * verified load) before it is shown. A backend without it is searched by reading every session.
   */
  search?(load: (id: string) => Promise<Result<LoadedSession>>): SessionSearchProvider;
}
