// Every one-shot command on a PostgreSQL store (--store postgres://…) answers as it does on a file
// home (--store DIR): the same steps on both, outputs compared with ids and times normalised.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SessionFactory } from '@jido-code/test-support';
import { temporaryFolder } from '@jido-code/test-support/vitest';
import { describe, expect, it } from 'vitest';
import { jidoInProcess, projectFolder } from './jido.js';
import { freshStoreUrl, normalised, testDatabase } from './postgres.js';

/** The steps, in order; each runs on its own store state left by the ones before. */
const steps: readonly (readonly string[])[] = [
  ['sessions', 'list'],
  ['sessions', 'list', '--json'],
  ['sessions', 'show', 'alpha'],
  ['sessions', 'show', '2', '--json', '--limit', '2'],
  ['sessions', 'export', 'beta'],
  ['sessions', 'search', 'quokka', '--json'],
  ['sessions', 'search', 'quokka'],
  ['sessions', 'rename', 'alpha', 'alpha-renamed'],
  ['sessions', 'pin', 'beta'],
  ['sessions', 'list'],
  ['sessions', 'fork', 'gamma', '--at', '2', '--name', 'gamma-fork'],
  ['sessions', 'verify'],
  ['sessions', 'verify', '--json'],
  ['sessions', 'delete', 'alpha-renamed'],
  ['sessions', 'trash'],
  ['sessions', 'trash', 'restore', '1'],
  ['sessions', 'show', 'alpha-renamed', '--limit', '1'],
  ['sessions', 'unpin', 'beta'],
  ['sessions', 'cleanup', '--dry-run'],
  ['sessions', 'cleanup', '--max-count', '2', '--yes'],
  ['sessions', 'trash', '--json'],
  ['sessions', 'delete', 'nothing-like-this'],
  ['sessions', 'scan'],
  ['sessions', 'reindex'],
  ['sessions', 'clear', '--yes'],
  ['sessions', 'list', '--all'],
  ['sessions', 'trash', 'empty', '--yes'],
  ['sessions', 'trash'],
];

async function sessionFiles(): Promise<string[]> {
  const factory = new SessionFactory({ seed: 23, stepMs: 60_000 });
  const project = await projectFolder();
  const folder = await temporaryFolder('imports', 'jido-pg-imports-');
  const sessions = [
    factory.session({ name: 'alpha', project_path: project, messageCount: 4, todoCount: 1 }),
    factory.session({ name: 'beta', project_path: project, messageCount: 3 }),
    factory.session({
      name: 'gamma',
      project_path: project,
      conversation: [
        factory.message({ role: 'user', content: 'the quokka migration needs a rollback plan' }),
        factory.message({ role: 'assistant', content: 'here is the quokka plan' }),
        factory.message({ role: 'user', content: 'thanks' }),
      ],
    }),
  ];
  const files: string[] = [];
  for (const session of sessions) {
    const { signature: _unsigned, ...plain } = session as typeof session & { signature?: unknown };
    const file = join(folder, `${session.name}.json`);
    await writeFile(file, JSON.stringify(plain));
    files.push(file);
  }
  return files;
}

/**
 * Search results without what each backend's ranking decides alone: the score's scale (SQLite
 * bm25 against PostgreSQL ts_rank) and so the order of the matches inside one session. Which
 * sessions match, their order, and every match and snippet are still compared.
 */
function rankFree(stdout: string): string {
  if (stdout.startsWith('[')) {
    const results = JSON.parse(stdout) as { score?: number; matches: { message_index: number }[] }[];
    return JSON.stringify(
      results.map(({ score: _score, ...result }) => ({
        ...result,
        matches: [...result.matches].sort((a, b) => a.message_index - b.message_index),
      })),
    );
  }
  const blocks: string[][] = [];
  for (const line of stdout.split('\n')) {
    if (/^\s+#\d+ /.test(line)) blocks[blocks.length - 1]?.push(line);
    else blocks.push([line]);
  }
  return blocks.map(([head = '', ...matches]) => [head, ...matches.sort()].join('\n')).join('\n');
}

async function runAll(store: string, home: string, files: readonly string[]) {
  const results: { args: string; code: number | null; stdout: string; stderr: string }[] = [];
  const run = async (args: readonly string[]) => {
    const done = await jidoInProcess(['--store', store, ...args], { home });
    results.push({
      args: args.join(' '),
      code: done.code,
      stdout:
        args[1] === 'search' ? rankFree(normalised(done.stdout, [store])) : normalised(done.stdout, [store]),
      stderr: normalised(done.stderr, [store]),
    });
  };
  for (const file of files) await run(['sessions', 'import', file]);
  for (const step of steps) await run(step);
  return results;
}

describe(`one-shot commands on PostgreSQL (${testDatabase().kind})`, () => {
  it('answer exactly as on a file home, step by step', async () => {
    const files = await sessionFiles();
    const home = await temporaryFolder('home', 'jido-pg-home-');
    const folder = join(await temporaryFolder('store', 'jido-pg-store-'), 'home');
    const onFiles = await runAll(folder, home, files);
    const onPostgres = await runAll(freshStoreUrl(), home, files);
    // The file run itself did what the steps say (so equal outputs mean something).
    const byArgs = new Map(onFiles.map((result) => [result.args, result]));
    expect(byArgs.get('sessions list')?.stdout).toContain('alpha');
    expect(byArgs.get('sessions search quokka --json')?.stdout).toContain('gamma');
    expect(byArgs.get('sessions delete nothing-like-this')?.code).toBe(1);
    expect(onFiles.filter((result) => result.code !== 0).map((result) => result.args)).toEqual([
      'sessions delete nothing-like-this',
    ]);
    if (process.env.JIDO_DEBUG_OUT) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(process.env.JIDO_DEBUG_OUT, JSON.stringify({ onFiles, onPostgres }, null, 1));
    }
    for (const [index, result] of onPostgres.entries()) expect(result).toEqual(onFiles[index]);
  }, 900_000);
});
