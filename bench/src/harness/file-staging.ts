import { writeFile } from 'node:fs/promises';
import type { Session } from '@jido-code/core-schema';
import type { SessionStore } from '@jido-code/storage';
import { CapturingStore } from './capture-store.js';
import { openStore, unwrap } from './context.js';

/**
 * A file home of `count` sessions made by `make(index)`, fast: each session goes through the whole
 * save path of a store over the home's own backend (signed with the home's keyring, see
 * {@link CapturingStore}), and its bytes are written straight to its file (mode 0600, no fsync,
 * no lock: nothing else uses the home). The home's first listing then parses and verifies every
 * file and writes the listing index, as a real first listing does; it must refuse none.
 */
export async function stageFileHome(options: {
  home: string;
  count: number;
  make: (index: number) => Session;
  log: (line: string) => void;
}): Promise<{ store: SessionStore; firstListMs: number }> {
  const { count, make, log } = options;
  const store = await openStore(options.home);
  const capturing = new CapturingStore(store.backend);
  for (let index = 0; index < count; index++) {
    await capturing.save(make(index));
    if (capturing.sink.size < 500 && index < count - 1) continue;
    await Promise.all(
      capturing.take().map((captured) =>
        writeFile(store.backend.layout.sessionFile(captured.id), captured.bytes ?? new Uint8Array(), {
          mode: 0o600,
          flag: 'wx',
        }),
      ),
    );
    if ((index + 1) % 20_000 < 500) log(`file home: staged ${(index + 1).toLocaleString('en-US')} sessions`);
  }
  const started = performance.now();
  const listing = unwrap(await store.listPersisted(), 'list');
  const firstListMs = performance.now() - started;
  if (listing.problems.length > 0 || listing.stats.parsed !== count || listing.sessions.length !== count) {
    throw new Error(
      `file staging: the first listing parsed ${listing.stats.parsed} of ${count}, refused ${listing.problems.length}`,
    );
  }
  return { store, firstListMs };
}
