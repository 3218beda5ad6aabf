import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { makeProject, must, openManager } from './helpers.js';
import { startWorker } from './worker-process.js';

const testCase = PersistenceTestCase.use();
/** SIGKILLs in the default run; JIDO_STRESS=long runs 500. */
const killIterations = process.env.JIDO_STRESS === 'long' ? 500 : 50;

function acknowledged(lines: readonly string[]): number[] {
  return lines.filter((line) => line.startsWith('ack ')).map((line) => Number(line.slice(4)));
}

describe('sessions across real processes', () => {
  it(`recovers every acknowledged message after ${killIterations} SIGKILLs at random moments`, async () => {
    let next = startWorker(['append', testCase.home, await makeProject('crash-0')]);
    let totalAcknowledged = 0;
    for (let iteration = 0; iteration < killIterations; iteration++) {
      const worker = next;
      if (iteration + 1 < killIterations) {
        next = startWorker(['append', testCase.home, await makeProject(`crash-${iteration + 1}`)]);
      }
      worker.go();
      const target = Math.floor(Math.random() * 40);
      await worker.until(
        (lines) => acknowledged(lines).length >= target && lines.some((line) => line.startsWith('session ')),
      );
      worker.child.kill('SIGKILL');
      const exit = await worker.exited;
      expect(exit.signal, exit.stderr).toBe('SIGKILL');
      const id = worker.lines.find((line) => line.startsWith('session '))?.slice(8);
      if (!id) throw new Error(`worker never created its session: ${exit.stderr}`);
      const acks = acknowledged(worker.lines);
      totalAcknowledged += acks.length;

      const manager = await openManager(testCase.home);
      const report = await manager.recover();
      expect(report.failed).toEqual([]);
      const loaded = must(await manager.store.load(id));
      const contents = new Set(loaded.session.conversation.map((message) => message.content));
      for (const n of acks)
        expect(contents.has(`m${n}`), `acknowledged m${n} lost in iteration ${iteration}`).toBe(true);
      expect(loaded.signed).toBe(true);
    }
    next.child.kill('SIGKILL');
    expect(totalAcknowledged).toBeGreaterThan(0);
  }, 600_000);

  it('lets exactly one of two processes resume the same session at once', async () => {
    const manager = await openManager(testCase.home);
    const session = must(await manager.create({ projectPath: await makeProject('contended') }));
    must(await manager.close(session.id));
    const workers = [0, 1].map(() => startWorker(['resume', testCase.home, session.id, 'wait']));
    await Promise.all(workers.map((worker) => worker.until((lines) => lines.includes('ready'))));
    for (const worker of workers) worker.go();
    await Promise.all(workers.map((worker) => worker.until((lines) => lines.length >= 2)));
    const outcomes = workers.map((worker) => worker.lines[1]).sort();
    for (const worker of workers) worker.send('release');
    await Promise.all(workers.map((worker) => worker.exited));
    expect(outcomes).toEqual(['error already_open_elsewhere', 'ok']);
  }, 60_000);

  it('holds the resume rate limit across processes: 8 attempts in 4 processes, exactly 5 succeed', async () => {
    const manager = await openManager(testCase.home);
    const session = must(await manager.create({ projectPath: await makeProject('limited') }));
    must(await manager.close(session.id));
    const outcomes: string[] = [];
    const pinnedNow = new Date().toISOString();
    for (let round = 0; round < 4; round++) {
      for (let attempt = 0; attempt < 2; attempt++) {
        const worker = startWorker(['resume', testCase.home, session.id, '0'], {
          ...process.env,
          WORKER_NOW: pinnedNow,
        });
        worker.go();
        await worker.exited;
        outcomes.push(worker.lines[1] ?? 'none');
      }
    }
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(5);
    expect(outcomes.slice(5)).toEqual(['error rate_limited', 'error rate_limited', 'error rate_limited']);
  }, 120_000);
});
