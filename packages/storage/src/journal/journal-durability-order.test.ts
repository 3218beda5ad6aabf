import { constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newSessionId } from '../../test/journal/journal-test-kit.js';
import { useJournalDir } from '../../test/journal/use-journal-dir.js';
import { type FileSystem, nodeFileSystem } from '../fs/file-system.js';
import type { JournalSyncMode } from './journal-file-io.js';

const journal = useJournalDir();

type Event =
  | { kind: 'write'; end: number; from: number; to: number }
  | { kind: 'sync'; start: number; end: number }
  | { kind: 'ack'; at: number; seq: number };

/**
 * The real file system, recording on one logical clock when each write and `fdatasync` starts and
 * ends, with random delays in both so that batches overlap in many ways.
 */
function recordingFileSystem(random: () => number) {
  let clock = 0;
  const tick = () => ++clock;
  const events: Event[] = [];
  const openFlags: number[] = [];
  const pause = () => new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 3)));
  const fs: FileSystem = {
    ...nodeFileSystem,
    async open(path, flags, mode) {
      const fd = await nodeFileSystem.open(path, flags, mode);
      if (path.endsWith('.jsonl')) openFlags.push(flags);
      return fd;
    },
    async write(fd, buffer, offset, length, position) {
      await pause();
      const written = await nodeFileSystem.write(fd, buffer, offset, length, position);
      await pause();
      // The writer always writes at an explicit position (a null one would fail the checks below).
      const from = position ?? Number.NaN;
      events.push({ kind: 'write', end: tick(), from, to: from + written });
      return written;
    },
    async fdatasync(fd) {
      const start = tick();
      await pause();
      await nodeFileSystem.fdatasync(fd);
      await pause();
      events.push({ kind: 'sync', start, end: tick() });
    },
  };
  return { fs, events, openFlags, ackedAt: (seq: number) => events.push({ kind: 'ack', at: tick(), seq }) };
}

/** A small seeded generator (mulberry32), so a failure replays. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * When the bytes [from, to) became durable: in `dsync` mode when the write that put them there
 * returned; otherwise when the first `fdatasync` that started after that write ended, returned.
 */
function durableAt(events: readonly Event[], mode: JournalSyncMode, from: number, to: number): number {
  let latest = 0;
  let covered = from;
  const writes = events.flatMap((event) =>
    event.kind === 'write' && event.to > from && event.from < to ? [event] : [],
  );
  for (const write of writes.sort((a, b) => a.from - b.from)) {
    if (write.from > covered) return Number.POSITIVE_INFINITY;
    covered = Math.max(covered, write.to);
    const sync = events.find((event) => event.kind === 'sync' && event.start > write.end);
    const durable =
      mode === 'dsync' ? write.end : sync?.kind === 'sync' ? sync.end : Number.POSITIVE_INFINITY;
    latest = Math.max(latest, durable);
  }
  return covered >= to ? latest : Number.POSITIVE_INFINITY;
}

describe('JournalWriter: no append is acknowledged before a sync that covers it', () => {
  it.each(['dsync', 'fdatasync'] as const)('%s: 16 appenders in random bursts', async (mode) => {
    const random = seeded(mode === 'dsync' ? 11 : 12);
    const recording = recordingFileSystem(random);
    const sessionId = newSessionId();
    const writer = await journal.openWriter({ fs: recording.fs, sessionId, syncMode: mode });
    await Promise.all(
      Array.from({ length: 16 }, async (_, appender) => {
        for (let count = 0; count < 12; count++) {
          if (random() < 0.5) await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 4)));
          const appended = await writer.append('message', {
            appender,
            count,
            text: 'x'.repeat(random() * 600),
          });
          if (!appended.ok) throw appended.error;
          recording.ackedAt(appended.value.seq);
        }
      }),
    );
    await writer.close();

    const expectedFlag = mode === 'dsync' ? constants.O_DSYNC : 0;
    expect(recording.openFlags.map((flags) => flags & constants.O_DSYNC)).toEqual([expectedFlag]);
    const bytes = await readFile(join(journal.dir, `${sessionId}.jsonl`));
    const lineEnds: number[] = [];
    for (let index = 0; index < bytes.length; index++) if (bytes[index] === 0x0a) lineEnds.push(index + 1);
    expect(lineEnds).toHaveLength(16 * 12);
    const acks = recording.events.filter((event) => event.kind === 'ack');
    expect(acks).toHaveLength(16 * 12);
    for (const ack of acks) {
      const to = lineEnds[ack.seq - 1] ?? Number.NaN;
      const from = ack.seq === 1 ? 0 : (lineEnds[ack.seq - 2] ?? Number.NaN);
      // Every earlier line too: an acknowledged record never sits after bytes that may be lost.
      expect({ seq: ack.seq, durable: durableAt(recording.events, mode, 0, to) < ack.at }).toEqual({
        seq: ack.seq,
        durable: true,
      });
      expect(durableAt(recording.events, mode, from, to)).toBeLessThan(ack.at);
    }
    const syncs = recording.events.filter((event) => event.kind === 'sync').length;
    expect(syncs).toBe(mode === 'dsync' ? 0 : writer.stats.syncs);
    // Group commit happened: fewer durable flushes than appends.
    expect(writer.stats.syncs).toBeLessThan(16 * 12);
  });
});
