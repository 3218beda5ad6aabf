// `pnpm --filter @jido-code/bench false-positives`: runs the redactor over text that holds no real
// credential and reports every finding, per MB, by corpus: this repository's sources and READMEs,
// JavaScript and READMEs from node_modules (code), and the licences and docs under /usr/share
// (prose). Each finding is printed with its kind and the start of its context (never in a commit:
// these are public files). Flags: --allowlist=<json list> to check entries that silence them.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultAppConfig } from '@jido-code/core-schema';
import { Redactor } from '@jido-code/session';

interface Corpus {
  readonly name: string;
  readonly kind: 'code' | 'prose';
  readonly roots: readonly string[];
  readonly accept: (path: string) => boolean;
  /** Stop adding files past this many bytes. */
  readonly maxBytes: number;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const skipFolders = new Set(['.git', 'dist', 'coverage', '.turbo', 'results']);

const corpora: Corpus[] = [
  {
    name: 'this repository (sources, tests, READMEs, docs)',
    kind: 'code',
    roots: [repoRoot],
    accept: (path) => /\.(ts|mjs|js|md|json|yaml)$/.test(path) && !path.endsWith('pnpm-lock.yaml'),
    maxBytes: 64 * 1024 * 1024,
  },
  {
    name: 'node_modules JavaScript',
    kind: 'code',
    roots: [join(repoRoot, 'node_modules', '.pnpm')],
    accept: (path) => /\.(js|mjs|cjs)$/.test(path) && !path.endsWith('.min.js'),
    maxBytes: 6 * 1024 * 1024,
  },
  {
    name: 'node_modules READMEs',
    kind: 'prose',
    roots: [join(repoRoot, 'node_modules', '.pnpm')],
    accept: (path) => /readme\.md$/i.test(path),
    maxBytes: 3 * 1024 * 1024,
  },
  {
    name: '/usr/share/common-licenses and /usr/share/doc',
    kind: 'prose',
    roots: ['/usr/share/common-licenses', '/usr/share/doc'],
    accept: (path) => !/\.(gz|bz2|xz|png|jpg|gif|pdf)$/.test(path),
    maxBytes: 3 * 1024 * 1024,
  },
];

async function* files(folder: string, inNodeModules: boolean): AsyncGenerator<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (skipFolders.has(entry.name)) continue;
      if (entry.name === 'node_modules' && !inNodeModules) continue;
      yield* files(path, inNodeModules || entry.name === '.pnpm');
    } else if (entry.isFile()) yield path;
  }
}

async function collect(corpus: Corpus): Promise<{ path: string; text: string }[]> {
  const texts: { path: string; text: string }[] = [];
  let bytes = 0;
  for (const root of corpus.roots) {
    for await (const path of files(root, root.includes('.pnpm'))) {
      if (bytes >= corpus.maxBytes) return texts;
      if (!corpus.accept(path)) continue;
      if ((await stat(path)).size > 512 * 1024) continue;
      const buffer = await readFile(path);
      if (buffer.includes(0)) continue;
      texts.push({ path, text: buffer.toString('utf8') });
      bytes += buffer.length;
    }
  }
  return texts;
}

async function main(): Promise<void> {
  const allowArgument = process.argv.find((argument) => argument.startsWith('--allowlist='));
  const allowlist = allowArgument ? (JSON.parse(allowArgument.slice('--allowlist='.length)) as string[]) : [];
  const redactor = new Redactor({ ...defaultAppConfig, redaction_allowlist: allowlist });
  for (const corpus of corpora) {
    const texts = await collect(corpus);
    const bytes = texts.reduce((sum, entry) => sum + Buffer.byteLength(entry.text), 0);
    const started = performance.now();
    const found = await redactor.find(texts.map((entry) => entry.text));
    const seconds = (performance.now() - started) / 1000;
    const total = found.reduce((sum, spans) => sum + spans.length, 0);
    const megabytes = bytes / 1024 / 1024;
    console.log(
      `\n${corpus.name} (${corpus.kind}): ${texts.length} files, ${megabytes.toFixed(1)} MB, ` +
        `${total} findings, ${(total / megabytes).toFixed(2)} per MB, ${(megabytes / seconds).toFixed(1)} MB/s`,
    );
    for (const [index, spans] of found.entries()) {
      const entry = texts[index];
      if (!entry) continue;
      for (const span of spans) {
        const value = entry.text.slice(span.start, span.end).replace(/\s+/g, ' ');
        const where = entry.path.startsWith(repoRoot) ? relative(repoRoot, entry.path) : entry.path;
        console.log(`  ${span.kind}: ${where}: ${value.slice(0, 90)}`);
      }
    }
  }
}

await main();
