import type { Result } from '@jido-code/core-schema';
import { contentHashOf } from '../search/file-search-source.js';
import { type SessionSearchProvider, scanningSearch } from '../search/store-search.js';
import type { LoadedSession } from './session-codec.js';
import type { TrashEntry } from './trash-runner.js';

/** A scan of the trash entries, each loaded and verified by `load` (the trash is never indexed). */
export function trashSearch(
  entries: readonly TrashEntry[],
  load: (entry: TrashEntry) => Promise<Result<LoadedSession>>,
): SessionSearchProvider {
  const byEntry = new Map(entries.map((entry) => [entry.entry, entry]));
  return scanningSearch(
    async () => entries.map((entry) => ({ id: entry.entry })),
    async (name) => {
      const entry = byEntry.get(name);
      const loaded = entry === undefined ? undefined : await load(entry);
      if (loaded === undefined || !loaded.ok) return undefined;
      return { session: loaded.value.session, contentHash: contentHashOf(loaded.value.session) };
    },
  );
}
