import { reachCrashPoint } from '../crash-points.js';
import type { FileSystem } from '../fs/file-system.js';
import { writeAll } from '../io/durable-write.js';

// Splitting a batch's write in two costs a system call, so it is done only when the reliability
// suite armed the crash point that needs a half-written batch on disk.
const midAppendArmed = (process.env.JIDO_TEST_CRASH_POINT ?? '').split('@')[0] === 'journal-mid-append';

/** The UTF-8 bytes of a batch's lines, in order: one string join and one encoding for the batch. */
export function batchBytes(lines: readonly { readonly text: string }[]): Buffer {
  let joined = '';
  for (const line of lines) joined += line.text;
  return Buffer.from(joined, 'utf8');
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
