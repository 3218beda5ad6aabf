import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { err, JidoError, type Logger, ok, type Result } from '@jido-code/core-schema';
import type { Lease, LeaseInfo } from '@jido-code/storage';
import type { Database } from './database.js';
import type { Fence } from './session-rows.js';

/** Lease timing. Expiry is judged by the database server's clock only. */
export interface LeaseTiming {
  /** A lease not renewed for this long can be taken over (default 30 000 ms). */
  readonly ttlMs: number;
  /** How often the holder renews (default a third of the TTL). */
  readonly heartbeatMs: number;
}

export const defaultLeaseTtlMs = 30_000;

interface HeldLease extends Fence {
  timer: NodeJS.Timeout | undefined;
  lost: boolean;
}

interface LeaseRow {
  readonly id: string;
  readonly pid: number;
  readonly host: string;
  readonly started_at: string;
  readonly generation: string;
}

/** True when a process with this pid runs on this machine (EPERM: it runs as someone else). */
function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Leases across machines: a row per session with the holder, a TTL renewed by a heartbeat, and a
 * generation that increases on each takeover. The generation is the fencing token every write of
 * the holder carries ({@link LeaseTable.fenceOf}). A lease whose holder is a dead process on this
 * very host is expired at once; elsewhere only the TTL can tell.
 */
export class LeaseTable {
  readonly #db: Database;
  readonly #s: string;
  readonly #timing: LeaseTiming;
  readonly #logger: Logger;
  readonly #host = hostname();
  readonly #held = new Map<string, HeldLease>();

  constructor(db: Database, quotedSchema: string, timing: LeaseTiming, logger: Logger) {
    this.#db = db;
    this.#s = quotedSchema;
    this.#timing = timing;
    this.#logger = logger;
  }

  /** The fence of a lease this process holds on `id`, if any. */
  fenceOf(id: string): Fence | undefined {
    const held = this.#held.get(id);
    return held === undefined ? undefined : { generation: held.generation, token: held.token };
  }

  async acquire(id: string): Promise<Result<Lease>> {
    await this.#expireDeadLocalHolder(id);
    const token = randomUUID();
    const startedAt = new Date().toISOString();
    const { rows } = await this.#db.query<{ generation: string }>(
      `INSERT INTO ${this.#s}.leases AS l (id, generation, token, pid, host, started_at, expires_at)
       VALUES ($1, 1, $2, $3, $4, $5, clock_timestamp() + $6 * interval '1 millisecond')
       ON CONFLICT (id) DO UPDATE SET
         generation = l.generation + 1, token = EXCLUDED.token, pid = EXCLUDED.pid,
         host = EXCLUDED.host, started_at = EXCLUDED.started_at, expires_at = EXCLUDED.expires_at
       WHERE l.expires_at <= clock_timestamp()
       RETURNING generation`,
      [id, token, process.pid, this.#host, startedAt, this.#timing.ttlMs],
      'open the session',
    );
    const generation = rows[0]?.generation;
    if (generation === undefined) {
      const holder = await this.holder(id);
      return err(
        new JidoError('already_open_elsewhere', 'This session is already open in another jido process.', {
          details: { id, holder: holder ?? null },
        }),
      );
    }
    const held: HeldLease = { generation: String(generation), token, timer: undefined, lost: false };
    this.#held.set(id, held);
    held.timer = setInterval(() => void this.#renew(id, held), this.#timing.heartbeatMs);
    held.timer.unref();
    const info: LeaseInfo = { id, pid: process.pid, host: this.#host, startedAt };
    return ok({ id, info, release: () => this.#release(id, held) });
  }

  /** The live holder of `id`'s lease. */
  async holder(id: string): Promise<LeaseInfo | undefined> {
    await this.#expireDeadLocalHolder(id);
    const { rows } = await this.#db.query<LeaseRow>(
      `SELECT id, pid, host, started_at, generation FROM ${this.#s}.leases
       WHERE id = $1 AND expires_at > clock_timestamp()`,
      [id],
      'check whether the session is open',
    );
    const row = rows[0];
    return row === undefined ? undefined : { id, pid: row.pid, host: row.host, startedAt: row.started_at };
  }

  async liveIds(): Promise<Set<string>> {
    const { rows } = await this.#db.query<LeaseRow>(
      `SELECT id, pid, host, started_at, generation FROM ${this.#s}.leases WHERE expires_at > clock_timestamp()`,
      [],
      'check which sessions are open',
    );
    const live = new Set<string>();
    for (const row of rows) {
      if (row.host === this.#host && !processIsAlive(row.pid)) await this.#expire(row.id, row.generation);
      else live.add(row.id);
    }
    return live;
  }

  /** Stops every heartbeat (the leases then expire after their TTL). */
  stopHeartbeats(): void {
    for (const held of this.#held.values()) clearInterval(held.timer);
  }

  async #expireDeadLocalHolder(id: string): Promise<void> {
    const { rows } = await this.#db.query<LeaseRow>(
      `SELECT id, pid, host, started_at, generation FROM ${this.#s}.leases
       WHERE id = $1 AND expires_at > clock_timestamp() AND host = $2`,
      [id, this.#host],
    );
    const row = rows[0];
    if (row !== undefined && !processIsAlive(row.pid)) await this.#expire(id, row.generation);
  }

  async #expire(id: string, generation: string): Promise<void> {
    await this.#db.query(
      `UPDATE ${this.#s}.leases SET expires_at = '-infinity' WHERE id = $1 AND generation = $2::bigint`,
      [id, generation],
    );
  }

  async #renew(id: string, held: HeldLease): Promise<void> {
    if (held.lost) return;
    try {
      const { rowCount } = await this.#db.query(
        `UPDATE ${this.#s}.leases SET expires_at = clock_timestamp() + $4 * interval '1 millisecond'
         WHERE id = $1 AND generation = $2::bigint AND token = $3 AND expires_at > '-infinity'`,
        [id, held.generation, held.token, this.#timing.ttlMs],
        'renew the session lease',
      );
      if (rowCount === 0) {
        held.lost = true;
        clearInterval(held.timer);
        this.#logger.warn('The session lease was taken over by another process.', { id });
      }
    } catch (error) {
      // The next beat tries again; if the TTL passes first, the fenced writes refuse.
      this.#logger.debug('Could not renew a session lease.', { id, error: String(error) });
    }
  }

  async #release(id: string, held: HeldLease): Promise<void> {
    clearInterval(held.timer);
    if (this.#held.get(id) === held) this.#held.delete(id);
    try {
      await this.#db.query(
        `UPDATE ${this.#s}.leases SET expires_at = '-infinity'
         WHERE id = $1 AND generation = $2::bigint AND token = $3`,
        [id, held.generation, held.token],
        'close the session',
      );
    } catch (error) {
      this.#logger.warn('Could not release a session lease; it expires after its TTL.', {
        id,
        error: String(error),
      });
    }
  }
}
