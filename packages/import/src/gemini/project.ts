import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isRecord, parseObject } from '../lines.js';

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** sha256 of a project root, as Gemini CLI names its per-project folders (and `projectHash`). */
export function geminiProjectHash(projectRoot: string): string {
  return createHash('sha256').update(projectRoot).digest('hex');
}

/**
 * The project root of a chat file `<tmp>/<project-dir>/chats/<file>`. Gemini CLI stores no cwd in
 * the file, so it is looked up: the `.project_root` marker newer versions write in the project
 * folder, else `projects.json` (root → folder slug), else any candidate whose sha256 is the
 * folder name (older versions). Undefined when none says.
 */
export async function geminiProjectRoot(
  chatFile: string,
  geminiHome: string,
  candidates: readonly string[],
): Promise<string | undefined> {
  const projectDir = dirname(dirname(chatFile));
  const slug = basename(projectDir);
  const marker = (await readText(join(projectDir, '.project_root')))?.trim();
  if (marker?.startsWith('/')) return marker;
  const registry = parseObject((await readText(join(geminiHome, 'projects.json'))) ?? '');
  if (registry && isRecord(registry.projects)) {
    for (const [root, value] of Object.entries(registry.projects))
      if (value === slug && root.startsWith('/')) return root;
  }
  return candidates.map((candidate) => resolve(candidate)).find((root) => geminiProjectHash(root) === slug);
}
