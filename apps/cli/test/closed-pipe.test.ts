// `jido … | head -1`: the reader closes the pipe before the output ends.

import { SessionFactory } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { finished, seed, spawnJido } from './jido.js';

const testCase = PersistenceTestCase.use();

/** Runs the binary with its stdout closed by the reader before anything is written. */
async function withClosedStdout(args: readonly string[]) {
  const child = spawnJido(args, { home: testCase.home });
  child.stdout?.destroy();
  child.stdin?.end();
  return finished(child);
}

describe('output to a closed pipe', () => {
  it('drops the rest of the output quietly and keeps the exit status of the command', async () => {
    const factory = new SessionFactory({ seed: 41 });
    await seed(testCase.home, factory.many(60));
    for (const args of [['--help'], ['sessions', 'list'], ['sessions', 'list', '--json']]) {
      const run = await withClosedStdout(args);
      expect(run.stderr, args.join(' ')).toBe('');
      expect(run.code, args.join(' ')).toBe(0);
    }
  });

  it('still fails a failing command with its own message and status', async () => {
    const run = await withClosedStdout(['sessions', 'show', 'no-such-session']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no-such-session|No session/i);
    expect(run.stderr).not.toMatch(/EPIPE|\n\s+at /);
  });
});
