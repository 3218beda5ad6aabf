import {
  type AppConfig,
  defaultAppConfig,
  err,
  JidoError,
  type Logger,
  ok,
  type Result,
  type Session,
  silentLogger,
  type UnsignedSession,
} from '@jido-code/core-schema';
import { Keyring } from '@jido-code/crypto';
import type { LockedDocument } from '@jido-code/rate-limit';
import type { SessionBackend, SessionSlot, StoredSession } from './backend/session-backend.js';
import { cachedUntilFailure } from './cached-until-failure.js';
import { reachCrashPoint } from './crash-points.js';
import { documentNamePattern } from './home/paths.js';
import type { QuarantinedJournal } from './journal/journal-quarantine.js';
import { keyringJournals } from './journal/keyring-journals.js';
import { contentHashOf } from './search/file-search-source.js';
import { searchProviderFor } from './search/search-provider-for.js';
import type { SessionSearchProvider } from './search/store-search.js';
import { type LimitContext, writeWithinLimit } from './sessions/count-limit.js';
import {
  type RemovalNotice,
  recordRemovalNotice,
  removalNoticesDocument,
} from './sessions/removal-notices.js';
import { failure, type RetentionContext, removeOne } from './sessions/retention-runner.js';
import { type EncodedSession, encodeSession, type LoadedSession } from './sessions/session-codec.js';
import { compareByClosedNewestFirst, metadataOf } from './sessions/session-metadata.js';
import type { SessionVerifier } from './sessions/session-verification.js';
import { storeVerifier } from './sessions/store-verifier.js';
import type { TrashContext } from './sessions/trash-runner.js';
import { verifyStored } from './sessions/verify-stored.js';
import type { SaveReport, SessionListing, StoreOptions } from './store-types.js';

/**
 * What the {@link SessionStore} facade's operations are built from: the keyring and journals
 * (opened once, retried after a failure), and load, verify, list and write over the backend. Its
 * methods throw; the facade maps what they throw to error results.
 */
export class StoreCore {
  readonly backend: SessionBackend;
  readonly config: AppConfig;
  readonly now: () => Date;
  readonly logger: Logger;
  /** What the retention, count-limit and trash runners need. */
  readonly context: RetentionContext & LimitContext & TrashContext;
  readonly keyring = cachedUntilFailure(() =>
    Keyring.open(this.backend.keyringPersistence(), { now: this.now, logger: this.logger }),
  );
  readonly journals = cachedUntilFailure(async () => keyringJournals(this.backend, await this.keyring()));
  #search: SessionSearchProvider | undefined;
  #verifier: { readonly keyring: Keyring; readonly verifier: SessionVerifier } | undefined;

  /** `save` is the facade's: the runners save through the same validation and error mapping. */
  constructor(
    backend: SessionBackend,
    options: StoreOptions,
    save: (session: Session) => Promise<Result<SaveReport>>,
  ) {
    this.backend = backend;
    this.config = options.config ?? defaultAppConfig;
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger ?? silentLogger;
    this.context = {
      backend,
      config: this.config,
      logger: this.logger,
      list: () => this.list(),
      verify: (stored, id) => this.verify(stored, id),
      keyring: () => this.keyring(),
      save,
      now: () => this.now(),
      unindex: (id) => this.search().removed(id),
      trashForLimit: async (id) => {
        const outcome = await removeOne(this.context, id, { reason: 'limit' });
        if (outcome === 'trashed') await this.notice({ reason: 'limit', count: 1 });
        return outcome === 'trashed';
      },
    };
  }

  /** Counts an automatic removal for the next shell start; a failure here never fails the removal. */
  async notice(notice: RemovalNotice): Promise<void> {
    try {
      await recordRemovalNotice(this.backend.lockedDocument(removalNoticesDocument), notice);
    } catch (error) {
      this.logger.debug('Could not record a removal notice.', { error: String(error) });
    }
  }

  /** The backend's search, or a scan of every session; created on first use. */
  search(): SessionSearchProvider {
    this.#search ??= searchProviderFor(this.backend, (id) => this.load(id));
    return this.#search;
  }

