import { readdirSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { join } from 'node:path';

const folders = ['sessions', 'keys', 'state', 'index', 'journal', 'trash'];

/**
 * Temp files of in-flight (or crashed) durable writes under `home` (`.<stem>.<16 hex>.tmp`, and
 * anything else ending in `.tmp`, so a stray one fails the check too), as paths relative to it.
 */
export function listTempFiles(home: string): string[] {
  const found: string[] = [];
  for (const folder of folders) {
    let names: string[] = [];
    try {
      names = readdirSync(join(home, folder));
    } catch {
      continue;
    }
    for (const name of names) if (name.endsWith('.tmp')) found.push(`${folder}/${name}`);
  }
  return found.sort();
}

/** Sets a file's times `ageMs` into the past, so that the sweep sees it as old. */
export async function ageFile(home: string, relative: string, ageMs: number): Promise<void> {
  const past = new Date(Date.now() - ageMs);
  await utimes(join(home, relative), past, past).catch(() => undefined);
}
