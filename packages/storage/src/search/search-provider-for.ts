import type { Result } from '@jido-code/core-schema';
import type { SessionBackend } from '../backend/session-backend.js';
import type { LoadedSession } from '../sessions/session-codec.js';
import { contentHashOf } from './file-search-source.js';
import { type SessionSearchProvider, scanningSearch } from './store-search.js';

/** The backend's own search over the store's `load`, or a scan of every session for a backend without one. */
export function searchProviderFor(
  backend: SessionBackend,
  load: (id: string) => Promise<Result<LoadedSession>>,
): SessionSearchProvider {
  return (
    backend.search?.(load) ??
    scanningSearch(
      () => backend.entries(),
      async (id) => {
        const loaded = await load(id);
        if (!loaded.ok) return undefined;
        return { session: loaded.value.session, contentHash: contentHashOf(loaded.value.session) };
      },
    )
  );
}
