// Bundles the `jido` binary for a fast start. dist/bin.js (replacing tsc's output of src/bin.ts) is
// tiny: it answers `jido --version` and otherwise runs dist/jido-cli.cjs, the CLI with the workspace
// packages (from their sources) and the third-party modules in one CommonJS file, through a V8 code
// cache (src/code-cache.ts): a start deserializes compiled code instead of compiling the bundle, which
// was the largest single cost of `jido --help` and `jido sessions list`. What a command loads with
// `import()` stays lazy: esbuild wraps it in a function that runs on the first import, so a command
// runs only the module code it uses.

import { readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { build } from 'esbuild';

// `node scripts/bundle.mjs [outdir]`: dist by default (a test bundles into a scratch folder).
const outdir = resolve(process.argv[2] ?? new URL('../dist', import.meta.url).pathname);

const common = {
  absWorkingDir: new URL('..', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  target: 'node20',
  conditions: ['@jido-code/source'],
  // Smaller to parse; names are kept (nothing user-facing shows a stack).
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * In bin.ts, `./index.js` is the bundle next to it, run through the code cache by dist/bundled-run.js
 * (a file of its own, so that `jido --version` loads neither it nor the modules it needs).
 */
const cliBundle = {
  name: 'cli-bundle',
  setup(plugin) {
    plugin.onResolve({ filter: /^\.\/index\.js$/ }, (args) =>
      args.importer.endsWith('/src/bin.ts') ? { path: './bundled-run.js', external: true } : undefined,
    );
  },
};

/**
 * A script run by `vm.Script` cannot `import()` (Node 20 calls that experimental): a dynamic import
 * of a built-in module (secretlint's `await import('node:fs')`) becomes a lazily run module that
 * re-exports it, which esbuild turns into `require()`.
 */
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const builtinsRequired = {
  name: 'dynamic-builtins-required',
  setup(plugin) {
    plugin.onResolve({ filter: /.*/ }, (args) =>
      args.kind === 'dynamic-import' && builtins.has(args.path)
        ? { path: args.path, namespace: 'builtin-reexport' }
        : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: 'builtin-reexport' }, (args) => ({
      contents: `import * as all from ${JSON.stringify(args.path)}; module.exports = all;`,
      resolveDir: '/',
    }));
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

// The split ESM output of earlier builds (dist/jido-cli.js and dist/chunks/) is not used any more.
await rm(`${outdir}/chunks`, { recursive: true, force: true });
await rm(`${outdir}/jido-cli.js`, { force: true });
await build({
  ...common,
  format: 'esm',
  entryPoints: ['src/bin.ts'],
  outfile: `${outdir}/bin.js`,
  plugins: [cliBundle],
});
await build({
  ...common,
  format: 'esm',
  entryPoints: ['src/bundled-run.ts'],
  outfile: `${outdir}/bundled-run.js`,
});
const cli = `${outdir}/jido-cli.cjs`;
await build({
  ...common,
  format: 'cjs',
  entryPoints: ['src/index.ts'],
  outfile: cli,
  plugins: [englishOnly, builtinsRequired],
  // node-postgres stays a dependency resolved at run time, as better-sqlite3 does: it is loaded
  // only by a command on a PostgreSQL store (its optional pg-native must not be bundled either).
  external: ['pg'],
  // The sources' `import.meta.url` (createRequire for package.json and better-sqlite3) is the
  // bundle's own URL.
  define: { 'import.meta.url': '__jidoBundleUrl' },
  banner: { js: "var __jidoBundleUrl=require('node:url').pathToFileURL(__filename).href;" },
});
// The checks that keep the bundle runnable by vm.Script: no import() and no import.meta left.
const text = await readFile(cli, 'utf8');
for (const pattern of [/[^\w$.]import\(/, /import\.meta/]) {
  if (pattern.test(text)) throw new Error(`${cli} contains ${pattern}: it cannot run through vm.Script`);
}
