import { chmod, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A script bundled by {@link bundleForOtherUser}. */
export interface BundledScript {
  /** The bundle, an ES module (mode 0644) that imports nothing but Node's built-ins. */
  readonly script: string;
  /** Its folder (mode 0755): give it as the child's working directory. */
  readonly dir: string;
  /** Removes the folder. */
  readonly cleanup: () => Promise<void>;
}

/**
 * Bundles a TypeScript entry point and everything it imports (workspace packages from source,
 * through the `@jido-code/source` condition, and their npm dependencies) into one file in a new
 * world-readable folder under the real path of `os.tmpdir()`. A child process started with
 * another uid (65534, say) can run it even when the checkout lives in a private folder it cannot
 * read: the bundle needs nothing from the checkout or its `node_modules`. Uses esbuild.
 */
export async function bundleForOtherUser(entry: string): Promise<BundledScript> {
  const { build } = await import('esbuild');
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'jido-bundle-')));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const script = join(dir, 'worker.mjs');
  try {
    await build({
      entryPoints: [entry],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['@jido-code/source'],
      // Bundled CommonJS dependencies may call require(): give the ES module one.
      banner: {
        js: "import { createRequire as __jidoCreateRequire } from 'node:module'; const require = __jidoCreateRequire(import.meta.url);",
      },
      logLevel: 'silent',
    });
    await chmod(dir, 0o755);
    await chmod(script, 0o644);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { script, dir, cleanup };
}
