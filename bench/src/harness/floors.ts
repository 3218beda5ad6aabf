import { readFileSync, statSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, readdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';

// The floors: what plain Node, with none of jido-code's checks, pays for the same bytes.

let temporaryCounter = 0;

/** fsyncs a directory, so a rename in it is durable. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Plain durable replace: write a temp file, fsync it, rename it over `path`, fsync the directory. */
export async function durableWriteFloor(path: string, text: string): Promise<void> {
  temporaryCounter += 1;
  const temporary = `${path}.${process.pid}.${temporaryCounter}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  await syncDirectory(dirname(path));
}

/** Save floor: `JSON.stringify` + write + fsync + rename + directory fsync. */
export async function saveFloor(path: string, value: unknown): Promise<void> {
  await durableWriteFloor(path, JSON.stringify(value));
}

/**
 * Load floor: read + `JSON.parse`, the read done in place (the cheapest plain way; the store reads
 * in place too, and waits on the thread pool only to write and sync).
 */
export async function loadFloor(path: string): Promise<unknown> {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * Listing floor: `readdir` + one synchronous `stat` per entry, the cheapest plain Node way (the
 * store stats in place too: handing each stat to the thread pool costs several times the stat).
 */
export async function listFloor(directory: string): Promise<number> {
  let bytes = 0;
  for (const name of await readdir(directory)) {
    bytes += statSync(join(directory, name)).size;
  }
  return bytes;
}

/** Journal floor: one line appended to an open file, then `fdatasync`. */
export class AppendFloor {
  readonly #handle: FileHandle;

  private constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  /** Opens (creating) a file for appending. */
  static async open(path: string): Promise<AppendFloor> {
    return new AppendFloor(await open(path, 'a', 0o600));
  }

  /** Appends one line and waits for `fdatasync`. */
  async append(line: string): Promise<void> {
    await this.#handle.write(line);
    await this.#handle.datasync();
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}
