import { geminiHashedProject, geminiMarkedProject } from '@jido-code/test-support';
import { describe, expect, it } from 'vitest';
import { fixtureHome, importAll, itemOf, transcriptOf } from './helpers.js';

describe('gemini reader on generated fixtures', () => {
  it('reads the legacy whole-JSON form with inline tool calls; the project comes from its hash', async () => {
    const { home, fixtures } = fixtureHome();
    const items = await importAll('gemini', home, { workingDirectory: geminiHashedProject });
    const item = itemOf(items, fixtures.gemini.legacy);
    expect(transcriptOf(item)).toEqual([
      'user: Rename Hello to Goodbye in greet.txt',
      'tool: tool call read_file: {"absolute_path":"/work/gemini-hashed/greet.txt"}',
      'tool: tool result read_file: Hello',
      'assistant: Renamed.',
    ]);
    expect(item.report.skipped).toEqual({ reasoning: 2, notice: 1 });
    expect(item.session?.project_path).toBe(geminiHashedProject);
    expect(item.report.notes.projectPathGuessed).toBe(false);
  });

  it('falls back to the user home, and says so, when nothing names the project', async () => {
    const { home, fixtures } = fixtureHome();
    const item = itemOf(
      await importAll('gemini', home, { workingDirectory: '/elsewhere' }),
      fixtures.gemini.legacy,
    );
    expect(item.session?.project_path).toBe(home);
    expect(item.report.notes.projectPathGuessed).toBe(true);
  });

  it('replays JSONL: updates re-appended in place, $set, $rewindTo, images and attachments counted', async () => {
    const { home, fixtures } = fixtureHome();
    const item = itemOf(await importAll('gemini', home), fixtures.gemini.appended);
    expect(transcriptOf(item)).toEqual([
      'user: /init',
      'user: Summarize these notes',
      'assistant: Reading the notes.',
      'tool: tool call read_file: {"file_path":"notes.md"}',
      'tool: tool result read_file: # Notes',
      'user: The prompt after the rewind',
      'assistant: The answer after the rewind',
    ]);
    expect(item.report.skipped).toMatchObject({ duplicate: 1, rewound: 2, image: 1, attachment: 1 });
    expect(item.session?.name).toBe('Notes summary session');
    expect(item.session?.project_path).toBe(geminiMarkedProject);
    expect(item.session?.config).toEqual({ provider: 'google', model: 'gemini-2.5-pro' });
  });

  it('reads a migrated .jsonl instead of its old .json', async () => {
    const { home, fixtures } = fixtureHome();
    const items = await importAll('gemini', home);
    expect(itemOf(items, fixtures.gemini.migratedJson).report).toMatchObject({
      status: 'skipped',
      reason: 'superseded',
    });
    expect(transcriptOf(itemOf(items, fixtures.gemini.migratedJsonl))).toHaveLength(4);
  });

  it('keeps going past torn, CRLF, non-UTF-8, empty and wrong-format files', async () => {
    const { home, fixtures } = fixtureHome();
    const items = await importAll('gemini', home);
    const torn = itemOf(items, fixtures.gemini.torn);
    expect(transcriptOf(torn)).toHaveLength(3);
    expect(torn.report.skipped.torn_last_line).toBe(1);
    expect(transcriptOf(itemOf(items, fixtures.gemini.crlf))).toHaveLength(4);
    expect(transcriptOf(itemOf(items, fixtures.gemini.nonUtf8))[2]).toBe('user: Second \uFFFD\uFFFD prompt');
    expect(itemOf(items, fixtures.gemini.empty).report).toMatchObject({
      status: 'skipped',
      reason: 'empty_session',
    });
    expect(itemOf(items, fixtures.gemini.wrongFormat).report).toMatchObject({
      status: 'failed',
      reason: 'wrong_format',
    });
  });
});
