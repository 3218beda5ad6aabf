// Guarantee 2 (docs/architecture.md) (no lost updates) across processes: 8 processes run read-modify-write updates
// (store.update, under the session's cross-process lock) on one session, then on 50 sessions.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SessionFactory } from '@jido-code/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile, reportFigure } from '../support/figures.js';
import { makeHome, must, openStore, removeHome } from '../support/home.js';
import { checkHome } from '../support/home-check.js';
import { scaled, testTimeoutMs } from '../support/stress.js';
import { Worker } from '../support/worker.js';

const processes = 8;
/** Updates per process: 50 by default, 200 (the 8 × 200 = 1,600) with JIDO_STRESS=long. */
const updatesPerProcess = scaled(50, 200);

interface Ack {
  readonly id: string;
  readonly tag: string;
  readonly worker: number;
  readonly messages: number;
  readonly waitMs: number;
  readonly sha: string;
}

function parseAcks(worker: Worker, index: number, phase: number): Ack[] {
  return worker.lines
    .filter((line) => line.startsWith(`ack `) && line.includes(` p${phase}-`))
    .map((line) => {
      const [, id = '', tag = '', messages = '0', waitMs = '0', sha = ''] = line.split(' ');
      return { id, tag, worker: index, messages: Number(messages), waitMs: Number(waitMs), sha };
    });
}

describe(`read-modify-write across ${processes} processes (guarantee 2)`, () => {
  const factory = new SessionFactory({ seed: 7 });
  let home = '';
  let workers: Worker[] = [];

  beforeAll(async () => {
    home = await makeHome('jido-rmw-');
    await openStore(home);
    const env = { ...process.env, JIDO_LOCK_TIMEOUT_MS: '120000' };
    workers = Array.from(
      { length: processes },
      (_, index) => new Worker('lock-worker', ['update', home, String(index)], env),
    );
    for (const worker of workers) worker.go();
  });

  afterAll(async () => {
    for (const worker of workers) await worker.kill();
    await removeHome(home);
  });

  async function runPhase(phase: number, sessionCount: number): Promise<void> {
    const store = await openStore(home);
    const ids = Array.from({ length: sessionCount }, () => factory.uuid());
    const initial = new Map<string, number>();
    for (const id of ids) {
      const session = factory.session({ id, messageCount: 1, todoCount: 0 });
      must(await store.save(session));
      initial.set(id, session.conversation.length);
    }
    for (const worker of workers) worker.send(`run ${phase} ${ids.join(',')} ${updatesPerProcess}`);
    await Promise.all(workers.map((worker) => worker.line(new RegExp(`^done ${phase}$`), 0, testTimeoutMs)));
    const acks = workers.flatMap((worker, index) => parseAcks(worker, index, phase));
    expect(acks).toHaveLength(processes * updatesPerProcess);

    const check = await checkHome(home);
    expect(check.broken).toEqual([]);
    let changesPresent = 0;
    for (const id of ids) {
      const mine = acks.filter((ack) => ack.id === id);
      const session = check.sessions.get(id)?.session;
      if (session === undefined) throw new Error(`session ${id} did not load`);
      const base = initial.get(id) ?? 0;
      const tags = session.conversation.slice(base).map((message) => message.content);
      changesPresent += tags.length;
      // Exactly the acknowledged changes, each once.
      expect(tags.length).toBe(mine.length);
      expect(new Set(tags)).toEqual(new Set(mine.map((ack) => ack.tag)));
      // Serialized: every update saw a different length, base+1 … base+n.
      expect(mine.map((ack) => ack.messages).sort((left, right) => left - right)).toEqual(
        mine.map((_, position) => base + position + 1),
      );
      // Each process's own updates appear in its program order.
      for (let worker = 0; worker < processes; worker++) {
        const own = tags.filter((tag) => tag.includes(`-w${worker}-`));
        const order = own.map((tag) => Number(tag.split('-')[2]));
        expect(order).toEqual([...order].sort((left, right) => left - right));
      }
      // The final bytes are the last acknowledged write's.
      const last = mine.reduce((latest, ack) => (ack.messages > latest.messages ? ack : latest));
      const finalSha = createHash('sha256')
        .update(await readFile(store.backend.layout.sessionFile(id)))
        .digest('hex');
      expect(finalSha).toBe(last.sha);
    }
    expect(changesPresent).toBe(processes * updatesPerProcess);
    const waits = acks.map((ack) => ack.waitMs);
    reportFigure(`rmw-${sessionCount}-sessions`, {
      processes,
      updatesPerProcess,
      sessions: sessionCount,
      changesPresent,
      lockWaitP50Ms: percentile(waits, 50),
      lockWaitP99Ms: percentile(waits, 99),
      lockWaitMaxMs: percentile(waits, 100),
    });
  }

  it(
    `keeps exactly ${processes * updatesPerProcess} changes (${processes} × ${updatesPerProcess}) on one session`,
    () => runPhase(1, 1),
    testTimeoutMs,
  );

  it(
    `keeps exactly ${processes * updatesPerProcess} changes (${processes} × ${updatesPerProcess}) spread over 50 sessions`,
    () => runPhase(2, 50),
    testTimeoutMs,
  );
});
