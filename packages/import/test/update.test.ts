import { appendFileSync, readFileSync } from 'node:fs';
import type { Session, UnsignedSession } from '@jido-code/core-schema';
import {
  appendedClaudeTurn,
  appendedCodexTurn,
  appendedGeminiTurn,
  peerJsonl,
} from '@jido-code/test-support';
import { describe, expect, it } from 'vitest';
import { appendImported, decideImport, type ImportItem, type ImportTool } from '../src/index.js';
import { fixtureHome, importAll, itemOf } from './helpers.js';

/** The produced session; fails the test when there is none. */
function sessionOf(item: ImportItem): UnsignedSession {
  expect(item.session).toBeDefined();
  return item.session as UnsignedSession;
}

/** Stands in for "saved": the signed session storage would hand back. */
const saved = (item: ImportItem): Session => ({ ...(item.session as Session), signature: 'v1:k:x' });

const cases: {
  tool: ImportTool;
  file: (f: ReturnType<typeof fixtureHome>['fixtures']) => string;
  more: (path: string) => Buffer;
}[] = [
  {
    tool: 'claude-code',
    file: (f) => f.claude.plain as string,
    more: (path) => {
      const lines = readFileSync(path, 'utf8').trim().split('\n');
      const last = JSON.parse(lines.at(-1) ?? '{}') as { uuid: string; sessionId: string };
      return peerJsonl(appendedClaudeTurn(last.sessionId, last.uuid, 50));
    },
  },
  { tool: 'codex', file: (f) => f.codex.plain as string, more: () => peerJsonl(appendedCodexTurn()) },
  { tool: 'gemini', file: (f) => f.gemini.plain as string, more: () => peerJsonl(appendedGeminiTurn(33)) },
];

describe('re-import and --update', () => {
  it.each(cases)('$tool: a second import of an unchanged source is a no-op', async ({ tool, file }) => {
    const { home, fixtures } = fixtureHome();
    const path = file(fixtures);
    const first = itemOf(await importAll(tool, home, { path }), path);
    const again = itemOf(await importAll(tool, home, { path }), path);
    expect(again.session?.id).toBe(first.session?.id);
    expect(decideImport(saved(first), sessionOf(again), false)).toEqual({
      action: 'skip',
      reason: 'already_imported',
      id: first.session?.id,
    });
    expect(decideImport(saved(first), sessionOf(again), true)).toMatchObject({
      action: 'skip',
      reason: 'up_to_date',
    });
  });

  it.each(cases)('$tool: --update after appending lines adds exactly those', async ({ tool, file, more }) => {
    const { home, fixtures } = fixtureHome();
    const path = file(fixtures);
    const first = itemOf(await importAll(tool, home, { path }), path);
    appendFileSync(path, more(path));
    const grown = itemOf(await importAll(tool, home, { path }), path);
    const decision = decideImport(saved(first), sessionOf(grown), true);
    expect(decision.action).toBe('append');
    if (decision.action !== 'append') return;
    expect(decision.messages.map((message) => `${message.role}: ${message.content}`)).toEqual([
      'user: Appended prompt',
      'assistant: Appended answer.',
    ]);
    const updated = appendImported(saved(first), sessionOf(grown), decision.messages);
    expect(updated.conversation).toEqual([...(first.session?.conversation ?? []), ...decision.messages]);
    expect(updated.updated_at).toBe(decision.messages.at(-1)?.timestamp);
    expect('signature' in updated).toBe(false);
    // Once appended, the same source is up to date.
    expect(decideImport({ ...updated, signature: 'v1:k:y' }, sessionOf(grown), true)).toMatchObject({
      action: 'skip',
    });
  });

  it('refuses to touch a session with the same id that was not imported from this source', async () => {
    const { home, fixtures } = fixtureHome();
    const path = fixtures.codex.plain as string;
    const item = itemOf(await importAll('codex', home, { path }), path);
    const { imported_from: _from, ...native } = saved(item);
    expect(decideImport(native, sessionOf(item), true)).toEqual({ action: 'conflict', id: item.session?.id });
    expect(decideImport(undefined, sessionOf(item), false)).toEqual({
      action: 'create',
      session: item.session,
    });
  });
});
