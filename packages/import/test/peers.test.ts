import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importAll, itemOf, transcriptOf } from './helpers.js';

// Real files written by the tools, kept outside the repository (../shared/fixtures/peers from the
// repo root). They are read where they are, never copied in.
const peers = fileURLToPath(new URL('../../../../shared/fixtures/peers', import.meta.url));
const present = existsSync(peers);
if (!present) console.log(`skipping real peer files: ${peers} is absent (a clone without ../shared)`);

describe.skipIf(!present)('real files from ../shared/fixtures/peers', () => {
  it('claude-code: every file reads; compaction, fragments and sidechains handled', async () => {
    const items = await importAll('claude-code', '/nonexistent-home', { path: `${peers}/claude-code` });
    expect(items.size).toBe(4);
    const viewer = itemOf(items, `${peers}/claude-code/claude-code-viewer-1.jsonl`);
    expect(viewer.session?.name).toBe('Empty Repo Setup: CLAUDE.md Foundation Created');
    expect(transcriptOf(viewer)[0]).toBe('user: /orchestrator create TODO app by Next.js');
    expect(viewer.report.skipped.sidechain).toBe(91);
    const spotter = itemOf(items, `${peers}/claude-code/spotter-1.jsonl`);
    expect(transcriptOf(spotter).some((line) => line.startsWith('system: Conversation compacted.'))).toBe(
      true,
    );
    expect(spotter.session?.imported_from?.source_id).toBe('ae4a77f8-aedd-4bc1-888f-c94edc91af04');
    const reliability = itemOf(items, `${peers}/claude-code/claude-reliability-1.jsonl`);
    expect(transcriptOf(reliability)[0]).toMatch(/^user: Write a shell script called hello\.sh/);
    expect(reliability.session?.project_path).toBe('/tmp/tmp74wiyiny');
    // A 2.1 subagent file read on its own holds only sidechain records.
    expect(itemOf(items, `${peers}/claude-code/spotter-2.jsonl`).report).toMatchObject({
      status: 'skipped',
      reason: 'empty_session',
    });
    const withSidechains = await importAll('claude-code', '/nonexistent-home', {
      path: `${peers}/claude-code/spotter-2.jsonl`,
      includeSidechains: true,
    });
    expect(
      transcriptOf(itemOf(withSidechains, `${peers}/claude-code/spotter-2.jsonl`)).length,
    ).toBeGreaterThan(10);
  });

  it('codex: every file reads; duplicates dropped, compaction kept, a file without session_meta still imports', async () => {
    const items = await importAll('codex', '/nonexistent-home', { path: `${peers}/codex` });
    expect(items.size).toBe(3);
    const agentcmd = itemOf(items, `${peers}/codex/agentcmd-1.jsonl`);
    const lines = transcriptOf(agentcmd);
    expect(lines[0]).toMatch(/^user: Evaluate @packages\/services and create a new/);
    expect(lines.filter((line) => line.startsWith('user:'))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('tool: tool call'))).toHaveLength(34);
    expect(agentcmd.session?.project_path).toBe(
      '/Users/localuser/Dev/spectora/src/spectora-labs-monorepo-v2',
    );
    expect(agentcmd.session?.imported_from?.source_id).toBe('019982b8-3422-79e0-8b3b-05abaf4f3c3e');
    const excerpt = itemOf(items, `${peers}/codex/localpush-2.jsonl`);
    expect(transcriptOf(excerpt).some((line) => line.startsWith('system: Conversation compacted.'))).toBe(
      true,
    );
    const localpush = itemOf(items, `${peers}/codex/localpush-1.jsonl`);
    expect(localpush.report.skipped.duplicate).toBe(7);
  });

  it('gemini: legacy JSON and JSONL read; re-appended updates kept once', async () => {
    const items = await importAll('gemini', '/nonexistent-home', { path: `${peers}/gemini-cli` });
    expect(items.size).toBe(4);
    for (const item of items.values()) expect(item.report.status).toBe('imported');
    const jsonlItem = itemOf(items, `${peers}/gemini-cli/vibecodingtracker-2.jsonl`);
    expect(jsonlItem.report.skipped.duplicate).toBe(5);
    expect(transcriptOf(jsonlItem)[0]).toBe('user: /init');
    const legacy = itemOf(items, `${peers}/gemini-cli/agentcmd-2.json`);
    expect(transcriptOf(legacy)[0]).toBe(
      'user: Can you make me an ai agent in python that I can execute built in pythin',
    );
  });
});
