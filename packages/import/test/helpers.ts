import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unsignedSessionSchema } from '@jido-code/core-schema/schemas';
import { type PeerFixtures, writePeerFixtures } from '@jido-code/test-support';
import { afterEach, expect } from 'vitest';
import { type ImportItem, type ImportOptions, type ImportTool, importSessions } from '../src/index.js';

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

/** A temp user home holding every generated fixture; removed after the test. */
export function fixtureHome(): { home: string; fixtures: PeerFixtures } {
  const home = mkdtempSync(join(tmpdir(), 'jido-import-'));
  homes.push(home);
  return { home, fixtures: writePeerFixtures(home) };
}

/** Imports every file a tool finds under `home`, by path. */
export async function importAll(
  tool: ImportTool,
  home: string,
  options: ImportOptions = {},
): Promise<Map<string, ImportItem>> {
  const items = new Map<string, ImportItem>();
  for await (const item of importSessions(tool, { userHome: home, env: {}, ...options }))
    items.set(item.report.path, item);
  return items;
}

/** The item of one fixture file; fails the test when the import did not see it. */
export function itemOf(items: Map<string, ImportItem>, path: string | undefined): ImportItem {
  const item = items.get(path ?? '');
  expect(item, `no report for ${path}`).toBeDefined();
  return item as ImportItem;
}

/** The produced session's messages as `role: content` lines; asserts the session validates. */
export function transcriptOf(item: ImportItem): string[] {
  expect(item.report.status).toBe('imported');
  expect(unsignedSessionSchema.safeParse(item.session).success).toBe(true);
  return (item.session?.conversation ?? []).map((message) => `${message.role}: ${message.content}`);
}
