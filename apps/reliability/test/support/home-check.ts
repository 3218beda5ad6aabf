import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type LoadedSession, SessionStore } from '@jido-code/storage';
import { sessionIdFromFileName } from '@jido-code/storage/internal';

/** A file under a final name that a reader could not use. */
interface BrokenFile {
  /** Path relative to the home. */
  readonly file: string;
  /** `unparseable` (torn, empty, not JSON) or the load error's code (e.g. `signature_invalid`). */
  readonly reason: string;
}

/** What {@link checkHome} found. */
export interface HomeCheck {
  /** Files under final names that were checked. */
  readonly checked: number;
  /** Files under final names that are torn, unparseable or fail their checks: must be empty. */
  readonly broken: readonly BrokenFile[];
  /** Leftover temp files (`.<stem>.<16 hex>.tmp`), relative to the home. */
  readonly tempFiles: readonly string[];
  /** Every session that loaded with a valid signature, by id. */
  readonly sessions: ReadonlyMap<string, LoadedSession>;
}

const tempName = /^\..+\.[0-9a-f]{16}\.tmp$/;

async function names(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch {
    return [];
  }
}

/**
 * The crash harness's one oracle, used for the real writer and for the deliberately naive one: no
 * file under a final name may be torn or unparseable, and every session file must load with a
 * valid signature (through a fresh {@link SessionStore}, so the whole load path runs: size, UTF-8,
 * schema, signature). Opening that store is itself a "next start" (it sweeps old temp files).
 */
export async function checkHome(home: string, store?: SessionStore): Promise<HomeCheck> {
  const broken: BrokenFile[] = [];
  const tempFiles: string[] = [];
  let checked = 0;
  const jsonFolders = ['sessions', 'keys', 'state', 'index'];
  for (const folder of jsonFolders) {
    for (const name of await names(join(home, folder))) {
      if (tempName.test(name)) {
        tempFiles.push(`${folder}/${name}`);
        continue;
      }
      if (!name.endsWith('.json')) continue;
      checked += 1;
      try {
        JSON.parse(await readFile(join(home, folder, name), 'utf8'));
      } catch {
        broken.push({ file: `${folder}/${name}`, reason: 'unparseable' });
      }
    }
  }
  const sessions = new Map<string, LoadedSession>();
  const sessionIds = (await names(join(home, 'sessions')))
    .map((name) => sessionIdFromFileName(name))
    .filter((id): id is string => id !== undefined);
  if (sessionIds.length > 0) {
    const opened = store ? { ok: true as const, value: store } : await SessionStore.open({ home, env: {} });
    if (!opened.ok) {
      broken.push({ file: '.', reason: `open:${opened.error.code}` });
    } else {
      // store.load runs every check verifyAll runs (size on the descriptor, UTF-8, schema,
      // signature), and hands back the session for the caller's version checks.
      for (const id of sessionIds) {
        const file = `sessions/${id}.json`;
        const loaded = await opened.value.load(id);
        if (!loaded.ok) {
          if (!broken.some((entry) => entry.file === file)) broken.push({ file, reason: loaded.error.code });
        } else if (!loaded.value.signed) broken.push({ file, reason: 'unsigned' });
        else sessions.set(id, loaded.value);
      }
    }
  }
  return { checked, broken, tempFiles, sessions };
}
