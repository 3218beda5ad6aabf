import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/**
 * A new empty folder `<tmp>/<prefix>XXXXXX/<name>` (real path, so it compares equal to what the
 * code under test resolves), removed with its parent when the current test finishes. Call it
 * inside a test. For project folders that sessions open on.
 */
export async function temporaryFolder(name = 'project', prefix = 'jido-project-'): Promise<string> {
  const parent = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  onTestFinished(() => rm(parent, { recursive: true, force: true }));
  const path = join(parent, name);
  await mkdir(path);
  return path;
}
