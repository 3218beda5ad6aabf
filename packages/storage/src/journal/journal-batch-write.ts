import { reachCrashPoint } from '../crash-points.js';
import type { FileSystem } from '../fs/file-system.js';
import { writeAll } from '../io/durable-write.js';

// Splitting a batch's write in two costs a system call, so it is done only when the reliability
// suite armed the crash point that needs a half-written batch on disk.
const midAppendArmed = (process.env.JIDO_TEST_CRASH_POINT ?? '').split('@')[0] === 'journal-mid-append';

/** The lines of a batch as one buffer (the line itself when there is one). */
export function batchBytes(lines: readonly { readonly bytes: Buffer }[]): Buffer {
  return lines.length === 1 && lines[0] !== undefined
    ? lines[0].bytes
    : Buffer.concat(lines.map((line) => line.bytes));
}

/**
 * Writes a batch's bytes at `position`, looping on short writes; throws what the file system
 * throws. The `journal-mid-append` crash point is reached between the two halves when armed.
 */
export async function writeBatchBytes(
  fs: FileSystem,
  fd: number,
  buffer: Buffer,
  position: number,
): Promise<void> {
  if (midAppendArmed && buffer.length > 1) {
    const half = Math.floor(buffer.length / 2);
    await writeAll(fs, fd, buffer.subarray(0, half), position);
    reachCrashPoint('journal-mid-append');
    await writeAll(fs, fd, buffer.subarray(half), position + half);
  } else {
    await writeAll(fs, fd, buffer, position);
  }
}
