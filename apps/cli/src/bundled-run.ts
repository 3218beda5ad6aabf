import { fileURLToPath } from 'node:url';
import { codeCacheFolder, loadCachedBundle } from './code-cache.js';

/**
 * `run` of the built binary: dist/bin.js imports this (scripts/bundle.mjs puts it where src/bin.ts
 * imports `./index.js`), and it runs the CLI bundled as one CommonJS file, dist/jido-cli.cjs, through
 * the code cache.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const file = fileURLToPath(new URL('./jido-cli.cjs', import.meta.url));
  const bundle = loadCachedBundle(file, codeCacheFolder(process.env));
  const cli = bundle.exports as { run: (argv: readonly string[]) => Promise<number> };
  try {
    return await cli.run(argv);
  } finally {
    bundle.saveCache();
  }
}
