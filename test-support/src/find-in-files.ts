import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a searched value was found: the file (relative to the root) and the value. */
export interface FoundValue {
  readonly file: string;
  readonly value: string;
}

/**
 * Searches the bytes of every regular file under `root` (recursively, symlinks not followed) for
 * each value, as UTF-8: a `grep -rF` over a jido home, used to prove a secret never reached disk.
 */
export async function findInFiles(root: string, values: readonly string[]): Promise<FoundValue[]> {
  const found: FoundValue[] = [];
  const needles = values.map((value) => ({ value, bytes: Buffer.from(value, 'utf8') }));
  const walk = async (folder: string, relative: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path, name);
      else if (entry.isFile()) {
        const bytes = await readFile(path);
        for (const needle of needles)
          if (bytes.includes(needle.bytes)) found.push({ file: name, value: needle.value });
      }
    }
  };
  await walk(root, '');
  return found;
}
