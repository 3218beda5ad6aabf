import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { withSpinner } from './progress.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('withSpinner', () => {
  it('draws on the output while slow work runs, clears its line, and never touches standard input', async () => {
    const output = new PassThrough();
    let written = '';
    output.on('data', (chunk: Buffer) => {
      written += chunk.toString();
    });
    const keypressListeners = process.stdin.listenerCount('keypress');
    const dataListeners = process.stdin.listenerCount('data');
    const result = await withSpinner(output, 'Saving', async () => {
      await pause(450);
      return 42;
    });
    expect(result).toBe(42);
    expect(written).toContain('Saving…');
    expect(written.endsWith('\r\u001b[2K')).toBe(true);
    expect(process.stdin.listenerCount('keypress')).toBe(keypressListeners);
    expect(process.stdin.listenerCount('data')).toBe(dataListeners);
  });

  it('prints nothing for quick work or without an output', async () => {
    const output = new PassThrough();
    let written = '';
    output.on('data', (chunk: Buffer) => {
      written += chunk.toString();
    });
    expect(await withSpinner(output, 'Quick', async () => 'done')).toBe('done');
    expect(await withSpinner(undefined, 'Pipe', async () => 'piped')).toBe('piped');
    await pause(250);
    expect(written).toBe('');
  });
});
