import { constants } from 'node:fs';
import type { Logger } from '@jido-code/core-schema';
import type { FileStats } from '../../fs/file-system.js';
import { fileMode } from '../../home/secure-directory.js';
import { tempPathFor, writeAll } from '../../io/durable-write.js';
import { readFileIfExists } from '../../io/read-file.js';
import { type SessionFiles, sessionFileEntries } from './session-files.js';

/**
 * How many session files the folder holds, without listing it on every new save: a small record
 * `<home>/index/session-count.json` of the count and the sessions folder's identity (mtime and
 * inode) right after the creation that wrote it. Any other change to the folder (a save, a delete,
 * a file copied in by hand) moves its mtime, and the next count lists the folder again.
 *
 * The record is derived data, written only under the session-count lock and never fsynced: a lost
 * or torn record is simply recounted. What it cannot see is a removal that lands between a
 * creation's write and its own stat of the folder, or in the same clock tick after it; the count is
 * then one too high until the folder next changes, so the limit errs on the side of room.
 */
export class SessionCountRecord {
  readonly #files: SessionFiles;
  readonly #path: string;
  readonly #logger: Logger;

  constructor(files: SessionFiles, path: string, logger: Logger) {
    this.#files = files;
    this.#path = path;
    this.#logger = logger;
  }

  /** The number of session files, from the record when the folder has not changed since it. */
  async count(): Promise<number> {
    const folder = await this.#folderStats();
    const recorded = folder === undefined ? undefined : await this.#read();
    if (recorded !== undefined && folder !== undefined && recorded.folder === folderIdentity(folder)) {
      return recorded.count;
    }
    return (await sessionFileEntries(this.#files)).length;
  }

  /** Records `count` after this process created a session (the caller holds the count lock). */
  async created(count: number): Promise<void> {
    const folder = await this.#folderStats();
    if (folder === undefined) return;
    const bytes = new TextEncoder().encode(JSON.stringify({ count, folder: folderIdentity(folder) }));
    const { fs } = this.#files;
    const temp = tempPathFor(this.#path);
    try {
      const fd = await fs.open(
        temp,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        fileMode,
      );
      try {
        await writeAll(fs, fd, bytes, 0);
      } finally {
        await fs.close(fd);
      }
      await fs.rename(temp, this.#path);
    } catch (error) {
      await fs.unlink(temp).catch(() => undefined);
      this.#logger.debug('Could not record the session count; the next save counts the folder.', {
        error: String(error),
      });
    }
  }

  async #folderStats(): Promise<FileStats | undefined> {
    try {
      return await this.#files.fs.stat(this.#files.layout.sessionsDir);
    } catch {
      return undefined;
    }
  }

  async #read(): Promise<{ count: number; folder: string } | undefined> {
    try {
      const bytes = await readFileIfExists(this.#files.fs, this.#path, 4096, 'the session count');
      if (bytes === undefined) return undefined;
      const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
      if (typeof value !== 'object' || value === null) return undefined;
      const { count, folder } = value as Record<string, unknown>;
      return Number.isSafeInteger(count) && (count as number) >= 0 && typeof folder === 'string'
        ? { count: count as number, folder }
        : undefined;
    } catch {
      return undefined;
    }
  }
}

function folderIdentity(stats: FileStats): string {
  return `${stats.mtimeMs}:${stats.ino}`;
}
