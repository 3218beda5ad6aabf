import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findInFiles, secretCorpus, secretCorpusSeed } from '@jido-code/test-support';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import type { RedactionEvent } from '../src/index.js';
import { makeProject, must, openManager, openStore } from './helpers.js';
import { startWorker } from './worker-process.js';

const testCase = PersistenceTestCase.use();
const seed = secretCorpusSeed();
console.info(`secret corpus seed: ${seed} (replay with JIDO_SECRET_SEED=${seed})`);
const corpus = secretCorpus(seed);
const allValues = corpus.flatMap((sample) => sample.values);

function acknowledged(lines: readonly string[]): number[] {
  return lines.filter((line) => line.startsWith('ack ')).map((line) => Number(line.slice(4)));
}

describe('redaction before the journal', () => {
  it(`keeps every credential of the corpus out of the journal and the saved file (seed ${seed})`, async () => {
    const events: RedactionEvent[] = [];
    const manager = await openManager(testCase.home, { onRedaction: (event) => events.push(event) });
    const session = must(await manager.create({ projectPath: await makeProject('secrets') }));
    for (const sample of corpus) {
      const added = must(await session.addMessage('user', sample.text));
      expect(added.content).toContain(`[REDACTED:${sample.kind}]`);
    }
    const todoToken = corpus.find((sample) => sample.rule === 'github')?.values[0] as string;
    must(await session.addTodo(`Rotate ${todoToken} today`));
    expect(session.todos[0]?.content).toBe('Rotate [REDACTED:github-token] today');
    // The journal is the only copy while the session is open.
    expect(await findInFiles(testCase.home, allValues)).toEqual([]);
    const journal = await readFile(join(testCase.home, 'journal', `${session.id}.jsonl`), 'utf8');
    expect(journal).toContain('[REDACTED:');
    must(await manager.close(session.id));
    expect(await findInFiles(testCase.home, allValues)).toEqual([]);
    const saved = must(await manager.store.load(session.id)).session;
    expect(saved.conversation).toHaveLength(corpus.length);
    expect(events).toHaveLength(corpus.length + 1);
    expect(events.every((event) => event.sessionId === session.id && event.report.mode === 'redact')).toBe(
      true,
    );
  });

  it(`keeps a secret out of the journal when a streamed reply splits it across pieces (seed ${seed})`, async () => {
    const manager = await openManager(testCase.home);
    const session = must(await manager.create({ projectPath: await makeProject('streamed') }));
    must(await session.addMessage('user', 'show me the config'));
    const recorder = must(await session.startReply());
    for (const sample of corpus) {
      // Cut inside the credential itself, and wait for each piece's record before the next one.
      const value = sample.values[0] ?? '';
      const cut = sample.text.indexOf(value) + Math.max(1, Math.floor(value.length / 2));
      recorder.push(sample.text.slice(0, cut));
      must(await recorder.flush());
      recorder.push(`${sample.text.slice(cut)}\n`);
      must(await recorder.flush());
    }
    expect(await findInFiles(testCase.home, allValues)).toEqual([]);
    const reply = must(await recorder.finish({ partial: false }));
    expect(reply.content.match(/\[REDACTED:/g)?.length).toBeGreaterThanOrEqual(corpus.length);
    must(await manager.close(session.id));
    expect(await findInFiles(testCase.home, allValues)).toEqual([]);
  });

  it('writes the text as typed in warn mode, and reports it (the check above can fail)', async () => {
    const events: RedactionEvent[] = [];
    const store = await openStore(testCase.home, { config: { redaction: 'warn' } });
    const manager = await openManager(testCase.home, { store, onRedaction: (event) => events.push(event) });
    const session = must(await manager.create({ projectPath: await makeProject('warned') }));
    const sample = corpus[0];
    if (!sample) throw new Error('empty corpus');
    must(await session.addMessage('user', sample.text));
    must(await manager.close(session.id));
    expect((await findInFiles(testCase.home, sample.values)).length).toBeGreaterThan(0);
    expect(events.map((event) => event.report.mode)).toEqual(['warn']);
  });

  it('redacts a secret given as the name of a new session', async () => {
    const manager = await openManager(testCase.home);
    const token = `glpat-${'Nm4Xb7Qp2Lz9'.repeat(2)}`;
    const session = must(
      await manager.create({ projectPath: await makeProject('named'), name: `ci ${token}` }),
    );
    expect(session.name).toBe('ci [REDACTED:gitlab-token]');
    must(await manager.close(session.id));
    expect(await findInFiles(testCase.home, [token])).toEqual([]);
  });

  it('keeps the order of changes requested together', async () => {
    const manager = await openManager(testCase.home);
    const session = must(await manager.create({ projectPath: await makeProject('ordered') }));
    const texts = corpus.map((sample, index) => (index % 2 === 0 ? sample.text : `plain ${index}`));
    await Promise.all(texts.map((text) => session.addMessage('user', text)));
    const stored = session.getMessages({ offset: 0, limit: texts.length }).messages;
    expect(
      stored.map((message) => message.content.startsWith('plain') || message.content.includes('[REDACTED:')),
    ).toEqual(texts.map(() => true));
    expect(stored.map((message, index) => (index % 2 === 1 ? message.content : 'secret'))).toEqual(
      texts.map((text, index) => (index % 2 === 1 ? text : 'secret')),
    );
    must(await manager.close(session.id));
  });
});

describe('redaction of journals', () => {
  it(`leaves no secret on disk when SIGKILLed right after a secret message is acknowledged (seed ${seed})`, async () => {
    const worker = startWorker(['secrets', testCase.home, await makeProject('killed'), String(seed)]);
    worker.go();
    await worker.until((lines) => acknowledged(lines).length >= 1);
    worker.child.kill('SIGKILL');
    const exit = await worker.exited;
    expect(exit.signal, exit.stderr).toBe('SIGKILL');
    const id = worker.lines.find((line) => line.startsWith('session '))?.slice(8) as string;
    const journal = await readFile(join(testCase.home, 'journal', `${id}.jsonl`));
    expect(journal.includes('[REDACTED:')).toBe(true);
    // Byte for byte: no value of any sample, acknowledged or still in flight, is in any file.
    expect(await findInFiles(testCase.home, allValues)).toEqual([]);
    const manager = await openManager(testCase.home);
    expect((await manager.recover()).failed).toEqual([]);
    const recovered = must(await manager.store.load(id)).session;
    for (const n of acknowledged(worker.lines)) {
      expect(
        recovered.conversation.some((message) => message.content.includes(`[REDACTED:${corpus[n]?.kind}]`)),
      ).toBe(true);
    }
    expect(await findInFiles(testCase.home, allValues)).toEqual([]);
  }, 60_000);

  it('redacts a journal written without redaction when it is recovered', async () => {
    const worker = startWorker(['secrets', testCase.home, await makeProject('legacy'), String(seed)], {
      ...process.env,
      JIDO_REDACTION: 'off',
    });
    worker.go();
    await worker.until((lines) => acknowledged(lines).length === corpus.length);
    worker.child.kill('SIGKILL');
    await worker.exited;
    expect((await findInFiles(join(testCase.home, 'journal'), allValues)).length).toBeGreaterThan(0);
    const manager = await openManager(testCase.home);
    const report = await manager.recover();
    expect(report.failed).toEqual([]);
    expect(report.recovered).toHaveLength(1);
    expect(await findInFiles(testCase.home, allValues)).toEqual([]);
  }, 60_000);
});
