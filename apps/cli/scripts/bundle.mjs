// Bundles the `jido` binary for a fast start. dist/bin.js (replacing tsc's output of src/bin.ts) is
// tiny: it answers `jido --version` and otherwise imports dist/jido-cli.js, the CLI with the
// workspace packages (from their sources) and the third-party modules, so that a start resolves and
// compiles a few modules instead of hundreds. What a command loads with `import()` is split into
// dist/chunks/, so a command compiles only the code it runs (compiling the whole bundle was the
// largest single cost of `jido --help` and `jido sessions list`).
// What `sessions list` and `sessions import` load at start is then merged back into few modules
// (scripts/merge-start.mjs): Node's loader pays for each module, however small. The entry then
// starts from V8's code cache (scripts/compiled-entry.mjs, scripts/code-cache.mjs).
import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { compiledEntry } from './compiled-entry.mjs';
import { mergeStart } from './merge-start.mjs';

// `node scripts/bundle.mjs [outdir]`: dist by default (a test bundles into a scratch folder).
const outdir = resolve(process.argv[2] ?? new URL('../dist', import.meta.url).pathname);

const common = {
  absWorkingDir: new URL('..', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@jido-code/source'],
  // Smaller to parse; names are kept (nothing user-facing shows a stack).
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/** In bin.ts, `./run.js` is the bundle next to it (dist/jido-cli.js), loaded only when needed. */
const cliBundle = {
  name: 'cli-bundle',
  setup(plugin) {
    plugin.onResolve({ filter: /^\.\/run\.js$/ }, (args) =>
      args.importer.endsWith('/src/bin.ts') ? { path: './jido-cli.js', external: true } : undefined,
    );
  },
};

/**
 * zod re-exports every locale (`z.locales`), about a third of its size; jido uses only English, which
 * zod imports directly. The locale index is replaced by one that offers English alone.
 */
const englishOnly = {
  name: 'zod-english-only',
  setup(plugin) {
    plugin.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer)
        ? { path: new URL('../locales/en.js', `file://${args.importer}`).pathname, namespace: 'zod-locales' }
        : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: '/',
    }));
  },
};

/**
 * What the workspace's sources take from `node:crypto` (signing, key files, temporary names, ids).
 * A name missing here fails the build ("No matching export"), it never runs without crypto.
 */
const cryptoFunctions = [
  'createHash',
  'createHmac',
  'pbkdf2',
  'randomBytes',
  'randomUUID',
  'timingSafeEqual',
];

/**
 * Node compiles its `crypto` module (about 4 ms) as soon as a module imports it, and `sessions
 * list` imports it through storage and the keyring without calling it once. The workspace's
 * sources get `node:crypto` through functions that load it on their first call instead: the same
 * functions, the same arguments and results, loaded only by a command that signs, verifies or
 * makes an id. Third-party modules import the real one.
 */
const lazyCrypto = {
  name: 'lazy-node-crypto',
  setup(plugin) {
    plugin.onResolve({ filter: /^(node:)?crypto$/ }, (args) =>
      args.kind === 'import-statement' &&
      args.namespace === 'file' &&
      /[\\/](packages|apps)[\\/][^\\/]+[\\/]src[\\/]/.test(args.importer) &&
      !/[\\/]node_modules[\\/]/.test(args.importer)
        ? { path: 'node:crypto', namespace: 'lazy-crypto' }
        : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: 'lazy-crypto' }, () => ({
      contents: [
        "import { createRequire } from 'node:module';",
        'let crypto;',
        "const load = () => (crypto ??= createRequire(import.meta.url)('node:crypto'));",
        ...cryptoFunctions.map((name) => `export const ${name} = (...args) => load().${name}(...args);`),
      ].join('\n'),
      resolveDir: '/',
    }));
  },
};

