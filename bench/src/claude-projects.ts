// Writes a Claude Code projects folder of a given size for the import benchmark, in the format of
// docs/import-formats.md: uuid/parentUuid chains, split assistant replies (thinking, text, tool_use
// fragments sharing a message id), progress lines off each tool call, tool results, snapshots.
//   pnpm --filter @jido-code/bench exec tsx --conditions=@jido-code/source src/claude-projects.ts <dir> [MB]
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '@jido-code/test-support';

const words =
  'the parser test fails because a clock rolls over midnight so we inject one and run every case again with seeds'.split(
    ' ',
  );

/** What was written. */
export interface ClaudeProjects {
  readonly files: number;
  readonly bytes: number;
  /** JSONL lines written (what the importer counts as records). */
  readonly records: number;
}

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function sessionLines(random: () => number, sessionId: string, cwd: string, turns: number): string[] {
  const text = (count: number) =>
    Array.from({ length: count }, () => words[Math.floor(random() * words.length)]).join(' ');
  const lines: string[] = [];
  let parent: string | null = null;
  let clock = Date.UTC(2026, 0, 1) + Math.floor(random() * 1e10);
  const add = (fields: Record<string, unknown>): string => {
    const uuid = uuidFrom(random);
    clock += 1500;
    const envelope = {
      parentUuid: parent,
      isSidechain: false,
      userType: 'external',
      cwd,
      sessionId,
      version: '2.1.39',
      gitBranch: 'main',
    };
    lines.push(JSON.stringify({ ...envelope, ...fields, uuid, timestamp: new Date(clock).toISOString() }));
    return uuid;
  };
  const fragment = (messageId: string, block: unknown) =>
    add({
      type: 'assistant',
      requestId: `req_${messageId}`,
      message: {
        model: 'claude-opus-4-5',
        id: messageId,
        type: 'message',
        role: 'assistant',
        content: [block],
        usage: { input_tokens: 3, output_tokens: 120 },
      },
    });
  for (let turn = 0; turn < turns; turn += 1) {
    parent = add({ type: 'user', message: { role: 'user', content: text(30) } });
    const messageId = `msg_${uuidFrom(random).replaceAll('-', '').slice(0, 24)}`;
    parent = fragment(messageId, { type: 'thinking', thinking: text(50), signature: 'sig' });
    parent = fragment(messageId, { type: 'text', text: text(60) });
    const toolId = `toolu_${turn}`;
    const call: string = fragment(messageId, {
      type: 'tool_use',
      id: toolId,
      name: 'Bash',
      input: { command: `npm test -- ${text(5)}` },
    });
    parent = call;
    const progress = add({ type: 'progress', data: { type: 'bash_progress', output: text(20) } });
    parent = progress;
    add({ type: 'progress', data: { type: 'bash_progress', output: text(20) } });
    parent = call;
    parent = add({
      type: 'user',
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolId, content: text(500) }] },
      toolUseResult: { stdout: text(40) },
    });
    parent = fragment(`${messageId}b`, { type: 'text', text: text(50) });
    if (turn % 5 === 0)
      lines.push(
        JSON.stringify({
          type: 'file-history-snapshot',
          messageId,
          snapshot: { trackedFileBackups: {} },
          isSnapshotUpdate: false,
        }),
      );
  }
  return lines;
}

/** Writes sessions into `dir` (one folder per project) until about `targetBytes` are written. */
export async function writeClaudeProjects(
  dir: string,
  targetBytes: number,
  seed = 7,
): Promise<ClaudeProjects> {
  const random = mulberry32(seed);
  let bytes = 0;
  let files = 0;
  let records = 0;
  while (bytes < targetBytes) {
    const project = files % 10;
    const cwd = `/work/project-${project}`;
    const folder = join(dir, `-work-project-${project}`);
    await mkdir(folder, { recursive: true });
    const sessionId = uuidFrom(random);
    const lines = sessionLines(random, sessionId, cwd, 20 + Math.floor(random() * 200));
    const text = `${lines.join('\n')}\n`;
    await writeFile(join(folder, `${sessionId}.jsonl`), text);
    bytes += Buffer.byteLength(text);
    records += lines.length;
    files += 1;
  }
  return { files, bytes, records };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [target, megabytes = '100'] = process.argv.slice(2);
  if (!target) {
    console.error('usage: claude-projects.ts <dir> [MB]');
    process.exit(2);
  }
  const written = await writeClaudeProjects(resolve(target), Number(megabytes) * 1024 * 1024);
  console.log(JSON.stringify(written));
}
