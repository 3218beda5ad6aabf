import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../test/memory-io.js';
import { LineSource } from './line-source.js';

describe('LineSource on a pipe', () => {
  it('gives lines in order, queues those that arrive early, and null at the end', async () => {
    const io = memoryIo('/');
    const source = new LineSource(io, false);
    io.stdin.write('one\r\ntwo\n');
    io.stdin.write('three');
    io.stdin.end('\n');
    expect(await source.next()).toBe('one');
    expect(await source.next()).toBe('two');
    expect(await source.next()).toBe('three');
    expect(await source.next()).toBeNull();
    expect(await source.next()).toBeNull();
    expect(io.stdoutText()).toBe('');
  });

  it('answers a waiting reader with null when closed, and drops queued lines', async () => {
    const io = memoryIo('/');
    const source = new LineSource(io, false);
    const waiting = source.next();
    source.close();
    expect(await waiting).toBeNull();
    io.stdin.write('late\n');
    expect(await source.next()).toBeNull();
  });

  it('lends the keyboard and takes it back, keeping later lines', async () => {
    const io = memoryIo('/');
    const source = new LineSource(io, false);
    const lent = await source.lendKeyboard(async () => 'picked');
    expect(lent).toBe('picked');
    io.stdin.end('after\n');
    expect(await source.next()).toBe('after');
  });
});
