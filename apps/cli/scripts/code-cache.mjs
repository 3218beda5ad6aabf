// `node scripts/code-cache.mjs <dist>`: writes <dist>/jido-cli.code.cache (see compiled-entry.mjs),
// V8's cache of the CLI's entry script after it ran `sessions import` and `sessions list` on a
// temporary home, so that the functions those commands call are compiled in it too. Run by
// scripts/bundle.mjs in a process of its own, with no flags: V8 uses the data only under the same
// version and flags. Written to a temporary name, then renamed into place.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { cacheMagic } from './compiled-entry.mjs';

const dist = process.argv[2];
const { run, __jidoScript } = await import(pathToFileURL(join(dist, 'jido-cli.js')).href);
const home = mkdtempSync(join(tmpdir(), 'jido-code-cache-'));
try {
  const session = {
    version: 1,
    id: '8c54edec-b552-460d-a17a-07ddbb3b6c45',
    name: 'code cache',
    project_path: home,
    config: { provider: 'offline', model: 'echo-1', temperature: 0.2, max_tokens: 4096 },
    created_at: '2025-01-01T00:00:00.000Z',
    updated_at: '2025-01-01T00:00:02.000Z',
    closed_at: '2025-01-01T00:00:02.000Z',
    conversation: [
      {
        id: '0b3c2217-335b-45ff-92a5-78696bd36b01',
        role: 'user',
        content: 'Question?',
        timestamp: '2025-01-01T00:00:01.000Z',
      },
      {
        id: '646d2e54-8500-497a-89f7-ed5ba098092d',
        role: 'assistant',
        content: 'Answer.',
        timestamp: '2025-01-01T00:00:02.000Z',
      },
    ],
    todos: [{ content: 'Todo', status: 'pending', active_form: 'Working on the todo' }],
  };
  const file = join(home, 'session.json');
  writeFileSync(file, JSON.stringify(session));
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const io = { stdout: sink, stderr: sink, env: {}, cwd: home };
  for (const args of [
    ['sessions', 'import', file, '--new-id'],
    ['sessions', 'list'],
    ['sessions', 'list', '--json'],
  ]) {
    const code = await run(['--home', join(home, 'home'), ...args], io);
    if (code !== 0) throw new Error(`code-cache: jido ${args.join(' ')} exited with ${code}`);
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
const source = readFileSync(join(dist, 'jido-cli.code.js'));
const header = Buffer.alloc(cacheMagic.length + 4);
header.write(cacheMagic, 'latin1');
header.writeUInt32LE(source.length, cacheMagic.length);
const target = join(dist, 'jido-cli.code.cache');
writeFileSync(`${target}.tmp`, Buffer.concat([header, source, __jidoScript.createCachedData()]));
renameSync(`${target}.tmp`, target);
