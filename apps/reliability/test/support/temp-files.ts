import { readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';

const tempName = /^\..+\.[0-9a-f]{16}\.tmp$/;
const folders = ['sessions', 'keys', 'state', 'index'];

/** Temp files of in-flight (or crashed) durable writes under `home`, as paths relative to it. */
export async function listTempFiles(home: string): Promise<string[]> {
  const found: string[] = [];
  for (const folder of folders) {
    let names: string[] = [];
    try {
      names = await readdir(join(home, folder));
    } catch {
      continue;
    }
    for (const name of names) if (tempName.test(name)) found.push(`${folder}/${name}`);
  }
  return found.sort();
}

/** Sets a file's times `ageMs` into the past, so that the sweep sees it as old. */
export async function ageFile(home: string, relative: string, ageMs: number): Promise<void> {
  const past = new Date(Date.now() - ageMs);
  await utimes(join(home, relative), past, past).catch(() => undefined);
}
