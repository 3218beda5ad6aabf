import type { Session } from '@jido-code/core-schema';
import { resolveAppConfig } from '@jido-code/core-schema/schemas';
import {
  type DescribeSession,
  type SessionBackend,
  type SessionMetadata,
  type SessionSlot,
  SessionStore,
} from '@jido-code/storage';
import { benchConfig, unwrap } from './context.js';

/** What one `store.save` handed to the backend: the signed bytes, the session it indexes, the ledger. */
export interface Captured {
  readonly id: string;
  bytes: Uint8Array | undefined;
  session: Session | undefined;
  signed: boolean;
  /** What the store's listing described for it (verified), once {@link describeCaptured} ran. */
  metadata: SessionMetadata | undefined;
}

const refused = (): never => {
  throw new Error('staging: the save path asked the capturing backend for something it does not provide');
};

/**
 * A store over `backend` whose saves run the whole save path (validation, canonical JSON, signing
 * with the backend's own keyring, the count limit, search indexing, the signed-id ledger) but hand
 * what they would write to {@link sink} instead of the backend; and whose listing describes the
 * captured sessions (read back from the captured bytes, decoded and verified by the store's own
 * load) as the backend's first listing would. Everything else (the keyring above all) goes to the
 * real backend.
 */
export class CapturingStore {
  readonly sink = new Map<string, Captured>();
  readonly store: SessionStore<SessionBackend>;

  constructor(backend: SessionBackend) {
    const overrides: Partial<Record<string | symbol, unknown>> = {
      withSession: <T>(id: string, fn: (slot: SessionSlot) => Promise<T>) => fn(this.#slot(id)),
      // A backend's one-step replace of a stored session would write; every captured save is new.
      replaceStored: async () => false,
      withCreation: <T>(fn: (census: { count(): Promise<number> }) => Promise<T>) =>
        fn({ count: async () => 0 }),
      read: async (id: string) => {
        const bytes = this.sink.get(id)?.bytes;
        if (bytes === undefined) refused();
        return { bytes, location: `captured:${id}` };
      },
      list: (describe: DescribeSession) => this.#list(describe),
      search: () => ({
        search: refused,
        rebuild: refused,
        indexSaved: async (session: Session) => {
          this.#entry(session.id).session = session;
        },
        removed: refused,
        close: () => {},
      }),
      signedIds: () => ({
        wasSigned: async (id: string) => this.sink.get(id)?.signed === true,
        record: async (id: string) => {
          this.#entry(id).signed = true;
        },
      }),
    };
    const proxy = new Proxy(backend, {
      get(target, property) {
        if (property in overrides) return overrides[property];
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const config = unwrap(resolveAppConfig(benchConfig, {}), 'config');
    this.store = SessionStore.over(proxy as SessionBackend, { config });
  }

  /** Saves through the whole save path; the result is in {@link sink}. */
  async save(session: Session): Promise<void> {
    unwrap(await this.store.save(session), 'staging save');
  }

  /** Lists the captured sessions through the store: each one's verified listing metadata. */
  async describe(): Promise<void> {
    const listing = unwrap(await this.store.listPersisted(), 'staging list');
    if (listing.problems.length > 0) {
      throw new Error(`staging: ${listing.problems.length} captured sessions did not verify`);
    }
  }

  /** Takes what was captured so far. */
  take(): Captured[] {
    const taken = [...this.sink.values()];
    this.sink.clear();
    return taken;
  }

  #entry(id: string): Captured {
    let captured = this.sink.get(id);
    if (captured === undefined) {
      captured = { id, bytes: undefined, session: undefined, signed: false, metadata: undefined };
      this.sink.set(id, captured);
    }
    return captured;
  }

  #slot(id: string): SessionSlot {
    return {
      read: refused,
      exists: async () => false,
      write: async (bytes) => {
        this.#entry(id).bytes = bytes;
      },
      remove: refused,
      leaseHolder: async () => undefined,
      trash: refused,
      restore: refused,
      purgeTrashed: refused,
      rewriteTrashed: refused,
    };
  }

  async #list(describe: DescribeSession) {
    const sessions: SessionMetadata[] = [];
    for (const captured of this.sink.values()) {
      const described = await describe(captured.id, captured.bytes?.byteLength ?? 0);
      if (!described.ok) throw described.error;
      captured.metadata = described.value;
      sessions.push(described.value);
    }
    return { sessions, problems: [], stats: { parsed: sessions.length, reused: 0 } };
  }
}
