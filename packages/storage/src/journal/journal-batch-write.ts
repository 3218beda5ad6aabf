import { reachCrashPoint } from '../crash-points.js';
import type { FileSystem } from '../fs/file-system.js';
import { writeAll } from '../io/durable-write.js';

// Splitting a batch's write in two costs a system call, so it is done only when the reliability
// suite armed the crash point that needs a half-written batch on disk.
const midAppendArmed = (process.env.JIDO_TEST_CRASH_POINT ?? '').split('@')[0] === 'journal-mid-append';

/** A batch ready to write: its lines' bytes, then `padding` zero bytes (see `journal-preallocation.ts`). */
export interface BatchBuffer {
  readonly buffer: Buffer;
  /** Bytes of the lines, at the start of `buffer`. */
  readonly dataBytes: number;
}

/**
 * The UTF-8 bytes of a batch's lines, joined, followed by `padding` zeros: one encoding and one
 * buffer for the batch.
 */
export function batchBytes(joined: string, padding = 0): BatchBuffer {
  if (padding === 0) {
    const buffer = Buffer.from(joined, 'utf8');
    return { buffer, dataBytes: buffer.length };
  }
  const dataBytes = Buffer.byteLength(joined, 'utf8');
  const buffer = Buffer.alloc(dataBytes + padding);
  buffer.write(joined, 0, 'utf8');
  return { buffer, dataBytes };
}

/**
 * Writes a batch's bytes at `position`, looping on short writes; throws what the file system
 * throws. The `journal-mid-append` crash point is reached when armed, halfway through the lines.
 */
export async function writeBatchBytes(
  fs: FileSystem,
  fd: number,
  { buffer, dataBytes }: BatchBuffer,
  position: number,
): Promise<void> {
  if (midAppendArmed && dataBytes > 1) {
    const half = Math.floor(dataBytes / 2);
    await writeAll(fs, fd, buffer.subarray(0, half), position);
    reachCrashPoint('journal-mid-append');
    await writeAll(fs, fd, buffer.subarray(half), position + half);
  } else {
    await writeAll(fs, fd, buffer, position);
  }
}