  /** Reads and verifies one session; a failed read is an error result. */
  async load(id: string): Promise<Result<LoadedSession>> {
    let stored: StoredSession;
    try {
      stored = await this.backend.read(id);
    } catch (error) {
      return err(failure(error, 'load the session'));
    }
    return this.verify(stored, id);
  }

  /** Decodes and verifies stored bytes (size, UTF-8, migration, schema, signature). */
  async verify(stored: StoredSession, id: string): Promise<Result<LoadedSession>> {
    const keyring = await this.keyring();
    // One verifier per keyring instance (a failed open is retried with a new one), not per load.
    if (this.#verifier?.keyring !== keyring) {
      const verifier = storeVerifier(keyring, this.backend, this.config.unsigned_policy, this.logger);
      this.#verifier = { keyring, verifier };
    }
    return verifyStored(stored, id, this.#verifier.verifier, this.logger);
  }

  /** Every stored session's metadata, newest closed first, and the entries that failed. */
  async list(): Promise<SessionListing> {
    const listing = await this.backend.list(async (id, size) => {
      const loaded = await this.load(id);
      if (!loaded.ok) return loaded;
      return ok(metadataOf(loaded.value.session, loaded.value.signed, size, loaded.value.signer));
    });
    return { ...listing, sessions: [...listing.sessions].sort(compareByClosedNewestFirst) };
  }

  /**
   * Signs and saves a session: a stored one in the backend's one step when it has one
   * ({@link SessionBackend.replaceStored}), otherwise (and a new one always) through
   * {@link StoreCore.write} in its exclusive section.
   */
  async save(input: Session | UnsignedSession, id: string): Promise<SaveReport> {
    const backend = this.backend;
    if (backend.replaceStored === undefined) {
      return backend.withSession(id, (slot) => this.write(slot, input, id));
    }
    const encoded = await this.encode(input);
    if (await backend.replaceStored(id, encoded)) return { id, bytes: encoded.bytes.length, created: false };
    return backend.withSession(id, (slot) => this.#writeEncoded(slot, encoded, id));
  }

  /** Signs and writes a session in its exclusive section, within the count limit, then indexes it. */
  async write(slot: SessionSlot, input: Session | UnsignedSession, id: string): Promise<SaveReport> {
    return this.#writeEncoded(slot, await this.encode(input), id);
  }

  /** Validates and signs a session as a save would, without writing it. */
  async encode(input: Session | UnsignedSession): Promise<EncodedSession> {
    const keyring = await this.keyring();
    const encoded = await encodeSession(
      input,
      (payload) => keyring.sign(payload),
      this.config.max_file_size_bytes,
    );
    if (!encoded.ok) throw encoded.error;
    return encoded.value;
  }

  async #writeEncoded(slot: SessionSlot, encoded: EncodedSession, id: string): Promise<SaveReport> {
    const report = await writeWithinLimit(this.context, slot, id, encoded.bytes);
    reachCrashPoint('before-search-index');
    await this.search().indexSaved(encoded.session, contentHashOf(encoded.session));
    await this.backend.signedIds().record(id);
    return report;
  }

  /** A state document by name; a name that is not lower-case letters, digits and dashes is `invalid_value`. */
  document(name: string): Result<LockedDocument> {
    if (!documentNamePattern.test(name)) {
      return err(
        new JidoError('invalid_value', 'The state document name is not valid.', { details: { name } }),
      );
    }
    return ok(this.backend.lockedDocument(name));
  }

  /** Ids of the sessions whose journal is on disk; none for a backend without journals. */
  async journalIds(): Promise<string[]> {
    return (await this.backend.journalIds?.()) ?? [];
  }

  /** The journals recovery moved aside; none for a backend without journals. */
  async quarantinedJournals(): Promise<QuarantinedJournal[]> {
    return (await this.backend.quarantinedJournals?.()) ?? [];
  }

  /** Removes leftovers of interrupted writes older than `maxAgeMs`; none for a backend without them. */
  async sweep(maxAgeMs: number): Promise<number> {
    return (await this.backend.sweep?.(maxAgeMs)) ?? 0;
  }
}
