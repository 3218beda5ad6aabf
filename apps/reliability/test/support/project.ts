import { mkdir, mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new empty project folder (real path) to open sessions on. */
export async function makeProject(name = 'project'): Promise<string> {
  const parent = await realpath(await mkdtemp(join(tmpdir(), 'jido-rel-project-')));
  const path = join(parent, name);
  await mkdir(path);
  return path;
}
