import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const created: string[] = [];

/** A new empty project folder (real path) to open sessions on; see {@link removeProjects}. */
export async function makeProject(name = 'project'): Promise<string> {
  const parent = await realpath(await mkdtemp(join(tmpdir(), 'jido-rel-project-')));
  const path = join(parent, name);
  await mkdir(path);
  created.push(path);
  return path;
}

/** Removes every project folder {@link makeProject} made in this test process. */
export async function removeProjects(): Promise<void> {
  for (const path of created.splice(0)) await rm(dirname(path), { recursive: true, force: true });
}
