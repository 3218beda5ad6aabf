import { claudeFixtureCwd } from '@jido-code/test-support';
import { describe, expect, it } from 'vitest';
import { cutMark, importedSessionId } from '../src/index.js';
import { fixtureHome, importAll, itemOf, transcriptOf } from './helpers.js';

describe('claude-code reader on generated fixtures', () => {
  it('imports the branch ending at the latest leaf, merges split replies, leaves sidechains out', async () => {
    const { home, fixtures } = fixtureHome();
    const item = itemOf(await importAll('claude-code', home), fixtures.claude.tree);
    expect(transcriptOf(item)).toEqual([
      'user: The parser test fails one run in ten. Find out why.',
      'assistant: I will run the test in a loop.',
      'tool: tool call Bash: {"command":"for i in $(seq 20); do npm test; done"}',
      'tool: tool result Bash: 19 passed, 1 failed: seed 7',
      'assistant: Seed 7 makes the date parser\n\nroll over midnight.',
      'user: Fix it by injecting a clock instead',
      'assistant: Done: the parser now takes a clock.',
    ]);
    expect(item.report.skipped).toMatchObject({
      other_branch: 2,
      sidechain: 3,
      reasoning: 1,
      bookkeeping: 4,
    });
    const session = item.session;
    expect(session?.name).toBe('Fix the flaky parser test');
    expect(session?.project_path).toBe(claudeFixtureCwd);
    expect(session?.config).toEqual({ provider: 'anthropic', model: 'claude-opus-4-5' });
    const sourceId = '00000001-0000-4000-8000-0000000f4243';
    expect(session?.id).toBe(importedSessionId('claude-code', sourceId));
    expect(session?.imported_from).toMatchObject({
      tool: 'claude-code',
      source_id: sourceId,
      path: fixtures.claude.tree,
    });
    expect(session?.conversation[0]?.timestamp).toBe('2026-01-15T10:00:02.000Z');
  });

  it('with sidechains included, adds the in-file sidechain and the subagent file in time order', async () => {
    const { home, fixtures } = fixtureHome();
    const item = itemOf(
      await importAll('claude-code', home, { includeSidechains: true }),
      fixtures.claude.tree,
    );
    const lines = transcriptOf(item);
    expect(lines).toContain('user: [subagent] Subagent: search the repo for Date.now');
    expect(lines).toContain('assistant: [subagent] Found 3 uses.');
    expect(lines).toContain('user: [subagent] Subagent file: list the test files');
    expect(item.report.skipped.sidechain).toBeUndefined();
    const times = item.session?.conversation.map((message) => message.timestamp) ?? [];
    expect(times.length).toBe(11);
  });

  it('follows a compaction boundary back to the messages before it', async () => {
    const { home, fixtures } = fixtureHome();
    const lines = transcriptOf(itemOf(await importAll('claude-code', home), fixtures.claude.compact));
    expect(lines[0]).toBe('user: Before compaction: add logging');
    expect(lines[1]).toBe('assistant: Logging added.');
    expect(lines[2]).toMatch(/^system: Conversation compacted\. Summary:\nThis session is being continued/);
    expect(lines.slice(3)).toEqual([
      'user: /compact',
      'user: After compaction: now add metrics',
      'assistant: Metrics added.',
    ]);
  });

  it('skips and counts images and documents, in prompts and in tool results', async () => {
    const { home, fixtures } = fixtureHome();
    const item = itemOf(await importAll('claude-code', home), fixtures.claude.images);
    expect(transcriptOf(item)).toEqual([
      'user: What is wrong in this screenshot?',
      'tool: tool call Read: {"file_path":"/work/demo/shot.png"}',
      'tool: tool result Read: An image file.',
      'assistant: The button is misaligned.',
    ]);
    expect(item.report.skipped).toEqual({ image: 2, attachment: 1 });
  });

  it('keeps going past a torn last line, CRLF, bytes that are not UTF-8, garbage and unknown records', async () => {
    const { home, fixtures } = fixtureHome();
    const items = await importAll('claude-code', home);
    const torn = itemOf(items, fixtures.claude.torn);
    expect(transcriptOf(torn)).toHaveLength(3);
    expect(torn.report.skipped).toEqual({ torn_last_line: 1 });
    const crlf = itemOf(items, fixtures.claude.crlf);
    expect(transcriptOf(crlf)).toHaveLength(4);
    expect(crlf.report.notes.crlfLines).toBe(4);
    const nonUtf8 = itemOf(items, fixtures.claude.nonUtf8);
    expect(transcriptOf(nonUtf8)[2]).toBe('user: Second prompt \uFFFD\uFFFD');
    expect(nonUtf8.report.notes.nonUtf8Lines).toBe(1);
    const messy = itemOf(items, fixtures.claude.malformed);
    expect(transcriptOf(messy)).toHaveLength(4);
    expect(messy.report.skipped).toEqual({ malformed_line: 2, unknown_record: 1 });
  });

  it('cuts an over-long message and marks the cut', async () => {
    const { home, fixtures } = fixtureHome();
    const item = itemOf(
      await importAll('claude-code', home, { maxMessageChars: 1_000 }),
      fixtures.claude.long,
    );
    const first = item.session?.conversation[0]?.content ?? '';
    expect(first.length).toBeLessThanOrEqual(1_000);
    const kept = first.indexOf('\n[');
    expect(first.slice(kept + 1)).toBe(cutMark('Paste: '.length + 150_000 - kept));
    expect(item.report.notes.cutMessages).toBe(1);
  });

  it('refuses a session over the size cap with its size, and imports the rest', async () => {
    const { home, fixtures } = fixtureHome();
    const items = await importAll('claude-code', home, { maxSessionBytes: 100_000 });
    expect(itemOf(items, fixtures.claude.long).report).toMatchObject({
      status: 'failed',
      reason: 'too_large',
      message: 'would make a 0.1 MiB session, over the 0.1 MiB cap',
    });
    expect(itemOf(items, fixtures.claude.long).session).toBeUndefined();
    expect(itemOf(items, fixtures.claude.plain).report.status).toBe('imported');
  });

  it('skips an empty session and fails a file that is not a transcript, without stopping the run', async () => {
    const { home, fixtures } = fixtureHome();
    const items = await importAll('claude-code', home);
    expect(itemOf(items, fixtures.claude.empty).report).toMatchObject({
      status: 'skipped',
      reason: 'empty_session',
    });
    expect(itemOf(items, fixtures.claude.wrongFormat).report).toMatchObject({
      status: 'failed',
      reason: 'wrong_format',
      message: 'is not a Claude Code session file',
    });
    expect([...items.values()].filter((item) => item.report.status === 'imported')).toHaveLength(9);
  });

  it('filters by project', async () => {
    const { home } = fixtureHome();
    const inside = await importAll('claude-code', home, { project: claudeFixtureCwd });
    expect([...inside.values()].filter((item) => item.report.status === 'imported')).toHaveLength(9);
    const elsewhere = await importAll('claude-code', home, { project: '/somewhere/else' });
    expect([...elsewhere.values()].filter((item) => item.report.status === 'imported')).toHaveLength(0);
    expect([...elsewhere.values()].filter((item) => item.report.reason === 'filtered_out')).toHaveLength(10);
  });
});
