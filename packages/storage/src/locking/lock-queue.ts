import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '@jido-code/core-schema';
import { fileSystemError } from '../errors.js';
import { errnoCode, type FileSystem } from '../fs/file-system.js';
import {
  holderIsLive,
  inspectOwner,
  type LivenessPolicy,
  markReleased,
  newOwnerRecord,
  type OwnerRecord,
  randomSuffix,
  tryCreateExclusive,
} from './owner-record.js';

/** A waiter's place in the queue of one lock. */
export interface Ticket {
  readonly seq: number;
  readonly name: string;
  readonly record: OwnerRecord;
}

interface QueuedTicket {
  readonly seq: number;
  readonly name: string;
}

/**
 * The waiters of one lock, served in the order they came: each takes a ticket, a file
 * `<lock>.ticket.<seq>.<random>` created with O_EXCL in the lock's folder holding its owner record
 * (pid, host, nonce). The ticket numbered lowest (ties broken by name) is first in line; only the
 * first waiter tries the lock. A ticket whose owner is dead (same host, pid gone; or unreadable
 * and older than `staleMs`) is removed by whoever finds it first in line, so a killed waiter holds
 * nobody up. The random part keeps ticket names unique: a remover never deletes a ticket it did not
 * judge.
 */
export class LockQueue {
  readonly #fs: FileSystem;
  readonly #folder: string;
  readonly #prefix: string;
  readonly #liveness: LivenessPolicy;
  readonly #logger: Logger;

  constructor(fs: FileSystem, lockPath: string, liveness: LivenessPolicy, logger: Logger) {
    this.#fs = fs;
    this.#folder = dirname(lockPath);
    this.#prefix = `${basename(lockPath)}.ticket.`;
    this.#liveness = liveness;
    this.#logger = logger;
  }

  /** The tickets in the lock's folder, in serving order. */
  async #tickets(): Promise<QueuedTicket[]> {
    const tickets: QueuedTicket[] = [];
    let names: string[];
    try {
      names = await this.#fs.readdir(this.#folder);
    } catch (error) {
      throw fileSystemError(error, 'take a lock', { path: this.#folder });
    }
    for (const name of names) {
      if (!name.startsWith(this.#prefix)) continue;
      const seq = Number.parseInt(name.slice(this.#prefix.length), 10);
      if (Number.isSafeInteger(seq)) tickets.push({ seq, name });
    }
    return tickets.sort((left, right) =>
      left.seq === right.seq ? (left.name < right.name ? -1 : 1) : left.seq - right.seq,
    );
  }

  /**
   * The first ticket in line whose owner is alive, removing dead ones ahead of it; undefined when
   * nobody is waiting.
   */
  async first(): Promise<QueuedTicket | undefined> {
    for (const ticket of await this.#tickets()) {
      const path = join(this.#folder, ticket.name);
      const owner = await inspectOwner(this.#fs, path);
      if (owner === undefined) continue;
      if (holderIsLive(owner, this.#liveness)) return ticket;
      await this.#fs.unlink(path).catch((error: unknown) => {
        if (errnoCode(error) !== 'ENOENT') throw fileSystemError(error, 'take a lock', { path });
      });
      this.#logger.debug('Skipped the ticket of a waiter that is gone.', {
        path,
        owner: owner.record ?? null,
      });
    }
    return undefined;
  }

  /** Takes the next ticket: one past the highest in line. */
  async take(now: Date): Promise<Ticket> {
    const tickets = await this.#tickets();
    const seq = (tickets[tickets.length - 1]?.seq ?? 0) + 1;
    const record = newOwnerRecord(now);
    const name = `${this.#prefix}${seq}.${randomSuffix()}`;
    // The random suffix makes the name unique: EEXIST would be a collision of 64 random bits.
    await tryCreateExclusive(this.#fs, join(this.#folder, name), record);
    return { seq, name, record };
  }

  /** Leaves the line (after acquiring, or when giving up). Never throws: a leftover is skipped as dead. */
  async leave(ticket: Ticket): Promise<void> {
    markReleased(ticket.record.nonce);
    await this.#fs.unlink(join(this.#folder, ticket.name)).catch((error: unknown) => {
      if (errnoCode(error) === 'ENOENT') return;
      this.#logger.warn('Could not remove a lock ticket.', { ticket: ticket.name, error: String(error) });
    });
  }

  /**
   * Wakes waiters as soon as anything changes in the lock's folder (a lock released, a ticket
   * gone), so that the lock is not left idle between polls. Only a hint: waiting still polls.
   */
  watch(): ChangeSignal {
    return new ChangeSignal(this.#folder);
  }
}

/** Resolves a pending wait at the next change in a folder, or when the wait's time is up. */
export class ChangeSignal {
  #watcher: FSWatcher | undefined;
  #wake: (() => void) | undefined;

  constructor(folder: string) {
    try {
      this.#watcher = watch(folder, { persistent: false }, () => this.#wake?.());
      this.#watcher.on('error', () => this.close());
    } catch {
      this.#watcher = undefined;
    }
  }

  /** Waits `ms`, or less if the folder changes first. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = () => done();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = wake;
    });
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#wake = undefined;
  }
}
