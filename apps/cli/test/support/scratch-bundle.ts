// The CLI bundled (scripts/bundle.mjs, as `pnpm build` does) into a scratch folder laid out as an
// install is: <root>/package.json, <root>/node_modules (the CLI's own dependencies: the bundle
// inlines the workspace packages, so what they load at run time, better-sqlite3, must resolve from
// there) and <root>/<out>.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A scratch install with the bundle in `<root>/<out>`; throws with the bundler's stderr if it fails. */
export async function bundleIntoScratch(
  prefix: string,
  out = 'dist',
): Promise<{ root: string; out: string }> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  await copyFile(join(cliRoot, 'package.json'), join(root, 'package.json'));
  await symlink(join(cliRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  const outDir = join(root, out);
  await mkdir(outDir);
  const child = spawn(process.execPath, [join(cliRoot, 'scripts', 'bundle.mjs'), outDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`Bundling the CLI failed (exit ${code}):\n${stderr}`);
  return { root, out: outDir };
}
