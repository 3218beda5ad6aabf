import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { makeProject, must, openManager } from '../test/helpers.js';
import { replayJournal } from './recovery.js';
import { journalableLength, maxHeldBack } from './reply-recorder.js';

const testCase = PersistenceTestCase.use();

describe('journalableLength: what of the streamed text may be journaled now', () => {
  it('journals whole lines and holds the unfinished one', () => {
    expect(journalableLength('no line break yet')).toBe(0);
    expect(journalableLength('one line\nand half')).toBe('one line\n'.length);
    expect(journalableLength('two\nlines\n')).toBe('two\nlines\n'.length);
  });

  it('holds a private key block until its END line is complete', () => {
    const head = 'Here it is:\n';
    const open = `${head}-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n`;
    expect(journalableLength(open)).toBe(head.length);
    expect(journalableLength(`${open}-----END OPENSSH PRIVATE KEY-----`)).toBe(head.length);
    const closed = `${open}-----END OPENSSH PRIVATE KEY-----\nafter`;
    expect(journalableLength(closed)).toBe(closed.length - 'after'.length);
  });

  it('bounds the hold: a very long line is journaled up to a space before its last part', () => {
    const words = 'word '.repeat(Math.ceil((maxHeldBack + 100) / 5));
    const end = journalableLength(words);
    expect(end).toBeGreaterThan(0);
    expect(words.length - end).toBeLessThanOrEqual(520);
    expect(words[end - 1]).toBe(' ');
    const solid = 'x'.repeat(maxHeldBack + 100);
    expect(journalableLength(solid)).toBe(solid.length - 512);
  });
});

describe('ReplyRecorder: a streamed reply journaled as it arrives', () => {
  it('group-commits a fast stream, and the journal alone rebuilds the reply marked partial', async () => {
    const manager = await openManager(testCase.home);
    const session = must(await manager.create({ projectPath: await makeProject('reply'), name: 'Reply' }));
    must(await session.addMessage('user', 'tell me a story'));
    const snapshot = session.snapshot();
    const recorder = must(await session.startReply());
    // Ten words a line: whole lines are journaled as they arrive (an unfinished one waits).
    const pieces = Array.from({ length: 500 }, (_, index) => `w${index}${index % 10 === 9 ? '\n' : ' '}`);
    for (const piece of pieces) recorder.push(piece);
    must(await recorder.flush());
    // Pushed in one burst: far fewer records than pieces, every piece in one of them.
    expect(recorder.stats.pushes).toBe(500);
    expect(recorder.stats.records).toBeGreaterThanOrEqual(1);
    expect(recorder.stats.records).toBeLessThan(50);
    const reply = session.getMessages({ offset: -1 }).messages[0];
    expect(reply).toMatchObject({ role: 'assistant', content: pieces.join(''), partial: true });

    // What a kill -9 now would leave: the snapshot and the journal, replayed.
    const journal = must(await must(await manager.store.journals()).read(session.id));
    const replayed = must(replayJournal(snapshot, journal.records));
    expect(replayed.session.conversation.at(-1)).toMatchObject({ content: pieces.join(''), partial: true });
    // Replaying twice over the result changes nothing (a snapshot taken mid-reply).
    const again = must(replayJournal(replayed.session, journal.records));
    expect(again.session.conversation.at(-1)?.content).toBe(pieces.join(''));
    must(await manager.close(session.id));
  });

  it('ends a complete reply without `partial`, with its usage and the session totals', async () => {
    const manager = await openManager(testCase.home);
    const session = must(await manager.create({ projectPath: await makeProject('usage'), name: 'Usage' }));
    for (const [question, tokens] of [
      ['one', 10],
      ['two', 20],
    ] as const) {
      must(await session.addMessage('user', question));
      const recorder = must(await session.startReply());
      recorder.push(`answer ${question}`);
      const ended = must(
        await recorder.finish({
          partial: false,
          usage: { input_tokens: tokens, output_tokens: 5, total_cost: 0.1 },
        }),
      );
      expect(ended).not.toHaveProperty('partial');
      expect(ended.usage).toEqual({ input_tokens: tokens, output_tokens: 5, total_cost: 0.1 });
    }
    expect(session.cumulativeUsage).toEqual({ input_tokens: 30, output_tokens: 10, total_cost: 0.2 });
    const stopped = must(await session.startReply());
    stopped.push('half');
    expect(must(await stopped.finish({ partial: true }))).toMatchObject({ content: 'half', partial: true });
    must(await manager.close(session.id));

    const reopened = await openManager(testCase.home);
    const loaded = must(await reopened.store.load(session.id)).session;
    expect(loaded.cumulative_usage).toEqual({ input_tokens: 30, output_tokens: 10, total_cost: 0.2 });
    expect(loaded.conversation.map((message) => [message.content, message.partial ?? false])).toEqual([
      ['one', false],
      ['answer one', false],
      ['two', false],
      ['answer two', false],
      ['half', true],
    ]);
  });

  it('journals a /model change, so a resume keeps it', async () => {
    const manager = await openManager(testCase.home);
    const session = must(await manager.create({ projectPath: await makeProject('model'), name: 'Model' }));
    const snapshot = session.snapshot();
    must(await session.setConfig({ provider: 'openai', model: 'gpt-4o-mini', temperature: 0.5 }));
    expect(session.config).toEqual({ provider: 'openai', model: 'gpt-4o-mini', temperature: 0.5 });
    const journal = must(await must(await manager.store.journals()).read(session.id));
    expect(must(replayJournal(snapshot, journal.records)).session.config.model).toBe('gpt-4o-mini');
    must(await manager.close(session.id));
  });
});
