import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { AppConfigInput } from '@jido-code/core-schema';
import { type FileSystem, SessionStore } from '@jido-code/storage';

/** A fresh private home (0700, real path: no symlink in it). Remove it with {@link removePrivateHome}. */
export function makePrivateHome(prefix = 'jido-rel-b-'): string {
  const home = mkdtempSync(join(realpathSync(tmpdir()), prefix));
  chmodSync(home, 0o700);
  return home;
}

/** Removes a home, first giving every folder in it owner rwx (tests make some read-only). */
export function removePrivateHome(home: string): void {
  const fix = (dir: string): void => {
    try {
      chmodSync(dir, 0o700);
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (lstatSync(path).isDirectory()) fix(path);
      }
    } catch {
      // already gone or not ours: rm reports what matters
    }
  };
  fix(home);
  rmSync(home, { recursive: true, force: true });
}

/** Config used by the suite: short lock timeout so a leaked lock shows as an error, not a hang. */
export const suiteConfig: Partial<AppConfigInput> = { lock_timeout_ms: 1_500, lock_stale_ms: 1_000 };

/** Opens a store on `home` with an empty environment (the suite never reads the caller's env). */
export async function openSuiteStore(
  home: string,
  options: { fs?: FileSystem; config?: Partial<AppConfigInput> } = {},
): Promise<SessionStore> {
  const opened = await SessionStore.open({
    home,
    env: {},
    ...(options.fs === undefined ? {} : { fs: options.fs }),
    config: { ...suiteConfig, ...options.config },
  });
  if (!opened.ok) throw opened.error;
  return opened.value;
}

/** Every regular file and folder under a home, with bytes and modes, for byte-exact restores. */
export interface TreeSnapshot {
  readonly dirs: readonly { readonly rel: string; readonly mode: number }[];
  readonly files: readonly { readonly rel: string; readonly mode: number; readonly bytes: Buffer }[];
}

/** Reads a home into memory (regular files and folders only). */
export function snapshotTree(root: string): TreeSnapshot {
  const dirs: { rel: string; mode: number }[] = [];
  const files: { rel: string; mode: number; bytes: Buffer }[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stats = lstatSync(path);
      if (stats.isDirectory()) {
        dirs.push({ rel: relative(root, path), mode: stats.mode & 0o7777 });
        walk(path);
      } else if (stats.isFile()) {
        files.push({ rel: relative(root, path), mode: stats.mode & 0o7777, bytes: readFileSync(path) });
      }
    }
  };
  walk(root);
  return { dirs, files };
}

/** Writes a snapshot into an empty folder `root` (created 0700), modes included. */
export function restoreTree(snapshot: TreeSnapshot, root: string): void {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  chmodSync(root, 0o700);
  for (const dir of snapshot.dirs) {
    mkdirSync(join(root, dir.rel), { mode: dir.mode });
    chmodSync(join(root, dir.rel), dir.mode);
  }
  for (const file of snapshot.files) {
    writeFileSync(join(root, file.rel), file.bytes, { mode: file.mode });
    chmodSync(join(root, file.rel), file.mode);
  }
}

/** Names in a folder, or [] when it does not exist. */
export function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