/**
 * CommonJS dependencies (commander) call require() for Node's built-in modules and native addons,
 * through esbuild's `__require` helper, which uses the `require` this line declares. Node's
 * createRequire is called on the first require() only: at the top of the module it cost half a
 * millisecond of every start, `sessions list` included, which never calls it. The function has no
 * `resolve` or `cache`: a build whose code uses one stops (see `requireProperty`).
 */
const requireBanner =
  "import { createRequire as __jidoCreateRequire } from 'node:module';let __jidoRequire;const require = (id) => (__jidoRequire ??= __jidoCreateRequire(import.meta.url))(id);";
/** A property of the banner's `require` (or esbuild's renamed copies) other than `apply`. */
const requireProperty = /(?:\b|__)require\d*\.(?!apply\b)[A-Za-z_$]/;

// Chunk names carry a content hash: the ones of an earlier build would pile up.
await rm(`${outdir}/chunks`, { recursive: true, force: true });
await build({ ...common, entryPoints: ['src/bin.ts'], outfile: `${outdir}/bin.js`, plugins: [cliBundle] });
const { outputFiles, metafile } = await build({
  ...common,
  // run() alone: the package's other exports (OfflineAgent) are for embedders, who import dist/index.js.
  entryPoints: { 'jido-cli': 'src/run.ts' },
  outdir,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [englishOnly, lazyCrypto],
  // node-postgres stays a dependency resolved at run time, as better-sqlite3 does: it is loaded
  // only by a command on a PostgreSQL store (its optional pg-native must not be bundled either).
  external: ['pg'],
  banner: { js: requireBanner },
  metafile: true,
  write: false,
});
// The banner stays only in a file that names `require` (the helper's chunk): creating a require
// function in each of the twenty modules a command loads cost about half a millisecond.
const chunks = outputFiles.map((file) => {
  const code = file.text.startsWith(`${requireBanner}\n`)
    ? file.text.slice(requireBanner.length + 1)
    : file.text;
  if (requireProperty.test(code)) throw new Error(`bundle: ${file.path} uses a property of require`);
  return { path: file.path, text: /\brequire\b/.test(code) ? file.text : code };
});
// What the commonest one-shot commands load at start, one module per group (scripts/merge-start.mjs):
// the entry with `sessions list` (and what every command runs through), then `sessions import`.
const files = await mergeStart(chunks, metafile, {
  workDir: common.absWorkingDir,
  groups: [['src/run.ts', 'src/run-action.ts', 'src/commands/list.ts'], ['src/commands/import.ts']],
  buildOptions: { ...common, external: ['pg'] },
});
// The entry becomes a script that starts from V8's code cache, and a module that runs it
// (scripts/compiled-entry.mjs); the cache is written by a run of the built CLI (code-cache.mjs).
const entryPath = resolve(outdir, 'jido-cli.js');
const entry = files.find((file) => file.path === entryPath);
const exportClause = /export\{([^}]*)\};?\s*$/.exec(entry.text);
if (exportClause === null) throw new Error('bundle: the entry ends with no export clause');
const exportNames = exportClause[1].split(',').map((name) =>
  name
    .trim()
    .split(/\s+as\s+/)
    .pop(),
);
const { target, minifyWhitespace, minifySyntax, legalComments, logLevel } = common;
const compiled = await compiledEntry(entry.text, exportNames, {
  target,
  minifyWhitespace,
  minifySyntax,
  legalComments,
  logLevel,
});
await mkdir(`${outdir}/chunks`, { recursive: true });
for (const file of files) await writeFile(file.path, file === entry ? compiled.module : file.text);
await writeFile(resolve(outdir, 'jido-cli.code.js'), compiled.script);
await rm(resolve(outdir, 'jido-cli.code.cache'), { force: true });
const cached = spawnSync(process.execPath, [new URL('./code-cache.mjs', import.meta.url).pathname, outdir], {
  stdio: 'inherit',
});
// Without its cache the CLI works as well, only compiles its entry at each start: worth a warning.
if (cached.status !== 0) process.stderr.write('bundle: warning: no code cache for dist/jido-cli.code.js\n');
