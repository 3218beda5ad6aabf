// The improved resume (docs/architecture.md; DESIGN "Resume, improved"): a live session holds a lease, so when several
// processes resume the same session at once exactly one wins, and the saved file stays intact.
import { SessionManager } from '@jido-code/session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFigure } from '../support/figures.js';
import { makeHome, must, openStore, removeHome } from '../support/home.js';
import { checkHome } from '../support/home-check.js';
import { makeProject, removeProjects } from '../support/project.js';
import { scaled, testTimeoutMs } from '../support/stress.js';
import { Worker } from '../support/worker.js';

const rounds = scaled(10, 100);
const processes = 3;

describe('resume races across processes', () => {
  let home = '';
  let workers: Worker[] = [];

  beforeAll(async () => {
    home = await makeHome('jido-resume-');
    await openStore(home);
    // The rate limit is not under test here (see test/limits): every attempt must reach the lease.
    const env = {
      ...process.env,
      JIDO_RESUME_LIMIT_PER_SESSION: '10000',
      JIDO_RESUME_LIMIT_GLOBAL: '100000',
    };
    workers = Array.from({ length: processes }, () => new Worker('session-worker', ['resume', home], env));
    for (const worker of workers) worker.go();
  });

  afterAll(async () => {
    for (const worker of workers) await worker.kill();
    await removeHome(home);
    await removeProjects();
  });

  it(
    `lets exactly one of ${processes} processes resume a session, ${rounds} rounds`,
    async () => {
      const store = await openStore(home, { env: {} });
      const manager = new SessionManager({ store });
      const ids: string[] = [];
      for (let session = 0; session < Math.min(rounds, 10); session++) {
        const created = must(await manager.create({ projectPath: await makeProject(`resume-${session}`) }));
        must(await manager.close(created.id));
        ids.push(created.id);
      }
      let winners = 0;
      for (let round = 0; round < rounds; round++) {
        const id = ids[round % ids.length] as string;
        const marks = workers.map((worker) => worker.lines.length);
        for (const worker of workers) worker.send(`resume ${round} ${id}`);
        const results = await Promise.all(
          workers.map((worker, index) => worker.line(new RegExp(`^result ${round} `), marks[index])),
        );
        const outcomes = results.map((line) => line.split(' ')[2]);
        expect([...outcomes].sort(), `round ${round}`).toEqual([
          'already_open_elsewhere',
          'already_open_elsewhere',
          'ok',
        ]);
        winners += 1;
        const winner = workers[outcomes.indexOf('ok')] as Worker;
        const mark = winner.lines.length;
        winner.send(`close ${round} ${id}`);
        await winner.line(new RegExp(`^closed ${round}$`), mark);
        const check = await checkHome(home);
        expect(check.broken).toEqual([]);
        expect(check.sessions.has(id)).toBe(true);
      }
      reportFigure('resume-race', { rounds, processes, winners });
    },
    testTimeoutMs,
  );
});
