import { codexFixtureCwd } from '@jido-code/test-support';
import { describe, expect, it } from 'vitest';
import { fixtureHome, importAll, itemOf, transcriptOf } from './helpers.js';

describe('codex reader on generated fixtures', () => {
  it('keeps each prompt and answer once, tool calls paired by call id, and the compaction', async () => {
    const { home, fixtures } = fixtureHome();
    const item = itemOf(await importAll('codex', home), fixtures.codex.full);
    expect(transcriptOf(item)).toEqual([
      'user: Make the build faster',
      'tool: tool call shell: {"command":["bash","-lc","time make"]}',
      'tool: tool result shell: real 42s',
      'tool: tool call shell: {"command":["ls"]}',
      'tool: tool result shell: Makefile\nsrc',
      'tool: tool call shell: {"command":["nproc"]}',
      'tool: tool call shell: {"command":["free"]}',
      'tool: tool result shell: 8',
      'tool: tool result shell: Mem: 16G',
      'tool: tool call apply_patch: *** Begin Patch *** Update File: Makefile -j1 +j8 *** End Patch',
      'tool: tool result apply_patch: Success. Updated the following files:\nM Makefile',
      'assistant: The build now runs with -j8.',
      'system: Conversation compacted. Summary:\nThe user sped up the build with -j8.',
      'user: Thanks, now run the tests',
      'assistant: All 120 tests pass.',
    ]);
    // 1 exact duplicate line + 2 user_message events + 2 agent_message events.
    expect(item.report.skipped).toMatchObject({
      duplicate: 5,
      image: 2,
      injected_context: 2,
      reasoning: 4,
      unknown_record: 1,
    });
    expect(item.session?.project_path).toBe(codexFixtureCwd);
    expect(item.session?.config).toEqual({ provider: 'openai', model: 'gpt-5-codex' });
    expect(item.session?.imported_from?.source_id).toBe('00000015-0000-4000-8000-000001406f7f');
    expect(item.session?.name).toBe('Make the build faster');
  });

  it('finds archived sessions and reads torn, CRLF and non-UTF-8 files', async () => {
    const { home, fixtures } = fixtureHome();
    const items = await importAll('codex', home);
    expect(transcriptOf(itemOf(items, fixtures.codex.archived))).toHaveLength(4);
    const torn = itemOf(items, fixtures.codex.torn);
    expect(transcriptOf(torn)).toHaveLength(4);
    expect(torn.report.skipped.torn_last_line).toBe(1);
    expect(itemOf(items, fixtures.codex.crlf).report.notes.crlfLines).toBe(19);
    const bad = itemOf(items, fixtures.codex.nonUtf8);
    expect(transcriptOf(bad)[0]).toBe('user: Plain \uFFFD\uFFFD prompt');
    expect(bad.report.notes.nonUtf8Lines).toBe(1);
  });

  it('skips a session with no conversation and fails a file that is not a rollout', async () => {
    const { home, fixtures } = fixtureHome();
    const items = await importAll('codex', home);
    expect(itemOf(items, fixtures.codex.empty).report).toMatchObject({
      status: 'skipped',
      reason: 'empty_session',
    });
    expect(itemOf(items, fixtures.codex.wrongFormat).report).toMatchObject({
      status: 'failed',
      reason: 'wrong_format',
    });
  });

  it('limits to files changed within --since days', async () => {
    const { home } = fixtureHome();
    const future = new Date(Date.now() + 10 * 86_400_000);
    const items = await importAll('codex', home, { sinceDays: 3, now: () => future });
    expect([...items.values()].every((item) => item.report.reason === 'filtered_out')).toBe(true);
    const recent = await importAll('codex', home, { sinceDays: 3 });
    expect([...recent.values()].filter((item) => item.report.status === 'imported')).toHaveLength(6);
  });
});
